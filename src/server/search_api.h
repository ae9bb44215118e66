// The search endpoints of the HTTP API (docs/API.md), as functions of the request parameters
// so they are tested without sockets:
//   GET /api/search?q=QUERY&from=&to=&limit=   → {"total","events"} or {"total","columns","rows"}
//   GET /api/histogram?q=QUERY&from=&to=&buckets= → {"span_ms","rows":[{"_time","count"}]}
// A bad query or parameter is HTTP 400 {"error": message, "position": N} (position -1 when the
// problem is not in the query text). Thread safety: pure functions over a thread-safe Store.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "store/store.h"

namespace trailhound::server {

struct ApiResponse {
  int status = 200;
  std::string body;  // JSON
};

using Params = std::map<std::string, std::string>;

inline constexpr size_t kMaxSearchLimit = 10'000;

// `now_ms` anchors relative times (from=-24h).
ApiResponse HandleSearch(const store::Store& store, const Params& params, int64_t now_ms);
ApiResponse HandleHistogram(const store::Store& store, const Params& params, int64_t now_ms);

// {"error": message, "position": position}.
std::string ErrorJson(const std::string& message, int position = -1);

// The bucket width for about `buckets` buckets over [from, to): a round span from 1 s to 30 d.
int64_t HistogramSpanMillis(int64_t from_ms, int64_t to_ms, int buckets);

}  // namespace trailhound::server
