#include "codecs/records_splitter.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trailhound::codecs {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

struct Split {
  Status status;
  std::vector<std::string> records;
  std::vector<uint64_t> offsets;
  std::vector<uint64_t> oversized;  // indexes
  std::vector<std::string> keys;
};

class Recorder : public RecordsSplitter::Handler {
 public:
  explicit Recorder(Split* out) : out_(out) {}
  Status OnRecord(std::string_view text, uint64_t index, uint64_t offset) override {
    EXPECT_EQ(index, out_->records.size() + out_->oversized.size());
    out_->records.emplace_back(text);
    out_->offsets.push_back(offset);
    return Status::OK();
  }
  Status OnOversizedRecord(uint64_t index, uint64_t) override {
    out_->oversized.push_back(index);
    return Status::OK();
  }
  void OnTopLevelKey(std::string_view key) override { out_->keys.emplace_back(key); }

 private:
  Split* out_;
};

Split SplitText(std::string_view text, size_t chunk = 0, uint64_t max_record_bytes = 1 << 20) {
  Split out;
  Recorder recorder(&out);
  RecordsSplitter splitter("s3://b/k", max_record_bytes, 64, &recorder);
  if (chunk == 0) chunk = std::max<size_t>(text.size(), 1);
  for (size_t i = 0; i < text.size() && out.status.ok(); i += chunk) {
    out.status = splitter.Feed(text.substr(i, chunk));
  }
  if (out.status.ok()) out.status = splitter.Finish();
  return out;
}

TEST(RecordsSplitter, SplitsRecordsVerbatim) {
  const std::string text = "{\"Records\":[{\"a\":1},\n  {\"b\":[2,{\"c\":null}]}\n]}\n";
  Split s = SplitText(text);
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  EXPECT_THAT(s.records, ElementsAre("{\"a\":1}", "{\"b\":[2,{\"c\":null}]}"));
  EXPECT_THAT(s.offsets, ElementsAre(12u, 23u));
}

TEST(RecordsSplitter, StringsMayHoldBracketsQuotesAndEscapes) {
  const std::vector<std::string> records = {
      R"({"s":"{ not an object }"})",
      R"({"s":"] ] ]","t":"[[["})",
      R"({"s":"say \"}\" twice \\","u":"\u007b\u005d\ud83d\ude00"})",
      R"({"s":"\\\\\"]}","k\"}":"v"})",
      "{\"s\":\"multi-byte \xc3\xa9 \xe6\x97\xa5\"}",
  };
  std::string text = "{\"Records\":[";
  for (size_t i = 0; i < records.size(); ++i) text += (i ? "," : "") + records[i];
  text += "]}";
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{7}}) {
    Split s = SplitText(text, chunk);
    ASSERT_TRUE(s.status.ok()) << s.status.ToString();
    EXPECT_EQ(s.records, records) << "chunk " << chunk;
  }
}

TEST(RecordsSplitter, KeysComeInAnyOrderAndOtherKeysAreSkipped) {
  const std::string text =
      R"({"a":{"Records":[{"decoy":1}]},"b":[{"x":"]"}],"c":"str\"}","d":-12.5e3,)"
      R"("e":null,"Records":[{"k":1}],"z":true})";
  for (size_t chunk : {size_t{0}, size_t{1}}) {
    Split s = SplitText(text, chunk);
    ASSERT_TRUE(s.status.ok()) << s.status.ToString();
    EXPECT_THAT(s.records, ElementsAre(R"({"k":1})"));
    EXPECT_THAT(s.keys, ElementsAre("a", "b", "c", "d", "e", "Records", "z"));
  }
}

TEST(RecordsSplitter, EmptyRecordsArrayAndByteOrderMarkAreFine) {
  Split s = SplitText("\xef\xbb\xbf {\"Records\" : [ ] } ");
  ASSERT_TRUE(s.status.ok()) << s.status.ToString();
  EXPECT_TRUE(s.records.empty());
}

TEST(RecordsSplitter, MismatchedBracketIsCorruptionAtItsOffset) {
  Split s = SplitText(R"({"Records":[{"a":[1}]})");
  EXPECT_EQ(s.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(s.status.message(), HasSubstr("s3://b/k at decoded byte 19: '}' does not close '['"));
}

TEST(RecordsSplitter, TruncationIsCorruption) {
  Split inside = SplitText(R"({"Records":[{"a":"x)", 1);
  EXPECT_EQ(inside.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(inside.status.message(), HasSubstr("truncated inside record 0 (starts at byte 12)"));
  Split after = SplitText(R"({"Records":[{"a":1}])");
  EXPECT_THAT(after.status.message(), HasSubstr("root object is not closed"));
  EXPECT_EQ(after.records.size(), 1u);  // delivered before the truncation was known
  Split empty = SplitText("");
  EXPECT_THAT(empty.status.message(), HasSubstr("empty"));
}

TEST(RecordsSplitter, ShapeErrorsAreCorruption) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"([{"a":1}])", "decoded byte 0: expected '{'"},
      {R"({"Records":{}})", "\"Records\" is not an array"},
      {R"({"Records":[{"a":1} {"b":2}]})", "expected ',' or ']' after record 0"},
      {R"({"Records":[1]})", "expected record 0 (a JSON object)"},
      {R"({"Records":[{"a":1},]})", "expected record 1"},
      {R"({"Records":[]} x)", "trailing data"},
      {R"({"Records":[]}{})", "trailing data"},
      {R"({"x" 1})", "expected ':'"},
      {R"({"x":1 "y":2})", "expected ',' or '}'"},
      {R"({"x":,"Records":[]})", "expected a value"},
      {R"({,})", "expected a key"},
  };
  for (const auto& [text, message] : cases) {
    Split s = SplitText(text);
    EXPECT_EQ(s.status.code(), StatusCode::kCorruption) << text;
    EXPECT_THAT(s.status.message(), HasSubstr(message)) << text;
  }
}

TEST(RecordsSplitter, NestingDepthIsLimited) {
  const size_t depth = RecordsSplitter::kMaxNestingDepth + 1;
  std::string record = "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
  Split s = SplitText("{\"Records\":[" + record + "]}");
  EXPECT_EQ(s.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(s.status.message(), HasSubstr("nesting deeper than 1024"));
}

TEST(RecordsSplitter, OversizedRecordIsReportedAndSkippedWithoutBuffering) {
  const std::string big = "{\"big\":\"" + std::string(5000, 'x') + "\"}";
  const std::string text = "{\"Records\":[{\"a\":1}," + big + ",{\"b\":2}]}";
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{100}}) {
    Split s = SplitText(text, chunk, /*max_record_bytes=*/1000);
    ASSERT_TRUE(s.status.ok()) << s.status.ToString();
    EXPECT_THAT(s.records, ElementsAre("{\"a\":1}", "{\"b\":2}"));
    EXPECT_THAT(s.oversized, ElementsAre(1u));
  }
}

TEST(RecordsSplitter, BackslashRunsAcrossBlockAndChunkBoundaries) {
  // Strings with runs of 0..130 backslashes (even runs are escaped backslashes, then an escaped
  // quote), shifted so that runs and quotes straddle 64-byte blocks and chunk edges.
  std::vector<std::string> records;
  for (int run = 0; run <= 130; run += 3) {
    const std::string pad(static_cast<size_t>(run % 61), 'p');
    const std::string backslashes(static_cast<size_t>(run - run % 2), '\\');
    records.push_back("{\"" + pad + "\":\"" + backslashes + "\\\"}]\\\\\",\"x\":[\"" + backslashes +
                      "\"]}");
  }
  std::string text = "{\"Records\":[";
  for (size_t i = 0; i < records.size(); ++i) text += (i ? "," : "") + records[i];
  text += "]}";
  for (size_t chunk : {size_t{0}, size_t{1}, size_t{7}, size_t{63}, size_t{64}, size_t{65}}) {
    Split s = SplitText(text, chunk);
    ASSERT_TRUE(s.status.ok()) << s.status.ToString();
    EXPECT_EQ(s.records, records) << "chunk " << chunk;
  }
}

TEST(RecordsSplitter, BackslashOutsideStringsIsHandledTheSameWhateverTheChunks) {
  // Invalid JSON (a backslash outside a string escapes the next byte here, as in simdjson);
  // what matters is that every chunking sees the same thing.
  const std::string text =
      std::string("{\"Records\":[{\"a\":1\\\"}") + std::string(100, ' ') + "\"},{\"b\":\\]}]}";
  const Split whole = SplitText(text);
  for (size_t chunk : {size_t{1}, size_t{2}, size_t{64}}) {
    const Split pieces = SplitText(text, chunk);
    EXPECT_EQ(pieces.status.ToString(), whole.status.ToString()) << chunk;
    EXPECT_EQ(pieces.records, whole.records) << chunk;
  }
}

// Found by fuzz/cloudtrail_reader_fuzz: fed whole, a bracket error after the size limit was
// reported; fed in pieces, the size limit was. Both must see the limit first.
TEST(RecordsSplitter, OversizedRecordIsFoundAtTheSameByteHoweverChunked) {
  class StopOnOversize : public Recorder {
   public:
    using Recorder::Recorder;
    Status OnOversizedRecord(uint64_t index, uint64_t) override {
      return Status::ResourceExhausted("record " + std::to_string(index) + " too big");
    }
  };
  const std::string text =
      "{\"Records\":[{\"a\":\"" + std::string(3000, 'x') + "\"]}]}";  // ']' closes '{'
  for (size_t chunk : {size_t{0}, size_t{8}, size_t{1000}}) {
    Split out;
    StopOnOversize handler(&out);
    RecordsSplitter splitter("x", 1000, 64, &handler);
    Status s;
    for (size_t i = 0; i < text.size() && s.ok(); i += chunk ? chunk : text.size()) {
      s = splitter.Feed(std::string_view(text).substr(i, chunk ? chunk : text.size()));
    }
    EXPECT_EQ(s.code(), StatusCode::kResourceExhausted) << chunk;
  }
}

TEST(RecordsSplitter, HandlerErrorStopsTheSplit) {
  class Failing : public Recorder {
   public:
    using Recorder::Recorder;
    Status OnRecord(std::string_view, uint64_t, uint64_t) override {
      return Status::Cancelled("enough");
    }
  };
  Split out;
  Failing handler(&out);
  RecordsSplitter splitter("x", 1000, 64, &handler);
  EXPECT_EQ(splitter.Feed(R"({"Records":[{"a":1},{"b":2}]})").code(), StatusCode::kCancelled);
  EXPECT_EQ(splitter.Finish().code(), StatusCode::kCancelled);
}

}  // namespace
}  // namespace trailhound::codecs
