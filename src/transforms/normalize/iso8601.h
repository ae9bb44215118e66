// ParseIso8601Millis: CloudTrail's eventTime ("2014-03-06T21:22:54Z") to milliseconds since the
// Unix epoch, UTC. Hand-written rather than std::get_time/strptime: it runs once per event on the
// normalizer's hot path, and those are locale-dependent, slow and mishandle offsets and
// fractions. Dates use days-from-civil arithmetic, so every valid proleptic-Gregorian date of
// years 0000–9999 is exact (leap days, centuries, 1970, 2100). Thread safety: a pure function.
//
// Accepted: YYYY-MM-DD, 'T' / 't' / ' ' (Panther writes a space), hh:mm[:ss], optional fraction
// ('.' or ',' then 1+ digits; truncated to milliseconds), then 'Z' / 'z', ±hh:mm, ±hhmm, ±hh, or
// nothing (taken as UTC: CloudTrail always means UTC). Second 60 (a leap second) is accepted
// and counts as the next second. Anything else, including out-of-range fields (month 13,
// 2023-02-29, hour 24) and trailing text, returns nullopt.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace trailhound::transforms {

std::optional<int64_t> ParseIso8601Millis(std::string_view text);

// Days from 1970-01-01 to the given proleptic-Gregorian date (negative before 1970).
// REQUIRES: 1 <= month <= 12, 1 <= day <= DaysInMonth(year, month).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

unsigned DaysInMonth(int64_t year, unsigned month);

}  // namespace trailhound::transforms
