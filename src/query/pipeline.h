// Pipeline: runs a query's stages (stats, timechart, sort, head, fields) over the events that
// passed its filter, in whatever order the store offers them, and produces the result every
// interface prints (docs/query-language.md "Pipe stages" and "Results"). Store-independent:
// the embedded store, the SQLite oracle's checker and the detector all feed it the same way.
//
// Events mode (no stats/timechart/fields): the result is events, newest first (ties: raw JSON
// bytes ascending, then source, then category), at most min(head N, options.event_limit);
// `sort` orders them by its keys instead, stably (ties keep the order above). Rows mode (after
// stats/timechart/fields): the result is rows of Values with named columns. `total` counts
// every event that reached the pipeline. The exact semantics: docs "Results".
//
// Memory: events mode keeps only the current top K (K = the limit, with or without a sort);
// a `head` followed by a `sort` or an aggregation keeps up to N events (bounded by
// max_buffered_events, else kResourceExhausted naming the limit); stats keeps one entry per
// group (bounded by max_groups) and the texts count_distinct has seen (max_distinct_values).
// Thread safety: one Pipeline per query, used by one thread at a time. Merge() combines
// pipelines that ran over disjoint parts of the data on different threads.
#pragma once

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/result.h"
#include "core/status.h"
#include "query/ast.h"
#include "query/matcher.h"
#include "query/value.h"  // Value, ValueToJson

namespace trailhound::query {

// An event of a result.
struct ResultEvent {
  int64_t time_millis = 0;
  std::string source;
  std::string category;  // "Cloud Service Activity", ...
  std::string raw;       // verbatim JSON
  friend bool operator==(const ResultEvent&, const ResultEvent&) = default;
};

struct QueryResult {
  bool rows_mode = false;
  uint64_t total = 0;                // events that reached the pipeline (matched the filter)
  std::vector<ResultEvent> events;   // events mode
  std::vector<std::string> columns;  // rows mode: OutputColumns(stages)
  std::vector<std::vector<Value>> rows;
};

// Every field must be at least 1 (Create answers kInvalidArgument otherwise).
struct PipelineOptions {
  // Events mode, and rows of `fields` not followed by stats/timechart: at most this many.
  size_t event_limit = 100;
  // Events kept in memory for a `head` that a `sort`, `stats` or `timechart` follows.
  size_t max_buffered_events = 1'000'000;
  // Distinct stats/timechart groups.
  size_t max_groups = 1'000'000;
  // Distinct values kept by each values(): the smallest ones.
  size_t max_values = 100;
  // Distinct values kept by count_distinct, summed over all its groups.
  size_t max_distinct_values = 10'000'000;
};

class Pipeline {
 public:
  // kInvalidArgument for options out of range.
  static Result<std::unique_ptr<Pipeline>> Create(const std::vector<Stage>& stages,
                                                  const PipelineOptions& options = {});
  ~Pipeline();

  // Offers one event that passed the filter. `event` is the root of the parse of `raw`;
  // `virtuals` has every virtual field set. kResourceExhausted past a limit.
  Status Add(simdjson::dom::element event, std::string_view raw, const VirtualFields& virtuals);

  // Events mode without sort: the time below which no event can enter the result any more
  // (the result is full and every kept event is newer or as new); nullopt otherwise. The store
  // uses it to skip older segments and blocks. Events exactly at this time may still enter.
  std::optional<int64_t> OldestUsefulTime() const;

  // Combines `other` (created from the same stages and options) into this one.
  Status Merge(Pipeline&& other);

  // Applies the remaining stages and returns the result. Call once.
  Result<QueryResult> Finish();

 private:
  struct Impl;
  explicit Pipeline(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The JSON text of an event for output: the raw JSON object with "_time" (ISO 8601 UTC with
// milliseconds), "_source" and "_category" added first, then the raw object's members exactly
// as stored. REQUIRES: the raw JSON is an object (anything else is written as "_raw", a string).
// ValueToJson (value.h) writes a Value.
std::string EventToJson(const ResultEvent& event);

}  // namespace trailhound::query
