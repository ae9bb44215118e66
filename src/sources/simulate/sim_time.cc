#include "sources/simulate/sim_time.h"

#include <fmt/format.h>

#include <charconv>

namespace trailhound::sources::simulate {
namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (era-based day counting).
int64_t DaysFromCivil(int64_t y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

void AppendDigits(int value, int width, std::string* out) {
  char buf[8];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  out->append(buf, static_cast<size_t>(width));
}

bool ReadInt(std::string_view text, size_t pos, size_t len, int* value) {
  if (pos + len > text.size()) return false;
  auto [ptr, ec] = std::from_chars(text.data() + pos, text.data() + pos + len, *value);
  return ec == std::errc() && ptr == text.data() + pos + len;
}

}  // namespace

CivilTime ToCivil(int64_t unix_secs) {
  int64_t days = unix_secs / 86400;
  int64_t rem = unix_secs % 86400;
  int64_t z = days + 719468;
  int64_t era = z / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  CivilTime t;
  t.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  t.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  t.year = static_cast<int>(yoe + era * 400 + (t.month <= 2 ? 1 : 0));
  t.hour = static_cast<int>(rem / 3600);
  t.minute = static_cast<int>(rem % 3600 / 60);
  t.second = static_cast<int>(rem % 60);
  return t;
}

int64_t FromCivil(const CivilTime& t) {
  return DaysFromCivil(t.year, t.month, t.day) * 86400 + t.hour * 3600 + t.minute * 60 + t.second;
}

void AppendIso8601(int64_t unix_secs, std::string* out) {
  CivilTime t = ToCivil(unix_secs);
  AppendDigits(t.year, 4, out);
  out->push_back('-');
  AppendDigits(t.month, 2, out);
  out->push_back('-');
  AppendDigits(t.day, 2, out);
  out->push_back('T');
  AppendDigits(t.hour, 2, out);
  out->push_back(':');
  AppendDigits(t.minute, 2, out);
  out->push_back(':');
  AppendDigits(t.second, 2, out);
  out->push_back('Z');
}

Result<int64_t> ParseIso8601(std::string_view text) {
  CivilTime t;
  auto bad = [text] {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a UTC time like 2025-01-01T00:00:00Z", text));
  };
  if (!ReadInt(text, 0, 4, &t.year) || text.size() < 10 || text[4] != '-' || text[7] != '-' ||
      !ReadInt(text, 5, 2, &t.month) || !ReadInt(text, 8, 2, &t.day)) {
    return bad();
  }
  std::string_view rest = text.substr(10);
  if (!rest.empty()) {
    if (rest.size() < 7 || rest[0] != 'T' || rest[3] != ':' || !ReadInt(rest, 1, 2, &t.hour) ||
        !ReadInt(rest, 4, 2, &t.minute)) {
      return bad();
    }
    rest.remove_prefix(6);
    if (rest.size() == 4 && rest[0] == ':') {
      if (!ReadInt(rest, 1, 2, &t.second)) return bad();
      rest.remove_prefix(3);
    }
    if (rest != "Z") return bad();
  }
  if (t.year < 1970 || t.month < 1 || t.month > 12 || t.day < 1 || t.day > 31 || t.hour > 23 ||
      t.minute > 59 || t.second > 59) {
    return bad();
  }
  return FromCivil(t);
}

Result<int64_t> ParseSpan(std::string_view text) {
  int64_t unit = 1;
  std::string_view digits = text;
  if (!text.empty()) {
    switch (text.back()) {
      case 's':
        unit = 1;
        digits.remove_suffix(1);
        break;
      case 'm':
        unit = 60;
        digits.remove_suffix(1);
        break;
      case 'h':
        unit = 3600;
        digits.remove_suffix(1);
        break;
      case 'd':
        unit = 86400;
        digits.remove_suffix(1);
        break;
      default:
        break;
    }
  }
  int64_t value = 0;
  auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (digits.empty() || ec != std::errc() || ptr != digits.data() + digits.size() || value <= 0 ||
      value > INT64_MAX / unit / 1000) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not a duration like 90s, 30m, 24h or 7d", text));
  }
  return value * unit;
}

}  // namespace trailhound::sources::simulate
