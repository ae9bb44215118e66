// Times in queries: the values of the virtual field _time (`_time:>=2024-05-01T00:00:00Z`),
// parsed to epoch milliseconds and formatted back. Pure functions; errors are
// kInvalidArgument naming the value.
//
// Accepted (ISO 8601 / RFC 3339 calendar forms): a date (YYYY-MM-DD), or a date, 'T' (or 't'
// or a space) and HH:MM[:SS[.fraction]], then an optional zone: 'Z', ±HH:MM, ±HHMM or ±HH
// (none means UTC). Fractions beyond milliseconds are truncated. A date alone is an instant
// (its midnight), not a whole day.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace trailhound::query {

// Milliseconds since 1970-01-01T00:00:00Z.
Result<int64_t> ParseTimeMillis(std::string_view text);

// "2024-05-01T12:00:00.000Z".
std::string FormatTimeMillis(int64_t millis);

}  // namespace trailhound::query
