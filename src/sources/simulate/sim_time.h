// UTC calendar helpers for the simulator: formatting CloudTrail's timestamps and parsing the
// CLI's --start / --span. Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace trailhound::sources::simulate {

struct CivilTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
};

// REQUIRES: unix_secs >= 0.
CivilTime ToCivil(int64_t unix_secs);
int64_t FromCivil(const CivilTime& t);

// Appends "2025-01-01T12:34:56Z" (eventTime's format).
void AppendIso8601(int64_t unix_secs, std::string* out);

// "2025-01-01T00:00:00Z", "2025-01-01T00:00Z" or "2025-01-01" (UTC) → seconds since the epoch.
Result<int64_t> ParseIso8601(std::string_view text);
// "90s", "30m", "24h", "7d" (or plain seconds) → seconds.
Result<int64_t> ParseSpan(std::string_view text);

}  // namespace trailhound::sources::simulate
