// The value rules of docs/query-language.md "Semantics", written again for the SQLite oracle
// (sqlite_oracle.h) straight from the documentation, so that the oracle shares no code with
// the engine it checks (query/scalar.h, query/wildcard.h, query/time_value.h): ASCII case
// folding, the "reads as a number" rule, canonical number text, query wildcards as SQLite
// GLOB patterns, and ISO 8601 times. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/result.h"

namespace trailhound::testing {

// 'A'-'Z' → 'a'-'z'; every other byte (all non-ASCII UTF-8 included) unchanged. This is
// also what SQLite's built-in lower() does.
std::string OracleFold(std::string_view text);

// A number read from text: an integer when it has no fraction or exponent and fits 64 bits,
// else a finite double.
using OracleNumber = std::variant<int64_t, double>;

// `-?digits[.digits][(e|E)[+-]digits]` (leading zeros allowed), nothing before or after;
// nullopt otherwise and for values out of the double range.
std::optional<OracleNumber> OracleParseNumber(std::string_view text);

// Integers in decimal; doubles in the shortest text that reads back the same, fixed or
// scientific whichever is shorter ("1.5", "5", "1e+21").
std::string OracleNumberText(const OracleNumber& number);

// A query wildcard pattern (in a query `\` escapes any character; the AST's canonical form
// escapes only `*`, `?` and `\`, and a `\` before anything else is literal) as a GLOB
// pattern over ASCII-folded text: `*` and `?` stay wildcards (GLOB's `?` is one UTF-8
// character, as the docs want); literal `*`, `?` and `[` become `[*]`, `[?]`, `[[]`; literal
// letters are folded.
std::string OracleWildcardToGlob(std::string_view pattern);

// Milliseconds since the epoch of an ISO 8601 time as the docs accept for _time: a date
// (its midnight), or date 'T' (or 't' or ' ') HH:MM[:SS[.fraction]] and an optional zone
// 'Z', ±HH:MM, ±HHMM or ±HH (none: UTC). Fractions past milliseconds are cut off.
// kInvalidArgument otherwise.
Result<int64_t> OracleParseTimeMillis(std::string_view text);

}  // namespace trailhound::testing
