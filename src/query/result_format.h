// Printing query results (pipeline.h) in the formats the CLI and the HTTP API share
// (docs/API.md): ndjson (one JSON object per event or row), json ({"total", "events"} or
// {"total", "columns", "rows"}), csv (RFC 4180) and an aligned text table. Events print their
// raw fields plus _time, _source and _category (EventToJson); in csv and table an event is
// summarised in the columns of the classic SIEM's list: time, eventName, eventSource, user,
// sourceIPAddress, awsRegion, errorCode. Pure functions; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "query/pipeline.h"

namespace trailhound::query {

enum class ResultFormat { kTable, kJson, kNdjson, kCsv };

// "table", "json", "ndjson", "csv"; nullopt for anything else.
std::optional<ResultFormat> ParseResultFormat(std::string_view name);

std::string FormatResult(const QueryResult& result, ResultFormat format);

// The summary columns of an event (csv/table) and its values, "" where absent.
const std::vector<std::string>& EventSummaryColumns();
std::vector<std::string> EventSummary(const ResultEvent& event);

// A row as a JSON object keyed by the column names.
std::string RowToJson(const std::vector<std::string>& columns, const std::vector<Value>& row);

}  // namespace trailhound::query
