#include "store/bloom_filter.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_set>
#include <vector>

#include "query/text_search.h"

namespace trailhound::store {
namespace {

std::string RandomValue(std::mt19937_64& rng) {
  static constexpr std::string_view kAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789-.:/";
  std::string s(1 + rng() % 30, ' ');
  for (char& c : s) c = kAlphabet[rng() % kAlphabet.size()];
  return s;
}

// The view points into `bytes`, which must outlive it (hence no temporaries).
BloomFilterView ParseOrDie(std::string&& bytes) = delete;
BloomFilterView ParseOrDie(const std::string& bytes) {
  ByteReader in(bytes);
  BloomFilterView view;
  EXPECT_TRUE(BloomFilterView::Parse(&in, &view));
  EXPECT_EQ(in.remaining(), 0u);
  return view;
}

TEST(BloomFilter, NeverDeniesAnAddedValueAndRarelyAdmitsOthers) {
  std::mt19937_64 rng(42);
  for (int trial = 0; trial < 20; ++trial) {
    const size_t n = 1 + rng() % 5000;
    std::unordered_set<std::string> added;
    BloomFilterBuilder builder;
    while (added.size() < n) {
      std::string v = RandomValue(rng);
      builder.Add(v);
      builder.Add(v);  // duplicates do not change the size
      added.insert(v);
    }
    std::string bytes;
    builder.FinishInto(kValueBitsPerKey, &bytes);
    const BloomFilterView filter = ParseOrDie(bytes);
    EXPECT_EQ(filter.kind(), FilterKind::kBloom);
    for (const std::string& v : added) ASSERT_TRUE(filter.MayContain(v)) << v;
    int false_positives = 0, absent = 0;
    for (int i = 0; i < 20000; ++i) {
      std::string v = RandomValue(rng) + "#absent";
      ++absent;
      false_positives += filter.MayContain(v) ? 1 : 0;
    }
    EXPECT_LT(false_positives, absent * 3 / 100) << "n=" << n;  // ~0.8% expected
  }
}

TEST(BloomFilter, SizeFollowsTheDistinctValues) {
  BloomFilterBuilder builder;
  for (int i = 0; i < 1000; ++i) builder.Add("value-" + std::to_string(i % 100));
  std::string bytes;
  builder.FinishInto(kValueBitsPerKey, &bytes);
  // 100 distinct × 10 bits = 1000 bits → 1024 bits = 128 bytes, plus 6 bytes of header.
  EXPECT_EQ(bytes.size(), 6u + 128u);
}

TEST(BloomFilter, EmptyFilterDeniesAndAllFilterAdmitsEverything) {
  BloomFilterBuilder builder;
  std::string empty, all;
  builder.FinishInto(kValueBitsPerKey, &empty);
  EXPECT_EQ(ParseOrDie(empty).kind(), FilterKind::kEmpty);
  EXPECT_FALSE(ParseOrDie(empty).MayContain(""));
  EXPECT_FALSE(ParseOrDie(empty).MayContain("x"));
  builder.Add("x");
  builder.FinishAllInto(&all);
  EXPECT_EQ(ParseOrDie(all).kind(), FilterKind::kAll);
  EXPECT_TRUE(ParseOrDie(all).MayContain("anything"));
}

TEST(BloomFilter, ParseRejectsMalformedFilters) {
  auto parses = [](std::string bytes) {
    ByteReader in(bytes);
    BloomFilterView view;
    return BloomFilterView::Parse(&in, &view);
  };
  EXPECT_FALSE(parses(""));
  EXPECT_FALSE(parses(std::string("\x03", 1)));                      // unknown kind
  EXPECT_FALSE(parses(std::string("\x01\x07\x08\x00\x00\x00", 6)));  // bits missing
  EXPECT_FALSE(parses(std::string("\x01\x00\x08\x00\x00\x00", 6) + std::string(8, 'x')));
  EXPECT_FALSE(parses(std::string("\x01\x07\x07\x00\x00\x00", 6) + std::string(7, 'x')));
  EXPECT_TRUE(parses(std::string("\x01\x07\x08\x00\x00\x00", 6) + std::string(8, 'x')));
}

std::string TrigramFilter(const std::vector<std::string>& rows) {
  TrigramCollector collector;
  for (const std::string& r : rows) collector.Add(r);
  std::string bytes;
  collector.FinishInto(&bytes);
  return bytes;
}

TEST(TrigramFilter, NeverDeniesASubstringOfARow) {
  std::mt19937_64 rng(1);
  std::vector<std::string> rows;
  for (int i = 0; i < 300; ++i) {
    rows.push_back(R"({"eventName":"PutObject","sourceIPAddress":"10.0.)" +
                   std::to_string(rng() % 256) + "." + std::to_string(rng() % 256) +
                   R"(","userAgent":")" + RandomValue(rng) + R"(","é":"ÄÖ"})");
  }
  const std::string bytes = TrigramFilter(rows);
  const BloomFilterView filter = ParseOrDie(bytes);
  for (int i = 0; i < 20000; ++i) {
    const std::string& row = rows[rng() % rows.size()];
    const size_t begin = rng() % row.size();
    const size_t length = rng() % (row.size() - begin + 1);
    const std::string text = query::FoldAscii(row.substr(begin, length));
    ASSERT_TRUE(TrigramsMayBePresent(filter, text)) << text;
    // Upper case in the text is folded as well.
    ASSERT_TRUE(TrigramsMayBePresent(filter, row.substr(begin, length)));
  }
}

TEST(TrigramFilter, ShortTextsAreAlwaysMaybeAndAbsentTextsMostlyNot) {
  const std::string bytes = TrigramFilter({R"({"eventName":"GetObject"})"});
  const BloomFilterView filter = ParseOrDie(bytes);
  EXPECT_TRUE(TrigramsMayBePresent(filter, ""));
  EXPECT_TRUE(TrigramsMayBePresent(filter, "zq"));
  EXPECT_TRUE(TrigramsMayBePresent(filter, "getobject"));
  EXPECT_TRUE(TrigramsMayBePresent(filter, "GETOBJECT"));
  EXPECT_FALSE(TrigramsMayBePresent(filter, "accessdenied"));
  EXPECT_FALSE(TrigramsMayBePresent(filter, "getobjectacl"));

  const std::string empty_bytes = TrigramFilter({"ab"});
  const BloomFilterView empty = ParseOrDie(empty_bytes);
  EXPECT_EQ(empty.kind(), FilterKind::kEmpty);
  EXPECT_TRUE(TrigramsMayBePresent(empty, "ab"));
  EXPECT_FALSE(TrigramsMayBePresent(empty, "abc"));
}

TEST(TrigramFilter, TrigramsDoNotSpanRows) {
  const std::string bytes = TrigramFilter({"xxab", "cdyy"});
  const BloomFilterView filter = ParseOrDie(bytes);
  EXPECT_TRUE(TrigramsMayBePresent(filter, "xab"));
  // "abc" and "bcd" only exist across the row boundary.
  EXPECT_FALSE(TrigramsMayBePresent(filter, "abcd"));
}

TEST(TrigramFilter, CollectorStartsOverAfterFinish) {
  TrigramCollector collector;
  collector.Add("first block text");
  std::string first;
  collector.FinishInto(&first);
  collector.Add("other");
  std::string second;
  collector.FinishInto(&second);
  const BloomFilterView filter = ParseOrDie(second);
  EXPECT_TRUE(TrigramsMayBePresent(filter, "other"));
  EXPECT_FALSE(TrigramsMayBePresent(filter, "first block"));
}

}  // namespace
}  // namespace trailhound::store
