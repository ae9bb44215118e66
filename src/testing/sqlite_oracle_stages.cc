#include "testing/sqlite_oracle_stages.h"

#include <optional>
#include <string>
#include <utility>

#include "testing/sqlite_oracle_codec.h"
#include "testing/sqlite_oracle_schema.h"

namespace trailhound::testing {
namespace {

using query::AggregateFunction;
using query::FieldPath;
using query::Value;
using query::VirtualField;

std::string Join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

// The text of the kv row `alias` (an object's is made on demand: sqlite_oracle_functions.h).
std::string TextOf(const std::string& alias) {
  return "th_text(" + alias + ".t, " + alias + ".s, " + alias + ".ev, " + alias + ".seq)";
}

Value CellValue(const SqlValue& cell) {
  if (const auto* i = std::get_if<int64_t>(&cell)) return Value{*i};
  if (const auto* s = std::get_if<std::string>(&cell)) return Value{*s};
  return Value{};
}

// The events the stages work on: rows `c` with columns id, time, rank (and pos after a head)
// from `from` (a subquery with its parameters, or a table), the order they have (ORDER BY
// terms over c, e and the joined sort keys), and the joins that order needs.
struct EventSet {
  SqlFragment from;
  std::vector<std::string> order = {"c.time DESC", "c.rank"};  // newest first, then bytes
  std::string joins;  // " JOIN events e ..." only when the order reads the envelope

  void JoinEvents() {
    if (joins.find(" JOIN events e ") == std::string::npos)
      joins += " JOIN events e ON e.id = c.id";
  }
  // SELECT `columns` of the events in their order.
  SqlFragment Select(const std::string& columns) const {
    SqlFragment f{"SELECT " + columns + " FROM ", {}};
    f.Append(from);
    f.Append(" c" + joins + " ORDER BY " + Join(order, ", "));
    return f;
  }
};

class StageRunner {
 public:
  explicit StageRunner(const OracleStageContext& context) : ctx_(context) {}
  ~StageRunner() {
    for (const std::string& table : temps_) (void)ctx_.db->Exec("DROP TABLE IF EXISTS " + table);
  }

  Status Run(const std::vector<query::Stage>& stages, query::QueryResult* result);

 private:
  std::string NewTable() {
    temps_.push_back("oracle_t" + std::to_string(temps_.size()));
    return temps_.back();
  }
  int64_t PathId(const FieldPath& path) const { return ctx_.path_id(path.segments()); }
  Status Exec(const SqlFragment& f) {
    TH_ASSIGN_OR_RETURN(SqlStatement statement, ctx_.db->Prepare(f.sql));
    TH_RETURN_IF_ERROR(statement.Bind(f.params));
    return statement.Run();
  }

  // The value-order key of a field for the events: _time and the envelope are columns; a JSON
  // field's key comes from its sort-key table, joined to the events.
  Result<std::string> SortKey(const FieldPath& path, EventSet* events);
  // The encoded value of the field for the event `e` (docs "Field values").
  std::string ValueExpr(const FieldPath& path) const;
  // The first `limit` events of `events` in their order, as a table with pos.
  Result<std::string> Top(const EventSet& events, int64_t limit);

  Status Aggregate(const EventSet& events, const std::vector<query::Aggregate>& aggregates,
                   const std::vector<FieldPath>& by, int64_t span_millis,
                   std::vector<std::vector<Value>>* rows);
  Status RunRows(const std::vector<query::Stage>& stages, size_t first,
                 std::vector<std::string> columns, std::vector<std::vector<Value>> rows,
                 query::QueryResult* result);

  const OracleStageContext& ctx_;
  std::vector<std::string> temps_;
};

Result<std::string> StageRunner::SortKey(const FieldPath& path, EventSet* events) {
  switch (path.virtual_field()) {
    case VirtualField::kTime:
      return std::string("c.time");  // integers order numerically
    case VirtualField::kSource:
      events->JoinEvents();
      return std::string("e.source");  // strings order by bytes (BINARY)
    case VirtualField::kCategory:
      events->JoinEvents();
      return std::string("e.category");
    case VirtualField::kNone:
      break;
  }
  const std::string null_key = "th_sortkey(th_str(NULL))";
  const int64_t pid = PathId(path);
  if (pid < 0) return null_key;  // no event has the field
  // The keys of the events in the set that have the field, once per event.
  const std::string table = NewTable();
  TH_RETURN_IF_ERROR(
      ctx_.db->Exec("CREATE TEMP TABLE " + table + "(ev INTEGER PRIMARY KEY, k BLOB NOT NULL)"));
  SqlFragment insert{"INSERT INTO " + table + " SELECT k.ev, th_sortkey(th_value(k.seq, k.t, " +
                         TextOf("k") +
                         ", k.n)) FROM kv k "
                         "WHERE k.pid = " +
                         std::to_string(pid) + " AND k.ev IN (SELECT id FROM ",
                     {}};
  insert.Append(events->from);
  insert.Append(") GROUP BY k.ev");
  TH_RETURN_IF_ERROR(Exec(insert));
  events->joins += " LEFT JOIN " + table + " ON " + table + ".ev = c.id";
  return "ifnull(" + table + ".k, " + null_key + ")";  // no value: the key of null
}

std::string StageRunner::ValueExpr(const FieldPath& path) const {
  switch (path.virtual_field()) {
    case VirtualField::kTime:
      return "th_int(e.time)";
    case VirtualField::kSource:
      return "th_str(e.source)";
    case VirtualField::kCategory:
      return "th_str(e.category)";
    case VirtualField::kNone:
      break;
  }
  return "(SELECT th_value(k.seq, k.t, " + TextOf("k") +
         ", k.n) FROM kv k WHERE k.pid = " + std::to_string(PathId(path)) + " AND k.ev = e.id)";
}

Result<std::string> StageRunner::Top(const EventSet& events, int64_t limit) {
  const std::string table = NewTable();
  TH_RETURN_IF_ERROR(ctx_.db->Exec("CREATE TEMP TABLE " + table +
                                   "(pos INTEGER PRIMARY KEY, id INTEGER NOT NULL, time INTEGER "
                                   "NOT NULL, rank INTEGER NOT NULL)"));
  // Rows go in in the SELECT's order, so pos numbers them in that order.
  SqlFragment insert{"INSERT INTO " + table + "(id, time, rank) ", {}};
  insert.Append(events.Select("c.id, c.time, c.rank"));
  insert.Append(" LIMIT " + std::to_string(limit));
  TH_RETURN_IF_ERROR(Exec(insert));
  return table;
}

Status StageRunner::Run(const std::vector<query::Stage>& stages, query::QueryResult* result) {
  size_t aggregate_at = stages.size();
  for (size_t j = 0; j < stages.size() && aggregate_at == stages.size(); ++j) {
    if (std::holds_alternative<query::StatsStage>(stages[j].body) ||
        std::holds_alternative<query::TimechartStage>(stages[j].body)) {
      aggregate_at = j;
    }
  }
  // Events: the stages before stats/timechart choose and order them. Without stats or
  // timechart, `fields` only says which values the result rows show (a column is the field
  // of its name), and event_limit cuts the final order, as in events mode.
  EventSet events;
  events.from = SqlFragment{"(" + ctx_.events.sql + ")", ctx_.events.params};
  std::optional<std::vector<FieldPath>> projection;
  for (size_t i = 0; i < aggregate_at; ++i) {
    if (const auto* sort = std::get_if<query::SortStage>(&stages[i].body)) {
      std::vector<std::string> keys;
      for (const query::SortKey& key : sort->keys) {
        TH_ASSIGN_OR_RETURN(const std::string k, SortKey(key.field.path, &events));
        keys.push_back(k + (key.descending ? " DESC" : ""));
      }
      // A stable sort: the previous order breaks ties.
      events.order.insert(events.order.begin(), keys.begin(), keys.end());
    } else if (const auto* head = std::get_if<query::HeadStage>(&stages[i].body)) {
      TH_ASSIGN_OR_RETURN(const std::string table, Top(events, head->limit));
      events = EventSet{SqlFragment{table, {}}, {"c.pos"}, ""};
    } else if (const auto* fields = std::get_if<query::FieldsStage>(&stages[i].body)) {
      if (aggregate_at < stages.size()) {
        return Status::Unimplemented("the oracle does not aggregate rows made by 'fields'");
      }
      projection.emplace();
      for (const query::FieldRef& f : fields->fields) projection->push_back(f.path);
    }
  }

  if (aggregate_at == stages.size()) {
    TH_ASSIGN_OR_RETURN(const std::string top, Top(events, static_cast<int64_t>(ctx_.event_limit)));
    const std::string from = " FROM " + top + " t JOIN events e ON e.id = t.id ORDER BY t.pos";
    if (!projection) {  // events mode
      result->rows_mode = false;
      TH_ASSIGN_OR_RETURN(
          const auto rows,
          ctx_.db->Query({"SELECT e.time, e.source, e.category, e.raw" + from, {}}));
      for (const auto& row : rows) {
        result->events.push_back(
            query::ResultEvent{std::get<int64_t>(row[0]), std::get<std::string>(row[1]),
                               std::get<std::string>(row[2]), std::get<std::string>(row[3])});
      }
      return Status::OK();
    }
    result->rows_mode = true;  // rows of field values
    std::vector<std::string> exprs;
    for (const FieldPath& f : *projection) {
      result->columns.push_back(f.Dotted());
      exprs.push_back(ValueExpr(f));
    }
    TH_ASSIGN_OR_RETURN(const auto cells,
                        ctx_.db->Query({"SELECT " + Join(exprs, ", ") + from, {}}));
    for (const auto& cell_row : cells) {
      std::vector<Value> row;
      for (const SqlValue& cell : cell_row) {
        row.push_back(DecodeOracleValue(std::get<std::string>(cell)));
      }
      result->rows.push_back(std::move(row));
    }
    return Status::OK();
  }

  result->rows_mode = true;
  std::vector<std::string> columns;
  std::vector<FieldPath> by;
  int64_t span_millis = 0;
  const std::vector<query::Aggregate>* aggregates = nullptr;
  if (const auto* stats = std::get_if<query::StatsStage>(&stages[aggregate_at].body)) {
    for (const query::FieldRef& f : stats->by) by.push_back(f.path);
    aggregates = &stats->aggregates;
  } else {
    const auto& chart = std::get<query::TimechartStage>(stages[aggregate_at].body);
    columns.push_back("_time");
    if (chart.by) by.push_back(chart.by->path);
    span_millis = chart.span_secs * 1000;
    aggregates = &chart.aggregates;
  }
  for (const FieldPath& f : by) columns.push_back(f.Dotted());
  for (const query::Aggregate& a : *aggregates) columns.push_back(a.OutputName());
  std::vector<std::vector<Value>> rows;
  TH_RETURN_IF_ERROR(Aggregate(events, *aggregates, by, span_millis, &rows));
  return RunRows(stages, aggregate_at + 1, std::move(columns), std::move(rows), result);
}

Status StageRunner::Aggregate(const EventSet& events,
                              const std::vector<query::Aggregate>& aggregates,
                              const std::vector<FieldPath>& by, int64_t span_millis,
                              std::vector<std::vector<Value>>* rows) {
  // x: one row per (event, combination of the texts of its by-fields), distinct; a by-field
  // without text gives NULL (the LEFT JOIN). Then one GROUP BY over x.
  std::vector<std::string> select = {"c.id AS ev"};
  std::vector<std::string> groups;
  std::string joins;
  bool envelope = false;  // whether x needs the events' envelope
  if (span_millis > 0) {
    const std::string span = std::to_string(span_millis);
    select.push_back("c.time - (((c.time % " + span + ") + " + span + ") % " + span + ") AS g0");
    groups.push_back("g0");
  }
  for (size_t k = 0; k < by.size(); ++k) {
    const std::string g = "g" + std::to_string(groups.size());
    const std::string b = "b" + std::to_string(k);
    switch (by[k].virtual_field()) {
      case VirtualField::kTime:
        select.push_back("CAST(c.time AS TEXT) AS " + g);
        break;
      case VirtualField::kSource:
      case VirtualField::kCategory:
        envelope = true;
        select.push_back(std::string(by[k].virtual_field() == VirtualField::kSource
                                         ? "e.source"
                                         : "e.category") +
                         " AS " + g);
        break;
      case VirtualField::kNone:
        joins += " LEFT JOIN kv " + b + " ON " + b + ".pid = " + std::to_string(PathId(by[k])) +
                 " AND " + b + ".ev = c.id";
        select.push_back(TextOf(b) + " AS " + g);
        break;
    }
    groups.push_back(g);
  }
  select.push_back("c.time AS time");

  // Each aggregate from per-event values of its field (correlated on x.ev).
  std::vector<std::string> exprs(groups.begin(), groups.end());
  std::vector<bool> encoded(groups.size(), false);
  bool aggregate_envelope = false;
  for (const query::Aggregate& a : aggregates) {
    if (!a.field) {
      exprs.push_back("count(*)");
      encoded.push_back(false);
      continue;
    }
    const FieldPath& f = a.field->path;
    const VirtualField v = f.virtual_field();
    const std::string rows_of =
        " FROM kv k WHERE k.pid = " + std::to_string(PathId(f)) + " AND k.ev = x.ev)";
    const std::string column = v == VirtualField::kSource ? "ev.source" : "ev.category";
    if (v == VirtualField::kSource || v == VirtualField::kCategory) aggregate_envelope = true;
    switch (a.function) {
      case AggregateFunction::kCount:  // events where f:* holds
        exprs.push_back(v == VirtualField::kNone ? "ifnull(sum(EXISTS (SELECT 1" + rows_of + "), 0)"
                                                 : "count(*)");
        break;
      case AggregateFunction::kCountDistinct:
      case AggregateFunction::kValues: {
        const std::string texts = v == VirtualField::kNone
                                      ? "(SELECT th_texts(" + TextOf("k") + ")" + rows_of
                                  : v == VirtualField::kTime ? "th_list1(CAST(x.time AS TEXT))"
                                                             : "th_list1(" + column + ")";
        exprs.push_back(a.function == AggregateFunction::kCountDistinct
                            ? "th_count_texts(" + texts + ")"
                            : "th_merge_texts(" + texts + ", " + std::to_string(ctx_.max_values) +
                                  ")");
        break;
      }
      case AggregateFunction::kMin:
      case AggregateFunction::kMax: {
        const bool min = a.function == AggregateFunction::kMin;
        const std::string value = v == VirtualField::kNone
                                      ? std::string("(SELECT ") + (min ? "th_min" : "th_max") +
                                            "(k.t, " + TextOf("k") + ", k.n)" + rows_of
                                  : v == VirtualField::kTime ? "th_int(x.time)"
                                                             : "th_str(" + column + ")";
        exprs.push_back(std::string(min ? "th_vmin(" : "th_vmax(") + value + ")");
        break;
      }
    }
    encoded.push_back(a.function != AggregateFunction::kCount &&
                      a.function != AggregateFunction::kCountDistinct);
  }

  SqlFragment q{"SELECT " + Join(exprs, ", ") + " FROM (SELECT " +
                    std::string(by.empty() ? "" : "DISTINCT ") + Join(select, ", ") + " FROM ",
                {}};
  q.Append(events.from);
  q.Append(" c" + std::string(envelope ? " JOIN events e ON e.id = c.id" : "") + joins + ") x" +
           (aggregate_envelope ? " JOIN events ev ON ev.id = x.ev" : ""));
  if (!groups.empty())
    q.Append(" GROUP BY " + Join(groups, ", ") + " ORDER BY " + Join(groups, ", "));
  TH_ASSIGN_OR_RETURN(SqlStatement statement, ctx_.db->Prepare(q.sql));
  TH_RETURN_IF_ERROR(statement.Bind(q.params));
  while (true) {
    TH_ASSIGN_OR_RETURN(const bool has_row, statement.Step());
    if (!has_row) break;
    std::vector<Value> row;
    for (int c = 0; c < statement.ColumnCount(); ++c) {
      const SqlValue cell = statement.Column(c);
      row.push_back(encoded[static_cast<size_t>(c)] ? DecodeOracleValue(std::get<std::string>(cell))
                                                    : CellValue(cell));
    }
    rows->push_back(std::move(row));
  }
  return Status::OK();
}

Status StageRunner::RunRows(const std::vector<query::Stage>& stages, size_t first,
                            std::vector<std::string> columns, std::vector<std::vector<Value>> rows,
                            query::QueryResult* result) {
  if (first < stages.size()) {
    // The rows go into a table of encoded cells; each stage makes the next table.
    std::string table = NewTable();
    std::vector<std::string> cells;
    for (size_t c = 0; c < columns.size(); ++c) cells.push_back("c" + std::to_string(c));
    TH_RETURN_IF_ERROR(ctx_.db->Exec("CREATE TEMP TABLE " + table + "(pos INTEGER PRIMARY KEY, " +
                                     Join(cells, ", ") + ")"));
    {
      std::vector<std::string> marks(columns.size(), "?");
      TH_ASSIGN_OR_RETURN(SqlStatement insert,
                          ctx_.db->Prepare("INSERT INTO " + table + "(" + Join(cells, ", ") +
                                           ") VALUES (" + Join(marks, ", ") + ")"));
      for (const std::vector<Value>& row : rows) {
        std::vector<SqlValue> params;
        for (const Value& v : row) params.emplace_back(EncodeOracleValue(v));
        TH_RETURN_IF_ERROR(insert.Bind(params));
        TH_RETURN_IF_ERROR(insert.Run());
      }
    }
    auto column_of = [&columns](const query::FieldRef& f) -> Result<std::string> {
      for (size_t c = 0; c < columns.size(); ++c) {
        if (columns[c] == f.path.Dotted()) return "c" + std::to_string(c);
      }
      return Status::InvalidArgument("unknown column '" + f.path.Dotted() + "'");
    };
    for (size_t i = first; i < stages.size(); ++i) {
      const std::string next = NewTable();
      std::string select;
      if (const auto* sort = std::get_if<query::SortStage>(&stages[i].body)) {
        std::vector<std::string> keys;
        for (const query::SortKey& key : sort->keys) {
          TH_ASSIGN_OR_RETURN(const std::string cell, column_of(key.field));
          keys.push_back("th_sortkey(" + cell + ")" + (key.descending ? " DESC" : ""));
        }
        keys.push_back("pos");  // stable
        select = "SELECT row_number() OVER (ORDER BY " + Join(keys, ", ") + ") AS pos, " +
                 Join(cells, ", ") + " FROM " + table;
      } else if (const auto* head = std::get_if<query::HeadStage>(&stages[i].body)) {
        select = "SELECT pos, " + Join(cells, ", ") + " FROM " + table + " ORDER BY pos LIMIT " +
                 std::to_string(head->limit);
      } else if (const auto* fields = std::get_if<query::FieldsStage>(&stages[i].body)) {
        std::vector<std::string> kept, names;
        for (const query::FieldRef& f : fields->fields) {
          TH_ASSIGN_OR_RETURN(const std::string cell, column_of(f));
          kept.push_back(cell + " AS c" + std::to_string(kept.size()));
          names.push_back(f.path.Dotted());
        }
        select = "SELECT pos, " + Join(kept, ", ") + " FROM " + table;
        columns = std::move(names);
        cells.clear();
        for (size_t c = 0; c < columns.size(); ++c) cells.push_back("c" + std::to_string(c));
      } else {
        return Status::Unimplemented("the oracle supports one stats or timechart per query");
      }
      TH_RETURN_IF_ERROR(ctx_.db->Exec("CREATE TEMP TABLE " + next + " AS " + select));
      table = next;
    }
    TH_ASSIGN_OR_RETURN(
        const auto encoded,
        ctx_.db->Query({"SELECT " + Join(cells, ", ") + " FROM " + table + " ORDER BY pos", {}}));
    rows.clear();
    for (const auto& encoded_row : encoded) {
      std::vector<Value> row;
      for (const SqlValue& cell : encoded_row) {
        row.push_back(DecodeOracleValue(std::get<std::string>(cell)));
      }
      rows.push_back(std::move(row));
    }
  }
  result->columns = std::move(columns);
  result->rows = std::move(rows);
  return Status::OK();
}

}  // namespace

Status RunOracleStages(const std::vector<query::Stage>& stages, const OracleStageContext& context,
                       query::QueryResult* result) {
  StageRunner runner(context);
  return runner.Run(stages, result);
}

}  // namespace trailhound::testing
