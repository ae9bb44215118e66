// SqliteOracle: the test oracle of the store's search (DESIGN.md: "SQLite is the test oracle:
// differential tests run the same events and queries through both"). It keeps events in an
// in-memory SQLite database and answers a parsed query by translating it into SQL: the
// filter's boolean logic as SQL, JSON fields through a key/value table filled from SQLite's
// JSON1 json_tree(), stats/timechart as GROUP BY, sort/head as ORDER BY/LIMIT. It is
// independent of what it checks: it never calls FilterMatcher, Pipeline or the store, and
// its value rules are written again from docs/query-language.md (sqlite_oracle_values.h).
// Layout: sqlite_oracle_schema.h (tables), _loader (JSON → values), _filter (filter → SQL),
// _stages (stages → SQL), _functions and _codec (SQL helpers), _db (SQLite API).
//
// Loading: each event is flattened once and its values kept in memory; every million values,
// and before the next query, they go into the kv table path by path (inserting in its
// clustered order is much faster than event by event), and before a query the events are
// ranked.
// Not thread-safe: one thread at a time. Errors: kCorruption for an event that is not a JSON
// object, kUnimplemented for stages the oracle does not model (stats after fields), kInternal
// for SQLite failures.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <unordered_set>
#include <vector>

#include "core/result.h"
#include "query/ast.h"
#include "query/pipeline.h"
#include "testing/sqlite_oracle_db.h"
#include "testing/sqlite_oracle_loader.h"

namespace trailhound::testing {

// One event as the store keeps it: the envelope and the verbatim JSON.
struct OracleEvent {
  int64_t time_millis = 0;  // _time
  std::string source;       // _source
  std::string category;     // _category, e.g. "Cloud Service Activity"
  std::string raw;          // the verbatim JSON object
};

struct SqliteOracleOptions {
  // values(): at most this many texts per group (PipelineOptions::max_values).
  size_t max_values = 100;
};

class SqliteOracle {
 public:
  static Result<std::unique_ptr<SqliteOracle>> Create(const SqliteOracleOptions& options = {});
  ~SqliteOracle();
  SqliteOracle(const SqliteOracle&) = delete;
  SqliteOracle& operator=(const SqliteOracle&) = delete;

  // Adds the events that are not there yet, as the store deduplicates: one event per
  // (recipientAccountId, eventID), the first one added wins; an event without an eventID is
  // keyed by its raw JSON. Returns how many were new.
  Result<size_t> Add(std::span<const OracleEvent> events);

  // The result of `query` over the events with from_ms <= _time < to_ms, as
  // docs/query-language.md "Results" describes it: `total` counts every matching event
  // (never the early-stopped count the store may give), events mode returns at most
  // `event_limit` events.
  Result<query::QueryResult> Run(const query::Query& query, int64_t from_ms, int64_t to_ms,
                                 size_t event_limit);

  // Distinct events added.
  size_t size() const { return keys_.size(); }

 private:
  // A value kept in memory until its path is put into kv.
  struct KeptValue {
    uint32_t ev = 0;
    uint32_t seq = 0;
    OracleType type = OracleType::kString;
    OracleValueRow::NumberKind number_kind = OracleValueRow::kNoNumber;
    int64_t number_bits = 0;  // the integer, or the double's bits
    uint64_t text_at = 0;     // chunk << 32 | offset in texts_
    uint32_t text_size = 0;
  };

  SqliteOracle(std::unique_ptr<SqlDatabase> db, SqliteOracleOptions options);
  Status Prepare();
  // Add inside its transaction.
  Result<size_t> AddEvents(std::span<const OracleEvent> events);
  // Puts every kept value into kv and frees them.
  Status Materialize();
  // Binds kv row parameters first .. first + 5 of `insert`.
  Status BindValue(SqlStatement& insert, int first, int64_t pid, const KeptValue& v);
  // After Adds: ranks the events and materializes the values.
  Status PrepareForQueries();
  // The JSON text of value `seq` of event `ev` (th_text).
  Result<std::string> ObjectText(int64_t ev, int64_t seq);
  uint64_t KeepText(std::string_view text);
  std::string_view KeptText(const KeptValue& value) const;

  std::unique_ptr<SqlDatabase> db_;
  SqliteOracleOptions options_;
  std::unique_ptr<OracleFlattener> flattener_;
  std::unique_ptr<OracleFlattener> object_texts_;  // parses the event ObjectText reads
  int64_t object_texts_ev_ = -1;                   // ... which is this one
  SqlStatement select_raw_;
  SqlStatement insert_event_, insert_value_, insert_values_, insert_path_;
  OraclePaths paths_;
  size_t paths_in_table_ = 1;                   // paths_ ids below this are in the paths table
  std::vector<std::vector<KeptValue>> values_;  // by pid: the values not in kv yet
  size_t pending_values_ = 0;                   // in values_
  std::vector<std::string> texts_;              // chunks of value texts
  std::unordered_set<std::string> keys_;        // dedup keys of the events added
  FlatEvent flat_;                              // reused
  bool ranked_ = false;  // no events added since the last ranking and materialization
};

}  // namespace trailhound::testing
