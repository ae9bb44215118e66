#include "query/time_range.h"

#include <gtest/gtest.h>

namespace trailhound::query {
namespace {

constexpr int64_t kNow = 1'714'564'800'000;  // 2024-05-01T12:00:00Z

TEST(TimeArgument, RelativeTimesCountBackFromNow) {
  EXPECT_EQ(*ParseTimeArgument("-30s", kNow), kNow - 30'000);
  EXPECT_EQ(*ParseTimeArgument("-15m", kNow), kNow - 15 * 60'000);
  EXPECT_EQ(*ParseTimeArgument("-24h", kNow), kNow - 86'400'000);
  EXPECT_EQ(*ParseTimeArgument("-7d", kNow), kNow - 7 * 86'400'000LL);
  EXPECT_EQ(*ParseTimeArgument("-2w", kNow), kNow - 14 * 86'400'000LL);
  EXPECT_EQ(*ParseTimeArgument("-0h", kNow), kNow);
  EXPECT_EQ(*ParseTimeArgument("now", kNow), kNow);
}

TEST(TimeArgument, AbsoluteTimesAreIso8601) {
  EXPECT_EQ(*ParseTimeArgument("2024-05-01T00:00:00Z", kNow), 1'714'521'600'000);
  EXPECT_EQ(*ParseTimeArgument("2024-05-01", kNow), 1'714'521'600'000);
  EXPECT_EQ(*ParseTimeArgument("2024-05-01T02:00:00+02:00", kNow), 1'714'521'600'000);
}

TEST(TimeArgument, AnythingElseIsAnErrorNamingTheForms) {
  for (const char* bad : {"", "yesterday", "-", "-h", "-5", "-5y", "5h", "-1.5h", "--5h",
                          "-99999999999d", "2024-13-01"}) {
    auto parsed = ParseTimeArgument(bad, kNow);
    ASSERT_FALSE(parsed.ok()) << bad;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find("-24h"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace trailhound::query
