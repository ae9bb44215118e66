// FilterToSql: a query filter (query/ast.h) as an SQL condition over the oracle's tables
// (sqlite_oracle_schema.h), for `SELECT ... FROM events e WHERE <condition>`. The boolean
// logic stays SQL (AND, OR, NOT); a term on a JSON field becomes
// `EXISTS (SELECT 1 FROM kv WHERE pid = P AND ev = e.id AND <test of one value>)`, so a term
// holds when ANY value the path reaches passes, and NOT negates the whole term; free text
// becomes instr(lower(raw), lower(text)) > 0 (as th_contains_folded, which is faster) or
// lower(raw) GLOB '*pattern*'. The value tests are the rules of
// docs/query-language.md "Semantics", written here from the docs (see
// sqlite_oracle_values.h). Pure; thread-safe as long as `path_id` is.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "query/ast.h"
#include "testing/sqlite_oracle_db.h"

namespace trailhound::testing {

// The kv pid of the path of these object keys, or -1 when no loaded event has that path.
using PathIdLookup = std::function<int64_t(const std::vector<std::string>& keys)>;

// A null filter is "1". kInvalidArgument for a _time value that is not an ISO 8601 time or
// a wildcard on _time (which the parser never produces).
Result<SqlFragment> FilterToSql(const query::NodePtr& filter, const PathIdLookup& path_id);

}  // namespace trailhound::testing
