// The search endpoints of the HTTP API (docs/API.md), as functions of the request parameters
// so they are tested without sockets:
//   GET /api/search?q=QUERY&from=&to=&limit=&offset=&format=
//                         → {"total","events"} or {"total","columns","rows"}; csv/ndjson export
//   GET /api/histogram?q=QUERY&from=&to=&buckets= → {"span_ms","rows":[{"_time","count"}]}
//   GET /api/fields?q=QUERY&from=&to=&fields=&sample= → top values per field (field sidebar)
// A bad query or parameter is HTTP 400 {"error": message, "position": N} (position -1 when the
// problem is not in the query text). Thread safety: pure functions over a thread-safe Store.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"

namespace trailhound::server {

struct ApiResponse {
  ApiResponse() = default;
  ApiResponse(int status_code, std::string json) : status(status_code), body(std::move(json)) {}
  int status = 200;
  std::string body;  // JSON unless content_type says otherwise
  std::string content_type = "application/json";
  std::string attachment;  // a download's file name: Content-Disposition: attachment
};

using Params = std::map<std::string, std::string>;

inline constexpr size_t kMaxSearchLimit = 10'000;    // events in one JSON page
inline constexpr size_t kMaxExportLimit = 100'000;   // events in a csv/ndjson export
inline constexpr size_t kMaxSearchWindow = 100'000;  // offset + limit
inline constexpr size_t kMaxFieldsSample = 100'000;

// `now_ms` anchors relative times (from=-24h).
ApiResponse HandleSearch(const store::Store& store, const Params& params, int64_t now_ms);
ApiResponse HandleHistogram(const store::Store& store, const Params& params, int64_t now_ms);
ApiResponse HandleFields(const store::Store& store, const Params& params, int64_t now_ms);

// The fields /api/fields reports when the request names none.
const std::vector<std::string>& DefaultSidebarFields();

// {"error": message, "position": position}.
std::string ErrorJson(const std::string& message, int position = -1);

// The bucket width for about `buckets` buckets over [from, to): a round span from 1 s to 30 d.
int64_t HistogramSpanMillis(int64_t from_ms, int64_t to_ms, int buckets);

}  // namespace trailhound::server
