// The tables of the SQLite oracle (sqlite_oracle.h) and the names shared by the code that
// fills them (sqlite_oracle.cc, sqlite_oracle_loader.h) and the code that queries them
// (sqlite_oracle_filter.h, sqlite_oracle_stages.h).
//
//   events(id, time, source, category, raw, rank)   one row per distinct event; rank orders
//       the events by (raw, source, category), the tie-break of the default order, so that
//       sorting never has to carry the raw JSON
//   kv(pid, ev, seq, t, s, n)   one row per value a field path reaches, clustered by path
//   paths(pid, path)            the key paths (OracleKeyPath), for reading the database
//
// A kv row is one JSON value other than an array or null (arrays are expanded into their
// elements, nulls are missing), reached from event `ev`'s root by the object keys of path
// `pid`; `seq` orders the values of an event in document order. `t` is the type
// (OracleType), `s` the value's text (docs/query-language.md "Texts": strings as they are,
// numbers in canonical text, true/false; objects have "" and th_text makes their JSON text)
// and `n` the number of a JSON number or of a string that reads as a number (else NULL).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace trailhound::testing {

// kv.t. Scalars are below kObject.
enum class OracleType : int {
  kString = 0,
  kInteger = 1,
  kReal = 2,
  kTrue = 3,
  kFalse = 4,
  kObject = 5,
};

// The key path of a field: its object keys, each with '\' and '.' escaped by '\', joined
// by '.'. Array levels leave no trace, so resources[0].type and resources[1].type are both
// "resources.type".
std::string OracleKeyPath(const std::vector<std::string>& keys);

// The statements that create the tables.
inline constexpr char kOracleSchema[] = R"sql(
CREATE TABLE events(id INTEGER PRIMARY KEY, time INTEGER NOT NULL, source TEXT NOT NULL,
                    category TEXT NOT NULL, raw TEXT NOT NULL, rank INTEGER NOT NULL DEFAULT 0);
CREATE TABLE kv(pid INTEGER NOT NULL, ev INTEGER NOT NULL, seq INTEGER NOT NULL,
                t INTEGER NOT NULL, s TEXT NOT NULL, n, PRIMARY KEY(pid, ev, seq)) WITHOUT ROWID;
CREATE TABLE paths(pid INTEGER PRIMARY KEY, path TEXT NOT NULL);
)sql";

// Ranks the events by (raw, source, category) bytes and indexes them by time; run before a
// query whenever events were added.
inline constexpr char kOracleRanks[] = R"sql(
UPDATE events SET rank = r.n FROM
  (SELECT id, row_number() OVER (ORDER BY raw, source, category) AS n FROM events) AS r
  WHERE r.id = events.id;
CREATE INDEX IF NOT EXISTS events_time ON events(time, rank DESC);
)sql";

}  // namespace trailhound::testing
