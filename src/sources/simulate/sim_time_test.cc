#include "sources/simulate/sim_time.h"

#include <gtest/gtest.h>

namespace trailhound::sources::simulate {
namespace {

TEST(SimTime, FormatsAndParsesUtc) {
  std::string text;
  AppendIso8601(1735689600, &text);
  EXPECT_EQ(text, "2025-01-01T00:00:00Z");
  text.clear();
  AppendIso8601(951782400 + 3723, &text);  // a leap day
  EXPECT_EQ(text, "2000-02-29T01:02:03Z");
  EXPECT_EQ(*ParseIso8601("2000-02-29T01:02:03Z"), 951782400 + 3723);
  EXPECT_EQ(*ParseIso8601("2025-01-01T00:00Z"), 1735689600);
  EXPECT_EQ(*ParseIso8601("2025-01-01"), 1735689600);
  for (int64_t t = 0; t < 4102444800; t += 86400 * 37 + 3601) {
    CivilTime c = ToCivil(t);
    ASSERT_EQ(FromCivil(c), t);
  }
  EXPECT_FALSE(ParseIso8601("2025-13-01").ok());
  EXPECT_FALSE(ParseIso8601("2025-01-01T00:00:00").ok());
  EXPECT_FALSE(ParseIso8601("yesterday").ok());
}

TEST(SimTime, ParsesSpans) {
  EXPECT_EQ(*ParseSpan("90s"), 90);
  EXPECT_EQ(*ParseSpan("30m"), 1800);
  EXPECT_EQ(*ParseSpan("24h"), 86400);
  EXPECT_EQ(*ParseSpan("7d"), 7 * 86400);
  EXPECT_EQ(*ParseSpan("600"), 600);
  EXPECT_FALSE(ParseSpan("").ok());
  EXPECT_FALSE(ParseSpan("h").ok());
  EXPECT_FALSE(ParseSpan("-5m").ok());
  EXPECT_FALSE(ParseSpan("5w").ok());
}

}  // namespace
}  // namespace trailhound::sources::simulate
