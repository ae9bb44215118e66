// RunOracleStages: a query's pipe stages as SQL over the events that matched its filter
// (docs/query-language.md "Results").
// - Events: the default order is ORDER BY time DESC, rank (rank orders raw, source, category
//   by bytes; sqlite_oracle_schema.h), which an index serves with an early stop; a `sort`
//   puts its keys in front (what a stable sort does), each a value-order key per event
//   (th_sortkey); `head` keeps the first N in a temporary table.
// - `fields` without a later stats/timechart picks the values the rows show, and event_limit
//   cuts the final order as in events mode.
// - `stats`/`timechart` are one GROUP BY over the distinct (event, text of each by-field)
//   rows, with per-event values of the aggregated fields from correlated subqueries.
// - The stages after it run on a temporary table of rows.
// Not thread-safe: uses the database's temporary tables.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/status.h"
#include "query/ast.h"
#include "query/pipeline.h"
#include "testing/sqlite_oracle_db.h"
#include "testing/sqlite_oracle_filter.h"

namespace trailhound::testing {

struct OracleStageContext {
  SqlDatabase* db = nullptr;
  PathIdLookup path_id;
  // SELECT of the matching events, with columns id, time and rank.
  SqlFragment events;
  size_t event_limit = 100;  // events mode and `fields` without stats: at most this many
  size_t max_values = 100;   // values(): at most this many texts
};

// Runs `stages` over `context.events` and fills everything in `result` but `total`.
// kUnimplemented for a `stats` or `timechart` after a `fields` (grouping rows by their cells
// is left open by the docs).
Status RunOracleStages(const std::vector<query::Stage>& stages, const OracleStageContext& context,
                       query::QueryResult* result);

}  // namespace trailhound::testing
