#include "store/column_codec.h"

#include <gtest/gtest.h>

#include <limits>
#include <random>
#include <string>
#include <vector>

namespace trailhound::store {
namespace {

TEST(ColumnCodec, VarintsRoundTripAtEveryWidth) {
  std::vector<uint64_t> values = {
      0, 1, 127, 128, 16383, 16384, uint64_t{1} << 35, std::numeric_limits<uint64_t>::max()};
  std::string out;
  for (uint64_t v : values) PutVarint64(&out, v);
  ByteReader in(out);
  for (uint64_t want : values) {
    uint64_t got;
    ASSERT_TRUE(in.ReadVarint64(&got));
    EXPECT_EQ(got, want);
  }
  EXPECT_EQ(in.remaining(), 0u);
}

TEST(ColumnCodec, RejectsTruncatedAndOverlongVarints) {
  uint64_t v;
  ByteReader truncated(std::string_view("\x80\x80", 2));
  EXPECT_FALSE(truncated.ReadVarint64(&v));
  std::string overlong(10, '\xff');
  overlong.push_back('\x01');
  ByteReader too_long(overlong);
  EXPECT_FALSE(too_long.ReadVarint64(&v));
  std::string overflow(9, '\xff');
  overflow.push_back('\x02');  // bit 64
  ByteReader too_big(overflow);
  EXPECT_FALSE(too_big.ReadVarint64(&v));
}

TEST(ColumnCodec, ZigZagMapsSmallMagnitudesToSmallCodes) {
  EXPECT_EQ(ZigZagEncode(0), 0u);
  EXPECT_EQ(ZigZagEncode(-1), 1u);
  EXPECT_EQ(ZigZagEncode(1), 2u);
  for (int64_t v : {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(),
                    int64_t{-123456789}}) {
    EXPECT_EQ(ZigZagDecode(ZigZagEncode(v)), v);
  }
}

TEST(ColumnCodec, TimesRoundTripIncludingExtremesAndDisorder) {
  std::vector<int64_t> times = {std::numeric_limits<int64_t>::min(), -5, 0, 0, 1'714'521'600'000,
                                std::numeric_limits<int64_t>::max(), 3};
  std::string out;
  PutTimes(times, &out);
  ByteReader in(out);
  std::vector<int64_t> got;
  ASSERT_TRUE(GetTimes(&in, times.size(), &got));
  EXPECT_EQ(got, times);
  ByteReader short_in(std::string_view(out).substr(0, out.size() - 1));
  EXPECT_FALSE(GetTimes(&short_in, times.size(), &got));
}

TEST(ColumnCodec, SortedTimesTakeAboutOneByteEach) {
  std::vector<int64_t> times;
  for (int i = 0; i < 1000; ++i) times.push_back(1'714'521'600'000 + i * 7);
  std::string out;
  PutTimes(times, &out);
  EXPECT_LT(out.size(), 1000u + 16);
}

TEST(ColumnCodec, StringListsRoundTripAndRejectLengthsPastTheEnd) {
  std::vector<std::string_view> strings = {"", "a", "héllo", std::string_view("\0x", 2)};
  std::string out;
  PutStringList(strings, &out);
  ByteReader in(out);
  std::vector<std::string_view> got;
  ASSERT_TRUE(GetStringList(&in, strings.size(), &got));
  EXPECT_EQ(got, strings);
  EXPECT_EQ(in.remaining(), 0u);

  std::string bad;
  PutVarint64(&bad, 100);
  bad += "short";
  ByteReader bad_in(bad);
  EXPECT_FALSE(GetStringList(&bad_in, 1, &got));
}

TEST(ColumnCodec, StringColumnsKeepKindsAndTexts) {
  StringColumnBuilder builder;
  builder.Add(ColumnValue::kString, "arn:aws:iam::1:user/a");
  builder.Add(ColumnValue::kMissing, "ignored");
  builder.Add(ColumnValue::kOther, "");
  builder.Add(ColumnValue::kString, "");
  std::string out;
  builder.FinishInto(&out);
  ByteReader in(out);
  std::vector<ColumnValue> got;
  ASSERT_TRUE(GetStringColumn(&in, 4, &got));
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].kind, ColumnValue::kString);
  EXPECT_EQ(got[0].text, "arn:aws:iam::1:user/a");
  EXPECT_EQ(got[1].kind, ColumnValue::kMissing);
  EXPECT_EQ(got[2].kind, ColumnValue::kOther);
  EXPECT_EQ(got[3].kind, ColumnValue::kString);
  EXPECT_EQ(got[3].text, "");
  EXPECT_EQ(in.remaining(), 0u);

  // The builder starts over after FinishInto.
  builder.Add(ColumnValue::kMissing, "");
  std::string second;
  builder.FinishInto(&second);
  EXPECT_EQ(second, std::string(1, '\0'));
}

TEST(ColumnCodec, DictionaryInternsInOrderOfFirstAppearance) {
  Dictionary d;
  // Short strings too: the codes must survive the values vector growing.
  std::vector<std::string> values;
  for (int i = 0; i < 100; ++i) values.push_back("v" + std::to_string(i));
  for (int round = 0; round < 2; ++round) {
    for (int i = 0; i < 100; ++i) EXPECT_EQ(d.Intern(values[i]), static_cast<uint32_t>(i));
  }
  EXPECT_EQ(d.values(), values);
}

TEST(ColumnCodec, DictionaryColumnRejectsCodesPastTheDictionary) {
  std::string out;
  PutVarint64(&out, kCellMissing);
  PutVarint64(&out, kCellOther);
  PutVarint64(&out, kCellFirstValue + 2);
  std::vector<uint64_t> cells;
  ByteReader ok(out);
  ASSERT_TRUE(GetDictionaryColumn(&ok, 3, 3, &cells));
  EXPECT_EQ(cells, (std::vector<uint64_t>{0, 1, 4}));
  ByteReader bad(out);
  EXPECT_FALSE(GetDictionaryColumn(&bad, 3, 2, &cells));
}

TEST(ColumnCodec, DecodersNeverReadPastRandomInput) {
  std::mt19937_64 rng(7);
  std::vector<ColumnValue> column;
  std::vector<std::string_view> list;
  std::vector<int64_t> times;
  for (int i = 0; i < 2000; ++i) {
    std::string junk(rng() % 40, '\0');
    for (char& c : junk) c = static_cast<char>(rng());
    const size_t rows = rng() % 10;
    ByteReader a(junk), b(junk), c(junk);
    const bool decoded = GetStringColumn(&a, rows, &column);
    (void)GetStringList(&b, rows, &list);
    (void)GetTimes(&c, rows, &times);
    if (!decoded) continue;
    for (const ColumnValue& v : column) {
      if (v.kind != ColumnValue::kString || v.text.empty()) continue;
      EXPECT_GE(v.text.data(), junk.data());
      EXPECT_LE(v.text.data() + v.text.size(), junk.data() + junk.size());
    }
  }
}

}  // namespace
}  // namespace trailhound::store
