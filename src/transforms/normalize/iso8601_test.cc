#include "transforms/normalize/iso8601.h"

#include <gtest/gtest.h>

#include <optional>

namespace trailhound::transforms {
namespace {

TEST(Iso8601, ParsesCloudTrailForm) {
  EXPECT_EQ(ParseIso8601Millis("2014-03-06T21:22:54Z"), 1394140974000);
}

TEST(Iso8601, TruncatesFractionsToMilliseconds) {
  EXPECT_EQ(ParseIso8601Millis("2014-03-06T21:22:54.1Z"), 1394140974100);
  EXPECT_EQ(ParseIso8601Millis("2014-03-06T21:22:54.12Z"), 1394140974120);
  EXPECT_EQ(ParseIso8601Millis("2014-03-06T21:22:54.123Z"), 1394140974123);
  EXPECT_EQ(ParseIso8601Millis("2014-03-06T21:22:54.123999999Z"), 1394140974123);
  EXPECT_EQ(ParseIso8601Millis("2014-03-06T21:22:54,5Z"), 1394140974500);
}

TEST(Iso8601, AppliesOffsets) {
  EXPECT_EQ(ParseIso8601Millis("2014-03-06T21:22:54+00:00"), 1394140974000);
  EXPECT_EQ(ParseIso8601Millis("2014-03-06T21:22:54-00:00"), 1394140974000);
  EXPECT_EQ(ParseIso8601Millis("2014-03-06T23:22:54+02:00"), 1394140974000);
  EXPECT_EQ(ParseIso8601Millis("2014-03-06T23:22:54+0200"), 1394140974000);
  EXPECT_EQ(ParseIso8601Millis("2014-03-06T23:22:54+02"), 1394140974000);
  EXPECT_EQ(ParseIso8601Millis("2014-03-06T16:52:54.5-04:30"), 1394140974500);
  // An offset that crosses midnight and the year.
  EXPECT_EQ(ParseIso8601Millis("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(ParseIso8601Millis("1969-12-31T23:00:00-01:00"), 0);
}

TEST(Iso8601, AcceptsSpaceSeparatorAndNoZoneAsUtc) {
  // Panther's test events write "2025-02-19 20:13:49".
  EXPECT_EQ(ParseIso8601Millis("2025-02-19 20:13:49"), 1739996029000);
  EXPECT_EQ(ParseIso8601Millis("2025-02-19t20:13:49z"), 1739996029000);
  EXPECT_EQ(ParseIso8601Millis("2025-02-19T20:13:49.123456789"), 1739996029123);
  EXPECT_EQ(ParseIso8601Millis("2025-02-19T20:13Z"), 1739995980000);
}

TEST(Iso8601, HandlesLeapDaysCenturiesAndEpoch) {
  EXPECT_EQ(ParseIso8601Millis("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseIso8601Millis("1969-12-31T23:59:59Z"), -1000);
  EXPECT_EQ(ParseIso8601Millis("2024-02-29T00:00:00Z"), 1709164800000);
  EXPECT_EQ(ParseIso8601Millis("2024-02-29T23:59:59Z"), 1709251199000);
  EXPECT_EQ(ParseIso8601Millis("2000-02-29T00:00:00Z"), 951782400000);
  EXPECT_EQ(ParseIso8601Millis("2100-01-01T00:00:00Z"), 4102444800000);
  EXPECT_EQ(ParseIso8601Millis("2100-02-28T12:00:00Z"), 4107499200000);
  EXPECT_EQ(ParseIso8601Millis("2100-03-01T00:00:00Z"), 4107542400000);
  EXPECT_EQ(ParseIso8601Millis("9999-12-31T23:59:59.999Z"), 253402300799999);
  EXPECT_EQ(ParseIso8601Millis("0000-03-01T00:00:00Z"), -719468LL * 86400 * 1000);
}

TEST(Iso8601, LeapSecondCountsAsTheNextSecond) {
  EXPECT_EQ(ParseIso8601Millis("2016-12-31T23:59:60Z"), ParseIso8601Millis("2017-01-01T00:00:00Z"));
}

TEST(Iso8601, RejectsInvalidText) {
  for (const char* bad : {"",
                          "redacted",
                          "...",
                          "2014",
                          "2014-03-06",
                          "2014-03-06T",
                          "2014-3-6T1:2:3Z",
                          "2014-03-06X21:22:54Z",
                          "2014-13-06T21:22:54Z",
                          "2014-00-06T21:22:54Z",
                          "2014-03-00T21:22:54Z",
                          "2014-03-32T21:22:54Z",
                          "2023-02-29T00:00:00Z",
                          "2100-02-29T00:00:00Z",
                          "1900-02-29T00:00:00Z",
                          "2014-04-31T00:00:00Z",
                          "2014-03-06T24:00:00Z",
                          "2014-03-06T21:60:54Z",
                          "2014-03-06T21:22:61Z",
                          "2014-03-06T21:22:54.Z",
                          "2014-03-06T21:22:54ZZ",
                          "2014-03-06T21:22:54+",
                          "2014-03-06T21:22:54+1",
                          "2014-03-06T21:22:54+24:00",
                          "2014-03-06T21:22:54+01:60",
                          "2014-03-06T21:22:54+01:0",
                          "2014-03-06T21:22:54 ",
                          " 2014-03-06T21:22:54Z",
                          "+2014-03-06T21:22:54Z",
                          "-014-03-06T21:22:54Z",
                          "2014-03-06T21:22:5aZ",
                          "1394140974000"}) {
    EXPECT_EQ(ParseIso8601Millis(bad), std::nullopt) << bad;
  }
}

// Every day of years 0000–9999 follows the previous one: DaysFromCivil and DaysInMonth agree,
// and the anchors above pin the absolute value.
TEST(Iso8601, DaysFromCivilIsConsecutiveForEveryDate) {
  int64_t expected = DaysFromCivil(0, 1, 1);
  for (int64_t y = 0; y <= 9999; ++y) {
    for (unsigned m = 1; m <= 12; ++m) {
      for (unsigned d = 1, n = DaysInMonth(y, m); d <= n; ++d) {
        ASSERT_EQ(DaysFromCivil(y, m, d), expected) << y << "-" << m << "-" << d;
        ++expected;
      }
    }
  }
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
}

}  // namespace
}  // namespace trailhound::transforms
