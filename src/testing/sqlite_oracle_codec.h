// How the SQLite oracle (sqlite_oracle.h) carries result values through SQL: a query::Value
// travels as a BLOB in a private encoding, and "value order" (docs/query-language.md
// "Results", "Value order") becomes the byte order of a sort key, so that ORDER BY on the
// key sorts exactly as documented. Written from the docs, independent of the Pipeline it
// checks. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "query/pipeline.h"

namespace trailhound::testing {

// The BLOB a cell travels as. DecodeOracleValue(EncodeOracleValue(v)) == v.
std::string EncodeOracleValue(const query::Value& value);
// REQUIRES: `blob` came from EncodeOracleValue (anything else decodes to null).
query::Value DecodeOracleValue(std::string_view blob);

// A key whose unsigned byte order (memcmp, a prefix first) is the documented value order:
// null < false < true < numbers (compared as doubles; an integer before an equal real) <
// strings (by bytes) < lists (element by element, a prefix first).
std::string OracleSortKey(const query::Value& value);

// <0, 0, >0 in value order (the order of OracleSortKey).
int CompareOracleValues(const query::Value& a, const query::Value& b);

// `text` as a JSON string literal, escaped as docs/query-language.md "JSON text" says:
// `\"` `\\` `\b` `\f` `\n` `\r` `\t`, other bytes below 0x20 as \u00xx, the rest as is.
void AppendOracleJsonString(std::string_view text, std::string* out);

}  // namespace trailhound::testing
