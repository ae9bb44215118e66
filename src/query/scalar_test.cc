// Value semantics (scalar.h) and _time values (time_value.h).
#include "query/scalar.h"

#include <gtest/gtest.h>

#include "query/time_value.h"

namespace trailhound::query {
namespace {

Scalar Str(std::string_view s) {
  Scalar x;
  x.text = s;
  return x;
}
Scalar Int(int64_t v) {
  Scalar x;
  x.type = Scalar::kInt64;
  x.int64 = v;
  return x;
}
Scalar Real(double v) {
  Scalar x;
  x.type = Scalar::kDouble;
  x.real = v;
  return x;
}
Scalar Bool(bool v) {
  Scalar x;
  x.type = Scalar::kBool;
  x.boolean = v;
  return x;
}

TEST(Number, Parse) {
  EXPECT_TRUE(ParseNumber("5")->is_integer);
  EXPECT_EQ(ParseNumber("-42")->integer, -42);
  EXPECT_EQ(ParseNumber("007")->integer, 7);
  EXPECT_FALSE(ParseNumber("1.5")->is_integer);
  EXPECT_DOUBLE_EQ(ParseNumber("1.5")->real, 1.5);
  EXPECT_DOUBLE_EQ(ParseNumber("1e3")->real, 1000);
  EXPECT_DOUBLE_EQ(ParseNumber("2E-2")->real, 0.02);
  EXPECT_FALSE(ParseNumber("99999999999999999999")->is_integer);  // beyond int64: a double
  for (std::string_view bad : {"", "-", "+1", " 1", "1 ", "1.", ".5", "1e", "0x10", "inf", "nan",
                               "1e999", "1,5", "1.2.3"}) {
    EXPECT_FALSE(ParseNumber(bad).has_value()) << bad;
  }
}

TEST(Scalar, Equality) {
  EXPECT_TRUE(ScalarEquals(Str("ConsoleLogin"), Operand("consolelogin")));
  EXPECT_TRUE(ScalarEquals(Int(5), Operand("5")));
  EXPECT_TRUE(ScalarEquals(Int(5), Operand("5.0")));
  EXPECT_TRUE(ScalarEquals(Real(5.0), Operand("5")));
  EXPECT_TRUE(ScalarEquals(Str("5"), Operand("5")));
  EXPECT_FALSE(ScalarEquals(Str("5.0"), Operand("5")));  // strings compare as text
  EXPECT_FALSE(ScalarEquals(Int(5), Operand("five")));
  EXPECT_TRUE(ScalarEquals(Bool(true), Operand("true")));
  EXPECT_TRUE(ScalarEquals(Bool(true), Operand("TRUE")));
  EXPECT_FALSE(ScalarEquals(Bool(true), Operand("1")));
  EXPECT_TRUE(ScalarEquals(Str("true"), Operand("true")));
  EXPECT_TRUE(ScalarEquals(Str(""), Operand("")));
}

TEST(Scalar, LargeIntegersCompareExactly) {
  EXPECT_FALSE(ScalarEquals(Int(9007199254740993), Operand("9007199254740992")));
  EXPECT_TRUE(ScalarEquals(Int(9007199254740993), Operand("9007199254740993")));
  Scalar u;
  u.type = Scalar::kUint64;
  u.uint64 = 18446744073709551615u;
  EXPECT_EQ(CompareScalar(u, Operand("9223372036854775807")), 1);
}

TEST(Scalar, Ordering) {
  EXPECT_EQ(CompareScalar(Int(10), Operand("9")), 1);
  EXPECT_EQ(CompareScalar(Str("10"), Operand("9")), 1);  // numeric string, numeric bound
  EXPECT_EQ(CompareScalar(Str("1.08"), Operand("1.05")), 1);
  EXPECT_EQ(CompareScalar(Str("abc"), Operand("5")), std::nullopt);
  EXPECT_EQ(CompareScalar(Str("10"), Operand("9a")), -1);  // text bound: byte order
  EXPECT_EQ(CompareScalar(Str("B"), Operand("a")), 1);
  EXPECT_EQ(CompareScalar(Int(5), Operand("abc")), std::nullopt);
  EXPECT_EQ(CompareScalar(Bool(true), Operand("0")), std::nullopt);
  EXPECT_EQ(CompareScalar(Str("2024-05-01T10:00:00Z"), Operand("2024-05-01")), 1);
}

TEST(Scalar, WildcardText) {
  EXPECT_EQ(ScalarText(Int(-3)), "-3");
  EXPECT_EQ(ScalarText(Real(1.5)), "1.5");
  EXPECT_EQ(ScalarText(Real(2.0)), "2");
  EXPECT_EQ(ScalarText(Real(1e21)), "1e+21");
  EXPECT_EQ(ScalarText(Bool(false)), "false");
  EXPECT_EQ(ScalarText(Str("x")), "x");
}

TEST(TimeValue, ParsesIsoForms) {
  EXPECT_EQ(*ParseTimeMillis("1970-01-01"), 0);
  EXPECT_EQ(*ParseTimeMillis("2024-05-01T00:00:00Z"), 1714521600000);
  EXPECT_EQ(*ParseTimeMillis("2024-05-01"), 1714521600000);
  EXPECT_EQ(*ParseTimeMillis("2024-05-01t00:00z"), 1714521600000);
  EXPECT_EQ(*ParseTimeMillis("2024-05-01 02:00:00+02:00"), 1714521600000);
  EXPECT_EQ(*ParseTimeMillis("2024-04-30T19:00:00-0500"), 1714521600000);
  EXPECT_EQ(*ParseTimeMillis("2024-05-01T01:00:00+01"), 1714521600000);
  EXPECT_EQ(*ParseTimeMillis("2024-05-01T00:00:00.1234567Z"), 1714521600123);
  EXPECT_EQ(*ParseTimeMillis("2024-05-01T00:00:00.5"), 1714521600500);
  EXPECT_EQ(*ParseTimeMillis("2024-02-29"), 1709164800000);
  EXPECT_EQ(*ParseTimeMillis("1969-12-31T23:59:59Z"), -1000);
}

TEST(TimeValue, RejectsOthers) {
  for (std::string_view bad : {"", "yesterday", "-24h", "2024", "2024-5-1", "2024-13-01",
                               "2023-02-29", "2024-04-31", "2024-05-01T24:00", "2024-05-01T10",
                               "2024-05-01T10:00:60", "2024-05-01Z10:00", "2024-05-01T10:00:00.",
                               "2024-05-01T10:00:00+2", "2024-05-01T10:00:00 Z", "1714521600000"}) {
    EXPECT_FALSE(ParseTimeMillis(bad).ok()) << bad;
  }
  EXPECT_EQ(ParseTimeMillis("nope").status().message(),
            "'nope' is not an ISO 8601 time like 2024-05-01 or 2024-05-01T12:00:00Z");
}

TEST(TimeValue, FormatsUtc) {
  EXPECT_EQ(FormatTimeMillis(1714521600123), "2024-05-01T00:00:00.123Z");
  EXPECT_EQ(FormatTimeMillis(-1000), "1969-12-31T23:59:59.000Z");
  for (int64_t t : {int64_t{0}, int64_t{951782400000}, int64_t{4102444799999}}) {
    EXPECT_EQ(*ParseTimeMillis(FormatTimeMillis(t)), t);
  }
}

}  // namespace
}  // namespace trailhound::query
