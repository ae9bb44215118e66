#include "testing/sqlite_oracle_values.h"

#include <charconv>
#include <cmath>
#include <system_error>

namespace trailhound::testing {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

size_t CountDigits(std::string_view s, size_t at) {
  size_t n = 0;
  while (at + n < s.size() && IsDigit(s[at + n])) ++n;
  return n;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool IsLeap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int DaysInMonth(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeap(y) ? 29 : kDays[m - 1];
}

// Reads exactly `n` digits at `*at` into `*out`.
bool ReadFixed(std::string_view s, size_t* at, size_t n, int64_t* out) {
  if (*at + n > s.size()) return false;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[*at + i];
    if (!IsDigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *at += n;
  *out = v;
  return true;
}

}  // namespace

std::string OracleFold(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::optional<OracleNumber> OracleParseNumber(std::string_view text) {
  size_t at = 0;
  if (at < text.size() && text[at] == '-') ++at;
  const size_t whole = CountDigits(text, at);
  if (whole == 0) return std::nullopt;
  at += whole;
  bool integral = true;
  if (at < text.size() && text[at] == '.') {
    const size_t fraction = CountDigits(text, at + 1);
    if (fraction == 0) return std::nullopt;
    at += 1 + fraction;
    integral = false;
  }
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
    const size_t exponent = CountDigits(text, at);
    if (exponent == 0) return std::nullopt;
    at += exponent;
    integral = false;
  }
  if (at != text.size()) return std::nullopt;
  const char* first = text.data();
  const char* last = text.data() + text.size();
  if (integral) {
    int64_t value = 0;
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (ec == std::errc() && ptr == last) return OracleNumber(value);
  }
  double value = 0;
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || !std::isfinite(value)) return std::nullopt;
  return OracleNumber(value);
}

std::string OracleNumberText(const OracleNumber& number) {
  char buffer[64];
  std::to_chars_result r;
  if (const auto* i = std::get_if<int64_t>(&number)) {
    r = std::to_chars(buffer, buffer + sizeof(buffer), *i);
  } else {
    r = std::to_chars(buffer, buffer + sizeof(buffer), std::get<double>(number));
  }
  return std::string(buffer, r.ptr);
}

std::string OracleWildcardToGlob(std::string_view pattern) {
  std::string glob;
  auto literal = [&glob](char c) {
    if (c == '*') {
      glob += "[*]";
    } else if (c == '?') {
      glob += "[?]";
    } else if (c == '[') {
      glob += "[[]";
    } else {
      glob += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if (c == '\\' && i + 1 < pattern.size() &&
        (pattern[i + 1] == '*' || pattern[i + 1] == '?' || pattern[i + 1] == '\\')) {
      literal(pattern[++i]);
    } else if (c == '*' || c == '?') {
      glob += c;
    } else {
      literal(c);
    }
  }
  return glob;
}

Result<int64_t> OracleParseTimeMillis(std::string_view text) {
  const Status invalid =
      Status::InvalidArgument("not an ISO 8601 time: '" + std::string(text) + "'");
  size_t at = 0;
  int64_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, millis = 0;
  if (!ReadFixed(text, &at, 4, &year) || at >= text.size() || text[at++] != '-' ||
      !ReadFixed(text, &at, 2, &month) || at >= text.size() || text[at++] != '-' ||
      !ReadFixed(text, &at, 2, &day)) {
    return invalid;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month)) return invalid;
  int64_t offset_minutes = 0;
  if (at < text.size()) {
    const char sep = text[at++];
    if (sep != 'T' && sep != 't' && sep != ' ') return invalid;
    if (!ReadFixed(text, &at, 2, &hour) || at >= text.size() || text[at++] != ':' ||
        !ReadFixed(text, &at, 2, &minute)) {
      return invalid;
    }
    if (at < text.size() && text[at] == ':') {
      ++at;
      if (!ReadFixed(text, &at, 2, &second)) return invalid;
      if (at < text.size() && text[at] == '.') {
        ++at;
        const size_t digits = CountDigits(text, at);
        if (digits == 0) return invalid;
        for (size_t i = 0; i < 3; ++i) {
          millis = millis * 10 + (i < digits ? text[at + i] - '0' : 0);
        }
        at += digits;
      }
    }
    if (hour > 23 || minute > 59 || second > 59) return invalid;
    if (at < text.size()) {
      const char zone = text[at++];
      if (zone == 'Z' || zone == 'z') {
        // UTC
      } else if (zone == '+' || zone == '-') {
        int64_t zh = 0, zm = 0;
        if (!ReadFixed(text, &at, 2, &zh)) return invalid;
        if (at < text.size()) {
          if (text[at] == ':') ++at;
          if (!ReadFixed(text, &at, 2, &zm)) return invalid;
        }
        if (zh > 23 || zm > 59) return invalid;
        offset_minutes = (zone == '+' ? 1 : -1) * (zh * 60 + zm);
      } else {
        return invalid;
      }
    }
    if (at != text.size()) return invalid;
  }
  const int64_t days = DaysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute - offset_minutes) * 60000 + second * 1000 + millis;
}

}  // namespace trailhound::testing
