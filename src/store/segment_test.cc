#include "store/segment.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "query/text_search.h"
#include "store/indexed_fields.h"
#include "store/segment_test_util.h"

namespace trailhound::store {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::kT0;
using testing::MakeEvent;
using testing::OpenOrDie;
using testing::ReadAll;
using testing::TempDir;
using testing::WriteOrDie;

size_t Field(std::string_view dotted) {
  return static_cast<size_t>(IndexedFieldIndex(query::FieldPath::FromDotted(dotted)));
}

TEST(Segment, RoundTripsRowsInTimeOrderStableForEqualTimes) {
  TempDir dir;
  std::vector<StoredEvent> events;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 50; ++i) {
    StoredEvent e = MakeEvent(i, kT0 + static_cast<int64_t>(rng() % 5) * 1000);
    e.time_is_fallback = i % 7 == 0;
    e.category = i % 3 == 0 ? EventCategory::kUnknown : EventCategory::kCloudServiceActivity;
    e.source = i % 4 == 0 ? "" : (i % 4 == 1 ? "other-source" : "cloudtrail-main");
    if (i == 5) e.raw = "";                                                 // empty raw
    if (i == 6) e.raw = R"({"userName":"Jörg 東京 \u00e9","x":"\u0000"})";  // non-ASCII
    if (i == 7) e.raw = "not json at all \xff\xfe";                         // not even UTF-8
    events.push_back(e);
  }
  events[10].time = -1;  // before the epoch
  const SegmentInfo info =
      WriteOrDie(dir.path(), 7, events, {.rows_per_block = 8}, /*replaces=*/{3, 5});

  std::vector<StoredEvent> want = events;
  std::stable_sort(want.begin(), want.end(),
                   [](const StoredEvent& a, const StoredEvent& b) { return a.time < b.time; });
  auto segment = OpenOrDie(info.path);
  ASSERT_NE(segment, nullptr);
  EXPECT_EQ(ReadAll(*segment), want);

  const SegmentInfo& got = segment->info();
  EXPECT_EQ(got.id, 7u);
  EXPECT_EQ(got.path, dir.path() + "/00000000000000000007.seg");
  EXPECT_EQ(got.rows, 50u);
  EXPECT_EQ(got.min_time, -1);
  EXPECT_EQ(got.max_time, want.back().time);
  EXPECT_TRUE(got.has_fallback_times);
  EXPECT_THAT(got.replaces, ElementsAre(3, 5));
  EXPECT_EQ(got.file_bytes, std::filesystem::file_size(info.path));
  EXPECT_EQ(info.file_bytes, got.file_bytes);
  EXPECT_EQ(info.min_time, got.min_time);
  EXPECT_EQ(info.replaces, got.replaces);

  ASSERT_EQ(segment->block_count(), 7u);  // 6 × 8 + 2
  size_t row = 0;
  for (size_t b = 0; b < segment->block_count(); ++b) {
    const BlockInfo& block = segment->block(b);
    EXPECT_EQ(block.rows, b < 6 ? 8u : 2u);
    EXPECT_EQ(block.min_time, want[row].time);
    EXPECT_EQ(block.max_time, want[row + block.rows - 1].time);
    row += block.rows;
  }
}

TEST(Segment, KeepsEveryCategoryAndFlag) {
  TempDir dir;
  std::vector<StoredEvent> events;
  for (int c = 0; c < 256; ++c) {  // values a newer writer might use survive too
    StoredEvent e = MakeEvent(c, kT0 + c);
    e.category = static_cast<EventCategory>(c);
    e.time_is_fallback = c % 2 == 1;
    events.push_back(e);
  }
  auto segment = OpenOrDie(WriteOrDie(dir.path(), 1, events).path);
  EXPECT_EQ(ReadAll(*segment), events);
}

TEST(Segment, RoundTripsAHugeRecord) {
  TempDir dir;
  std::vector<StoredEvent> events = {MakeEvent(1, kT0), MakeEvent(2, kT0 + 1)};
  std::mt19937_64 rng(9);
  std::string huge = R"({"eventName":"Big","blob":")";
  while (huge.size() < (1u << 20)) huge.push_back(static_cast<char>('a' + rng() % 26));
  huge += "\"}";
  events[1].raw = huge;
  const SegmentInfo info = WriteOrDie(dir.path(), 1, events, {.rows_per_block = 1});
  auto segment = OpenOrDie(info.path);
  EXPECT_EQ(ReadAll(*segment), events);
  EXPECT_TRUE(segment->BlockMayContainText(1, huge.substr(500000, 40)));
}

TEST(Segment, ReadBlockDecodesOnlyWhatTheMaskAsks) {
  TempDir dir;
  auto segment = OpenOrDie(WriteOrDie(dir.path(), 1, {MakeEvent(1, kT0)}).path);
  BlockRows rows;
  ASSERT_TRUE(segment->ReadBlock(0, {.raw = false, .columns = false}, &rows).ok());
  EXPECT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.source, (std::vector<std::string_view>{"cloudtrail-main"}));
  EXPECT_THAT(rows.raw, IsEmpty());
  EXPECT_THAT(rows.columns, IsEmpty());
  ASSERT_TRUE(segment->ReadBlock(0, {.raw = false, .columns = true}, &rows).ok());
  EXPECT_THAT(rows.raw, IsEmpty());
  ASSERT_EQ(rows.columns.size(), IndexedFields().size());
  ASSERT_TRUE(segment->ReadBlock(0, {.raw = true, .columns = true}, &rows).ok());
  EXPECT_EQ(rows.raw.size(), 1u);
  EXPECT_EQ(rows.columns[Field("eventName")][0].text, "GetObject");
}

TEST(Segment, ColumnsHoldTheKindOfEachValue) {
  TempDir dir;
  std::vector<std::string> raws = {
      R"({"eventName":"ConsoleLogin","userIdentity":{"arn":"arn:aws:iam::1:user/a"}})",
      R"({"eventName":null,"userIdentity":{"arn":null}})",
      R"({"eventName":5,"userIdentity":{"arn":[1,2]}})",
      R"({"eventName":["A"],"userIdentity":{"arn":{"x":"y"}}})",
      R"({"eventName":"","userIdentity":{"arn":""}})",
      R"({})",
      R"(broken)",
  };
  std::vector<StoredEvent> events;
  for (size_t i = 0; i < raws.size(); ++i) {
    StoredEvent& e =
        events.emplace_back(MakeEvent(static_cast<int>(i), kT0 + static_cast<int64_t>(i)));
    e.raw = raws[i];
  }
  auto segment = OpenOrDie(WriteOrDie(dir.path(), 1, events, {.rows_per_block = 4}).path);
  // (kind, text) per row; texts are copied since the next ReadBlock reuses `rows`.
  std::vector<std::pair<int, std::string>> name, arn;
  BlockRows rows;
  for (size_t b = 0; b < segment->block_count(); ++b) {
    ASSERT_TRUE(segment->ReadBlock(b, {.raw = false, .columns = true}, &rows).ok());
    for (size_t r = 0; r < rows.size(); ++r) {
      for (auto [field, out] : {std::pair{"eventName", &name}, {"userIdentity.arn", &arn}}) {
        const ColumnValue& v = rows.columns[Field(field)][r];
        out->emplace_back(v.kind, v.text);
      }
    }
  }
  using CV = ColumnValue;
  using P = std::pair<int, std::string>;
  EXPECT_THAT(name, ElementsAre(P(CV::kString, "ConsoleLogin"), P(CV::kMissing, ""),
                                P(CV::kOther, ""), P(CV::kString, "A"), P(CV::kString, ""),
                                P(CV::kMissing, ""), P(CV::kOther, "")));
  EXPECT_THAT(arn, ElementsAre(P(CV::kString, "arn:aws:iam::1:user/a"), P(CV::kMissing, ""),
                               P(CV::kOther, ""), P(CV::kOther, ""), P(CV::kString, ""),
                               P(CV::kMissing, ""), P(CV::kOther, "")));
}

TEST(Segment, DictionaryHoldsTheDistinctStringsOfTheSegment) {
  TempDir dir;
  std::vector<StoredEvent> events;
  const char* names[] = {"GetObject", "PutObject", "GetObject", "ListBuckets", "PutObject"};
  for (int i = 0; i < 40; ++i) events.push_back(MakeEvent(i, kT0 + i, names[i % 5]));
  events[7].raw = R"({"eventName":42})";  // a number is not a dictionary string
  auto segment = OpenOrDie(WriteOrDie(dir.path(), 1, events, {.rows_per_block = 6}).path);
  EXPECT_THAT(segment->Dictionary(Field("eventName")),
              ElementsAre("GetObject", "PutObject", "ListBuckets"));
  EXPECT_THAT(segment->Dictionary(Field("eventSource")), ElementsAre("s3.amazonaws.com"));
  EXPECT_THAT(segment->Dictionary(Field("errorCode")), IsEmpty());
  EXPECT_THAT(segment->Dictionary(Field("sourceIPAddress")), IsEmpty());  // a plain field
  EXPECT_THAT(segment->Dictionary(1000), IsEmpty());

  // Dictionary values read back as column texts that outlive the Segment and survive a move.
  BlockRows rows;
  ASSERT_TRUE(segment->ReadBlock(6, {.raw = false, .columns = true}, &rows).ok());
  segment.reset();
  BlockRows moved = std::move(rows);
  EXPECT_EQ(moved.columns[Field("eventName")][0].text, "PutObject");  // row 36
  EXPECT_EQ(moved.columns[Field("eventSource")][3].text, "s3.amazonaws.com");
}

// Random events whose indexed fields take random values (strings in mixed case, integers,
// booleans) or are missing, with the folded values each row holds per field.
struct RandomCorpus {
  std::vector<StoredEvent> events;
  std::vector<std::vector<std::vector<std::string>>> folded;  // [row][field] values
};

// A JSON object under construction: members in insertion order, nested by path.
struct JsonNode {
  std::vector<std::pair<std::string, JsonNode>> members;
  std::string scalar;  // the JSON text of a leaf

  JsonNode& Child(const std::string& key) {
    for (auto& [k, v] : members) {
      if (k == key) return v;
    }
    return members.emplace_back(key, JsonNode{}).second;
  }
  std::string Serialize() const {
    if (members.empty()) return scalar;
    std::string out = "{";
    for (const auto& [k, v] : members) {
      if (out.size() > 1) out += ",";
      out += "\"" + k + "\":" + v.Serialize();
    }
    return out + "}";
  }
};

RandomCorpus MakeRandomCorpus(int n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto word = [&rng] {
    static constexpr std::string_view kChars = "abcdefgHIJKLMNOP0123456789-_./:";
    std::string s(1 + rng() % 12, ' ');
    for (char& c : s) c = kChars[rng() % kChars.size()];
    return rng() % 8 == 0 ? s + "é" : s;
  };
  RandomCorpus c;
  std::span<const IndexedField> fields = IndexedFields();
  for (int i = 0; i < n; ++i) {
    StoredEvent e = MakeEvent(i, kT0 + i);
    JsonNode root;
    std::vector<std::vector<std::string>> row(fields.size());
    for (size_t f = 0; f < fields.size(); ++f) {
      if (rng() % 4 == 0) continue;  // missing
      JsonNode* node = &root;
      for (const std::string& key : IndexedFieldPaths()[f].segments()) node = &node->Child(key);
      switch (rng() % 4) {
        case 0:
          node->scalar = std::to_string(static_cast<int64_t>(rng() % 100000) - 50000);
          row[f].push_back(node->scalar);
          break;
        case 1:
          node->scalar = rng() % 2 ? "true" : "false";
          row[f].push_back(node->scalar);
          break;
        default: {
          const std::string w = word();
          node->scalar = "\"" + w + "\"";
          row[f].push_back(query::FoldAscii(w));
          break;
        }
      }
    }
    e.raw = root.members.empty() ? "{}" : root.Serialize();
    c.events.push_back(e);
    c.folded.push_back(std::move(row));
  }
  return c;
}

TEST(Segment, BlockMayContainValueIsNeverFalseForAPresentValue) {
  TempDir dir;
  RandomCorpus c = MakeRandomCorpus(3000, 11);
  const SegmentInfo info = WriteOrDie(dir.path(), 1, c.events, {.rows_per_block = 100});
  auto segment = OpenOrDie(info.path);
  ASSERT_EQ(segment->block_count(), 30u);
  size_t checked = 0;
  std::set<std::pair<size_t, std::string>> present;  // (field, value) in the block
  int false_positives = 0, absent = 0;
  for (size_t b = 0; b < segment->block_count(); ++b) {
    present.clear();
    for (size_t r = b * 100; r < (b + 1) * 100; ++r) {
      for (size_t f = 0; f < IndexedFields().size(); ++f) {
        for (const std::string& v : c.folded[r][f]) {
          ASSERT_TRUE(segment->BlockMayContainValue(b, f, v)) << b << " " << f << " " << v;
          // Callers pass folded values, but upper case is folded here as well.
          std::string upper = v;
          for (char& ch : upper) ch = (ch >= 'a' && ch <= 'z') ? static_cast<char>(ch - 32) : ch;
          ASSERT_TRUE(segment->BlockMayContainValue(b, f, upper)) << upper;
          present.insert({f, v});
          ++checked;
        }
      }
    }
    for (size_t f = 0; f < IndexedFields().size(); ++f) {
      for (int i = 0; i < 50; ++i) {
        const std::string v = "absent-" + std::to_string(i * 7919 + b);
        if (present.contains({f, v})) continue;
        ++absent;
        false_positives += segment->BlockMayContainValue(b, f, v) ? 1 : 0;
      }
    }
  }
  EXPECT_GT(checked, 30000u);
  EXPECT_LT(false_positives, absent * 3 / 100) << false_positives << " of " << absent;
}

TEST(Segment, BlockMayContainTextIsNeverFalseForASubstringOfARow) {
  TempDir dir;
  RandomCorpus c = MakeRandomCorpus(1000, 5);
  auto segment = OpenOrDie(WriteOrDie(dir.path(), 1, c.events, {.rows_per_block = 50}).path);
  std::mt19937_64 rng(17);
  for (int i = 0; i < 50000; ++i) {
    const size_t row = rng() % c.events.size();
    const std::string& raw = c.events[row].raw;
    const size_t begin = rng() % raw.size();
    const std::string text = query::FoldAscii(raw.substr(begin, rng() % 40));
    ASSERT_TRUE(segment->BlockMayContainText(row / 50, text)) << text;
  }
  // Short texts are always maybe; a word that occurs nowhere is almost always ruled out.
  EXPECT_TRUE(segment->BlockMayContainText(0, ""));
  EXPECT_TRUE(segment->BlockMayContainText(0, "zz"));
  int maybe = 0;
  for (size_t b = 0; b < segment->block_count(); ++b) {
    maybe += segment->BlockMayContainText(b, "accessdenied") ? 1 : 0;
  }
  EXPECT_LE(maybe, 1);
}

TEST(Segment, ContainsKeyIsExact) {
  TempDir dir;
  std::vector<StoredEvent> events;
  for (int i = 0; i < 2000; ++i) events.push_back(MakeEvent(i, kT0 + (i * 37) % 1000));
  auto segment = OpenOrDie(WriteOrDie(dir.path(), 1, events, {.rows_per_block = 128}).path);
  for (const StoredEvent& e : events) EXPECT_TRUE(segment->ContainsKey(e.key));
  std::mt19937_64 rng(23);
  for (int i = 0; i < 10000; ++i) EXPECT_FALSE(segment->ContainsKey(DedupKey{rng(), rng()}));
  EXPECT_FALSE(segment->ContainsKey(DedupKey{0, 0}));
  EXPECT_FALSE(segment->ContainsKey(DedupKey{~0ull, ~0ull}));
  // Same high half, different low half.
  DedupKey near = events[0].key;
  ++near.low;
  EXPECT_FALSE(segment->ContainsKey(near));
}

TEST(Segment, ConcurrentReadsSeeTheSameRows) {
  TempDir dir;
  std::vector<StoredEvent> events;
  for (int i = 0; i < 500; ++i) events.push_back(MakeEvent(i, kT0 + i));
  auto segment = OpenOrDie(WriteOrDie(dir.path(), 1, events, {.rows_per_block = 16}).path);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] { EXPECT_EQ(ReadAll(*segment), events); });
  }
  for (std::thread& t : threads) t.join();
}

TEST(Segment, RejectsBadOptionsAndEmptyInput) {
  TempDir dir;
  std::vector<StoredEvent> one = {MakeEvent(1, kT0)};
  auto pointers = testing::Pointers(one);
  for (SegmentWriteOptions options :
       {SegmentWriteOptions{.rows_per_block = 0}, SegmentWriteOptions{.rows_per_block = 1000001},
        SegmentWriteOptions{.zstd_level = 0}, SegmentWriteOptions{.zstd_level = 20}}) {
    EXPECT_EQ(WriteSegment(dir.path(), 1, pointers, {}, options).status().code(),
              StatusCode::kInvalidArgument);
  }
  EXPECT_EQ(WriteSegment(dir.path(), 1, {}, {}).status().code(), StatusCode::kInvalidArgument);
  std::vector<const StoredEvent*> with_null = {pointers[0], nullptr};
  EXPECT_EQ(WriteSegment(dir.path(), 1, with_null, {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(SegmentFileName, IsTheZeroPaddedIdAndParsesBack) {
  EXPECT_EQ(SegmentFileName(42), "00000000000000000042.seg");
  EXPECT_EQ(SegmentFileName(~0ull), "18446744073709551615.seg");
  EXPECT_EQ(ParseSegmentFileName("00000000000000000042.seg"), 42u);
  EXPECT_EQ(ParseSegmentFileName(SegmentFileName(~0ull)), ~0ull);
  EXPECT_EQ(ParseSegmentFileName("00000000000000000042.seg.tmp"), std::nullopt);
  EXPECT_EQ(ParseSegmentFileName("0000000000000000042.seg"), std::nullopt);
  EXPECT_EQ(ParseSegmentFileName("000000000000000000042.seg"), std::nullopt);
  EXPECT_EQ(ParseSegmentFileName("0000000000000000004x.seg"), std::nullopt);
  EXPECT_EQ(ParseSegmentFileName("00000000000000000042.wal"), std::nullopt);
  EXPECT_EQ(ParseSegmentFileName("99999999999999999999.seg"), std::nullopt);  // > 2^64
  EXPECT_EQ(ParseSegmentFileName(""), std::nullopt);
}

}  // namespace
}  // namespace trailhound::store
