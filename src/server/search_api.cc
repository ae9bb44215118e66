#include "server/search_api.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <map>
#include <utility>

#include "query/field_reader.h"
#include "query/parser.h"
#include "query/pipeline.h"
#include "query/result_format.h"
#include "query/time_range.h"
#include "store/search.h"

namespace trailhound::server {

namespace {

std::string Param(const Params& params, const std::string& name) {
  auto it = params.find(name);
  return it == params.end() ? std::string() : it->second;
}

ApiResponse BadRequest(const std::string& message, int position = -1) {
  return ApiResponse{400, ErrorJson(message, position)};
}

// The query and time range shared by both endpoints; nullopt-like failure in `error`.
struct Request {
  query::Query query;
  store::SearchOptions options;
};

bool ParseRequest(const Params& params, int64_t now_ms, Request& request, ApiResponse& error) {
  query::QueryError query_error;
  auto parsed = query::ParseQuery(Param(params, "q"), {}, &query_error);
  if (!parsed.ok()) {
    error = BadRequest(query_error.message, query_error.position);
    return false;
  }
  request.query = std::move(*parsed);
  for (const char* name : {"from", "to"}) {
    std::string text = Param(params, name);
    if (text.empty()) continue;
    auto time = query::ParseTimeArgument(text, now_ms);
    if (!time.ok()) {
      error = BadRequest(std::string(name) + ": " + time.status().message());
      return false;
    }
    (std::string_view(name) == "from" ? request.options.from_ms : request.options.to_ms) = *time;
  }
  return true;
}

bool ParseCount(const std::string& text, size_t min, size_t max, size_t& out) {
  size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return false;
  }
  out = value;
  return true;
}

ApiResponse FromStatus(const Status& status) {
  int code = status.code() == StatusCode::kInvalidArgument ||
                     status.code() == StatusCode::kResourceExhausted
                 ? 400
                 : 500;
  return ApiResponse{code, ErrorJson(status.message())};
}

}  // namespace

std::string ErrorJson(const std::string& message, int position) {
  return "{\"error\":" + query::ValueToJson(query::Value{message}) +
         ",\"position\":" + std::to_string(position) + "}";
}

ApiResponse HandleSearch(const store::Store& store, const Params& params, int64_t now_ms) {
  Request request;
  ApiResponse error;
  if (!ParseRequest(params, now_ms, request, error)) return error;
  query::ResultFormat format = query::ResultFormat::kJson;
  if (std::string text = Param(params, "format"); !text.empty()) {
    auto parsed = query::ParseResultFormat(text);
    if (!parsed || *parsed == query::ResultFormat::kTable) {
      return BadRequest("format must be json, csv or ndjson");
    }
    format = *parsed;
  }
  const size_t max_limit = format == query::ResultFormat::kJson ? kMaxSearchLimit : kMaxExportLimit;
  size_t limit = format == query::ResultFormat::kJson ? 100 : max_limit;
  if (std::string text = Param(params, "limit"); !text.empty()) {
    if (!ParseCount(text, 1, max_limit, limit)) {
      return BadRequest("limit must be a number from 1 to " + std::to_string(max_limit));
    }
  }
  size_t offset = 0;
  if (std::string text = Param(params, "offset"); !text.empty()) {
    if (!ParseCount(text, 0, kMaxSearchWindow, offset) || offset + limit > kMaxSearchWindow) {
      return BadRequest("offset + limit must be at most " + std::to_string(kMaxSearchWindow));
    }
  }
  request.options.pipeline.event_limit = offset + limit;
  auto result = store::Search(store, request.query, request.options);
  if (!result.ok()) return FromStatus(result.status());
  // Pages of events: the newest offset + limit were kept, the first `offset` are dropped.
  // Rows (stats, timechart, fields) are paged the same way.
  auto drop = [offset](auto& items) {
    items.erase(items.begin(),
                items.begin() + static_cast<std::ptrdiff_t>(std::min(offset, items.size())));
  };
  drop(result->events);
  drop(result->rows);
  ApiResponse response{200, query::FormatResult(*result, format)};
  if (format == query::ResultFormat::kCsv) {
    response.content_type = "text/csv; charset=utf-8";
    response.attachment = "trailhound-search.csv";
  } else if (format == query::ResultFormat::kNdjson) {
    response.content_type = "application/x-ndjson";
    response.attachment = "trailhound-search.ndjson";
  }
  return response;
}

const std::vector<std::string>& DefaultSidebarFields() {
  static const std::vector<std::string> fields = {
      "eventName",       "eventSource", "userIdentity.arn", "userIdentity.type",
      "sourceIPAddress", "awsRegion",   "errorCode",        "recipientAccountId",
      "userAgent",       "_category",   "_source"};
  return fields;
}

ApiResponse HandleFields(const store::Store& store, const Params& params, int64_t now_ms) {
  Request request;
  ApiResponse error;
  if (!ParseRequest(params, now_ms, request, error)) return error;
  size_t sample = 10'000;
  if (std::string text = Param(params, "sample"); !text.empty()) {
    if (!ParseCount(text, 1, kMaxFieldsSample, sample)) {
      return BadRequest("sample must be a number from 1 to " + std::to_string(kMaxFieldsSample));
    }
  }
  std::vector<std::string> names = DefaultSidebarFields();
  if (std::string text = Param(params, "fields"); !text.empty()) {
    names.clear();
    for (size_t start = 0; start <= text.size();) {
      size_t comma = std::min(text.find(',', start), text.size());
      std::string name = text.substr(start, comma - start);
      if (name.empty() || name.front() == '.' || name.back() == '.' ||
          name.find("..") != std::string::npos) {
        return BadRequest("fields must be a comma-separated list of field names");
      }
      names.push_back(name);
      start = comma + 1;
    }
    if (names.size() > 50) return BadRequest("at most 50 fields");
  }
  // The sidebar describes what the filter matches; the query's own stages do not apply.
  request.query.stages.clear();
  request.options.pipeline.event_limit = sample;
  auto result = store::Search(store, request.query, request.options);
  if (!result.ok()) return FromStatus(result.status());

  struct FieldCounts {
    query::FieldReader reader;
    uint64_t present = 0;
    std::map<std::string, uint64_t> counts;
  };
  std::vector<FieldCounts> fields;
  for (const std::string& name : names) {
    fields.push_back({query::FieldReader(query::FieldPath::FromDotted(name)), 0, {}});
  }
  simdjson::dom::parser parser;
  for (const query::ResultEvent& event : result->events) {
    simdjson::dom::element root;
    if (parser.parse(event.raw).get(root) != simdjson::SUCCESS) continue;  // stored JSON is valid
    query::VirtualFields virtuals{event.time_millis, event.source, event.category};
    for (FieldCounts& field : fields) {
      std::vector<std::string> seen;  // an array counts each distinct element once per event
      field.reader.ForEach(root, virtuals, [&](const query::Scalar& scalar) {
        std::string text = query::ScalarText(scalar);
        if (std::find(seen.begin(), seen.end(), text) != seen.end()) return;
        ++field.counts[text];
        seen.push_back(std::move(text));
      });
      if (!seen.empty()) ++field.present;
    }
  }
  std::string body = "{\"sampled\":" + std::to_string(result->events.size()) +
                     ",\"total\":" + std::to_string(result->total) + ",\"fields\":[";
  for (size_t f = 0; f < fields.size(); ++f) {
    const FieldCounts& field = fields[f];
    std::vector<std::pair<std::string, uint64_t>> top(field.counts.begin(), field.counts.end());
    const size_t keep = std::min<size_t>(top.size(), 10);
    std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(keep), top.end(),
                      [](const auto& a, const auto& b) {
                        return a.second != b.second ? a.second > b.second : a.first < b.first;
                      });
    if (f > 0) body += ",";
    body += "{\"field\":" + query::ValueToJson(query::Value{names[f]}) +
            ",\"present\":" + std::to_string(field.present) +
            ",\"distinct\":" + std::to_string(field.counts.size()) + ",\"values\":[";
    for (size_t i = 0; i < keep; ++i) {
      if (i > 0) body += ",";
      body += "{\"value\":" + query::ValueToJson(query::Value{top[i].first}) +
              ",\"count\":" + std::to_string(top[i].second) + "}";
    }
    body += "]}";
  }
  return ApiResponse{200, body + "]}"};
}

int64_t HistogramSpanMillis(int64_t from_ms, int64_t to_ms, int buckets) {
  static constexpr std::array<int64_t, 16> kSpans = {
      1'000,      5'000,       10'000,        30'000,       60'000,     300'000,
      600'000,    1'800'000,   3'600'000,     10'800'000,   21'600'000, 43'200'000,
      86'400'000, 604'800'000, 1'209'600'000, 2'592'000'000};
  double width = static_cast<double>(to_ms) - static_cast<double>(from_ms);
  for (int64_t span : kSpans) {
    if (width / static_cast<double>(span) <= buckets) return span;
  }
  return kSpans.back();
}

ApiResponse HandleHistogram(const store::Store& store, const Params& params, int64_t now_ms) {
  Request request;
  ApiResponse error;
  if (!ParseRequest(params, now_ms, request, error)) return error;
  size_t buckets = 60;
  if (std::string text = Param(params, "buckets"); !text.empty()) {
    if (!ParseCount(text, 1, 1000, buckets)) {
      return BadRequest("buckets must be a number from 1 to 1000");
    }
  }
  // Without a time range, span the stored events.
  int64_t from = request.options.from_ms;
  int64_t to = request.options.to_ms;
  if (from == std::numeric_limits<int64_t>::min() || to == std::numeric_limits<int64_t>::max()) {
    store::StoreStats stats = store.stats();
    if (from == std::numeric_limits<int64_t>::min()) from = stats.min_time;
    if (to == std::numeric_limits<int64_t>::max()) to = std::max(stats.max_time + 1, from + 1);
  }
  int64_t span = HistogramSpanMillis(from, to, static_cast<int>(buckets));
  // The histogram counts what the filter matches; the query's own stages do not apply.
  query::TimechartStage timechart;
  timechart.span_secs = span / 1000;
  timechart.aggregates.push_back(query::Aggregate{});
  request.query.stages = {query::Stage{timechart, -1}};
  auto result = store::Search(store, request.query, request.options);
  if (!result.ok()) return FromStatus(result.status());
  std::string body = "{\"span_ms\":" + std::to_string(span) +
                     ",\"from\":" + query::ValueToJson(query::Value{from}) +
                     ",\"to\":" + query::ValueToJson(query::Value{to}) +
                     ",\"total\":" + std::to_string(result->total) + ",\"rows\":[";
  for (size_t i = 0; i < result->rows.size(); ++i) {
    if (i > 0) body += ",";
    body += query::RowToJson(result->columns, result->rows[i]);
  }
  return ApiResponse{200, body + "]}"};
}

}  // namespace trailhound::server
