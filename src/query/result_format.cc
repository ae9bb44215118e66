#include "query/result_format.h"

#include <simdjson.h>

#include <algorithm>
#include <string>

#include "query/time_value.h"

namespace trailhound::query {

namespace {

// A value as plain text for csv and table cells: strings unquoted, lists joined by ", ".
std::string PlainText(const Value& value) {
  if (const auto* text = std::get_if<std::string>(&value.data)) return *text;
  if (std::holds_alternative<std::monostate>(value.data)) return "";
  if (const auto* list = std::get_if<Value::List>(&value.data)) {
    std::string out;
    for (size_t i = 0; i < list->size(); ++i) {
      if (i > 0) out += ", ";
      out += PlainText((*list)[i]);
    }
    return out;
  }
  return ValueToJson(value);
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string CsvLine(const std::vector<std::string>& cells) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) line += ',';
    line += CsvField(cells[i]);
  }
  return line + "\r\n";
}

// Display width in code points (good enough for a terminal table of mostly ASCII).
size_t Width(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

std::string Table(const std::vector<std::string>& columns,
                  const std::vector<std::vector<std::string>>& rows) {
  constexpr size_t kMaxCell = 60;
  std::vector<std::vector<std::string>> cells;
  cells.push_back(columns);
  for (const auto& row : rows) {
    std::vector<std::string> clipped;
    for (const std::string& cell : row) {
      std::string flat = cell;
      std::replace(flat.begin(), flat.end(), '\n', ' ');
      if (Width(flat) > kMaxCell) {
        size_t cut = kMaxCell - 1;
        while (cut > 0 && (static_cast<unsigned char>(flat[cut]) & 0xC0) == 0x80) --cut;
        flat = flat.substr(0, cut) + "…";
      }
      clipped.push_back(std::move(flat));
    }
    cells.push_back(std::move(clipped));
  }
  std::vector<size_t> widths(columns.size(), 0);
  for (const auto& row : cells) {
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      widths[i] = std::max(widths[i], Width(row[i]));
    }
  }
  std::string out;
  for (const auto& row : cells) {
    std::string line;
    for (size_t i = 0; i < row.size() && i < widths.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(widths[i] - Width(row[i]) + 2, ' ');
    }
    out += line + "\n";
  }
  return out;
}

std::vector<std::string> RowTexts(const std::vector<Value>& row,
                                  const std::vector<std::string>& columns) {
  std::vector<std::string> texts;
  for (size_t i = 0; i < row.size(); ++i) {
    if (i < columns.size() && columns[i] == "_time") {
      if (const auto* ms = std::get_if<int64_t>(&row[i].data)) {
        texts.push_back(FormatTimeMillis(*ms));
        continue;
      }
    }
    texts.push_back(PlainText(row[i]));
  }
  return texts;
}

// The string at `path` of a parsed event, or "" (numbers and booleans as their JSON text).
std::string StringAt(simdjson::dom::element root, std::initializer_list<std::string_view> path) {
  simdjson::dom::element node = root;
  for (std::string_view key : path) {
    if (node.at_key(key).get(node) != simdjson::SUCCESS) return "";
  }
  std::string_view text;
  if (node.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  if (node.is_null() || node.is_object() || node.is_array()) return "";
  return simdjson::minify(node);
}

}  // namespace

std::optional<ResultFormat> ParseResultFormat(std::string_view name) {
  if (name == "table") return ResultFormat::kTable;
  if (name == "json") return ResultFormat::kJson;
  if (name == "ndjson") return ResultFormat::kNdjson;
  if (name == "csv") return ResultFormat::kCsv;
  return std::nullopt;
}

const std::vector<std::string>& EventSummaryColumns() {
  static const std::vector<std::string> columns = {
      "time", "eventName", "eventSource", "user", "sourceIPAddress", "awsRegion", "errorCode"};
  return columns;
}

std::vector<std::string> EventSummary(const ResultEvent& event) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  std::vector<std::string> cells = {FormatTimeMillis(event.time_millis)};
  if (parser.parse(event.raw.data(), event.raw.size()).get(root) != simdjson::SUCCESS) {
    cells.resize(EventSummaryColumns().size());
    return cells;
  }
  std::string user = StringAt(root, {"userIdentity", "arn"});
  if (user.empty()) user = StringAt(root, {"userIdentity", "userName"});
  if (user.empty()) user = StringAt(root, {"userIdentity", "principalId"});
  if (user.empty()) user = StringAt(root, {"userIdentity", "invokedBy"});
  cells.push_back(StringAt(root, {"eventName"}));
  cells.push_back(StringAt(root, {"eventSource"}));
  cells.push_back(std::move(user));
  cells.push_back(StringAt(root, {"sourceIPAddress"}));
  cells.push_back(StringAt(root, {"awsRegion"}));
  cells.push_back(StringAt(root, {"errorCode"}));
  return cells;
}

std::string RowToJson(const std::vector<std::string>& columns, const std::vector<Value>& row) {
  std::string out = "{";
  for (size_t i = 0; i < columns.size() && i < row.size(); ++i) {
    if (i > 0) out += ",";
    out += ValueToJson(Value{columns[i]});
    out += ":";
    if (columns[i] == "_time") {
      if (const auto* ms = std::get_if<int64_t>(&row[i].data)) {
        out += ValueToJson(Value{FormatTimeMillis(*ms)});
        continue;
      }
    }
    out += ValueToJson(row[i]);
  }
  return out + "}";
}

std::string FormatResult(const QueryResult& result, ResultFormat format) {
  std::string out;
  switch (format) {
    case ResultFormat::kNdjson:
      if (result.rows_mode) {
        for (const auto& row : result.rows) out += RowToJson(result.columns, row) + "\n";
      } else {
        for (const auto& event : result.events) out += EventToJson(event) + "\n";
      }
      return out;
    case ResultFormat::kJson: {
      out = "{\"total\":" + std::to_string(result.total) + ",";
      if (result.rows_mode) {
        out += "\"columns\":[";
        for (size_t i = 0; i < result.columns.size(); ++i) {
          if (i > 0) out += ",";
          out += ValueToJson(Value{result.columns[i]});
        }
        out += "],\"rows\":[";
        for (size_t i = 0; i < result.rows.size(); ++i) {
          if (i > 0) out += ",";
          out += RowToJson(result.columns, result.rows[i]);
        }
      } else {
        out += "\"events\":[";
        for (size_t i = 0; i < result.events.size(); ++i) {
          if (i > 0) out += ",";
          out += EventToJson(result.events[i]);
        }
      }
      return out + "]}\n";
    }
    case ResultFormat::kCsv:
      if (result.rows_mode) {
        out += CsvLine(result.columns);
        for (const auto& row : result.rows) out += CsvLine(RowTexts(row, result.columns));
      } else {
        out += CsvLine(EventSummaryColumns());
        for (const auto& event : result.events) out += CsvLine(EventSummary(event));
      }
      return out;
    case ResultFormat::kTable: {
      std::vector<std::vector<std::string>> rows;
      if (result.rows_mode) {
        for (const auto& row : result.rows) rows.push_back(RowTexts(row, result.columns));
        return Table(result.columns, rows);
      }
      for (const auto& event : result.events) rows.push_back(EventSummary(event));
      return Table(EventSummaryColumns(), rows);
    }
  }
  return out;
}

}  // namespace trailhound::query
