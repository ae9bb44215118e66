// libFuzzer target for the CloudTrail normaliser and its ISO 8601 parser.
// Properties besides crashes and ASan/UBSan reports:
// - Normalize() either returns an event whose raw JSON is the input byte for byte, or fails
//   with kCorruption (only non-objects are rejected);
// - an event's _time is the fallback exactly when time_is_fallback is set;
// - ParseIso8601Millis() accepts a time only when the same text parses to the same value
//   again (pure function) and the value lies within years 0000–9999.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "transforms/normalize/cloudtrail_normalizer.h"
#include "transforms/normalize/iso8601.h"

namespace {
constexpr int64_t kFallbackMs = 1'234'567'890'123;
constexpr int64_t kMinMs = -62'167'219'200'000;  // 0000-01-01T00:00:00Z
constexpr int64_t kMaxMs = 253'402'300'800'000;  // 10000-01-01T00:00:00Z (exclusive, +leap)
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using trailhound::StatusCode;
  namespace transforms = trailhound::transforms;
  std::string_view input(reinterpret_cast<const char*>(data), size);

  static transforms::CloudTrailNormalizer normalizer;
  auto event = normalizer.Normalize(input, "fuzz", kFallbackMs);
  if (event.ok()) {
    if (event->raw != input) std::abort();
    if (event->time_is_fallback && event->_time != kFallbackMs) std::abort();
  } else if (event.status().code() != StatusCode::kCorruption) {
    std::abort();
  }

  auto millis = transforms::ParseIso8601Millis(input);
  if (millis.has_value()) {
    if (transforms::ParseIso8601Millis(input) != millis) std::abort();
    if (*millis < kMinMs || *millis > kMaxMs) std::abort();
  }
  return 0;
}
