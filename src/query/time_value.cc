#include "query/time_value.h"

#include <fmt/format.h>

namespace trailhound::query {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (the well-known era-based formula).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void CivilFromDays(int64_t z, int64_t* y, int64_t* m, int64_t* d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  *d = doy - (153 * mp + 2) / 5 + 1;
  *m = mp < 10 ? mp + 3 : mp - 9;
  *y = yoe + era * 400 + (*m <= 2 ? 1 : 0);
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at *pos.
bool Digits(std::string_view s, size_t* pos, size_t n, int64_t* out) {
  if (*pos + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Char(std::string_view s, size_t* pos, char c) {
  if (*pos < s.size() && s[*pos] == c) {
    ++*pos;
    return true;
  }
  return false;
}

}  // namespace

Result<int64_t> ParseTimeMillis(std::string_view text) {
  const auto bad = [&]() {
    return Status::InvalidArgument(
        fmt::format("'{}' is not an ISO 8601 time like 2024-05-01 or 2024-05-01T12:00:00Z", text));
  };
  size_t pos = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!Digits(text, &pos, 4, &year) || !Char(text, &pos, '-') || !Digits(text, &pos, 2, &month) ||
      !Char(text, &pos, '-') || !Digits(text, &pos, 2, &day)) {
    return bad();
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return bad();
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == 't' || text[pos] == ' ')) {
    ++pos;
    if (!Digits(text, &pos, 2, &hour) || !Char(text, &pos, ':') ||
        !Digits(text, &pos, 2, &minute)) {
      return bad();
    }
    if (Char(text, &pos, ':')) {
      if (!Digits(text, &pos, 2, &second)) return bad();
      if (Char(text, &pos, '.') || Char(text, &pos, ',')) {
        size_t digits = 0;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
          if (digits < 3) millis = millis * 10 + (text[pos] - '0');
          ++digits;
          ++pos;
        }
        if (digits == 0 || digits > 9) return bad();
        for (size_t i = digits; i < 3; ++i) millis *= 10;
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return bad();
  }
  int64_t offset_minutes = 0;
  if (pos < text.size()) {
    if (text[pos] == 'Z' || text[pos] == 'z') {
      ++pos;
    } else if (text[pos] == '+' || text[pos] == '-') {
      const int64_t sign = text[pos] == '-' ? -1 : 1;
      ++pos;
      int64_t oh = 0, om = 0;
      if (!Digits(text, &pos, 2, &oh)) return bad();
      if (Char(text, &pos, ':')) {
        if (!Digits(text, &pos, 2, &om)) return bad();
      } else if (pos < text.size()) {
        if (!Digits(text, &pos, 2, &om)) return bad();
      }
      if (oh > 23 || om > 59) return bad();
      offset_minutes = sign * (oh * 60 + om);
    }
  }
  if (pos != text.size()) return bad();
  const int64_t days = DaysFromCivil(year, month, day);
  const int64_t seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
  return seconds * 1000 + millis;
}

std::string FormatTimeMillis(int64_t millis) {
  int64_t days = millis / 86400000;
  int64_t rest = millis % 86400000;
  if (rest < 0) {
    rest += 86400000;
    --days;
  }
  int64_t y = 0, m = 0, d = 0;
  CivilFromDays(days, &y, &m, &d);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", y, m, d, rest / 3600000,
                     rest / 60000 % 60, rest / 1000 % 60, rest % 1000);
}

}  // namespace trailhound::query
