#include "query/time_range.h"

#include <charconv>
#include <string>

#include "query/time_value.h"

namespace trailhound::query {

Result<int64_t> ParseTimeArgument(std::string_view text, int64_t now_ms) {
  if (text == "now") return now_ms;
  if (text.size() >= 3 && text.front() == '-') {
    int64_t unit_ms = 0;
    switch (text.back()) {
      case 's':
        unit_ms = 1000;
        break;
      case 'm':
        unit_ms = 60'000;
        break;
      case 'h':
        unit_ms = 3'600'000;
        break;
      case 'd':
        unit_ms = 86'400'000;
        break;
      case 'w':
        unit_ms = 7 * 86'400'000LL;
        break;
      default:
        break;
    }
    std::string_view digits = text.substr(1, text.size() - 2);
    int64_t count = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), count);
    if (unit_ms > 0 && error == std::errc() && end == digits.data() + digits.size() && count >= 0 &&
        count <= 100 * 365) {
      return now_ms - count * unit_ms;
    }
  }
  Result<int64_t> absolute = ParseTimeMillis(text);
  if (absolute.ok()) return absolute;
  return Status::InvalidArgument("'" + std::string(text) +
                                 "' is not a time: use ISO 8601 (2024-05-01T00:00:00Z), "
                                 "'now', or a relative time like -15m, -24h, -7d");
}

}  // namespace trailhound::query
