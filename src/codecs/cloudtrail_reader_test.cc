#include "codecs/cloudtrail_reader.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "codecs/compress.h"

namespace trailhound::codecs {
namespace {

using ::testing::HasSubstr;

const std::string kShared = TRAILHOUND_SHARED_DIR;
const std::string kFiles = kShared + "/corpora/cloudtrail-logfiles-aws-processing-library/files/";
const std::string kDigests = kShared + "/corpora/cloudtrail-digest/";

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Gzip(std::string_view data) {
  auto gz = GzipCompress(data);
  EXPECT_TRUE(gz.ok());
  return gz.ok() ? *gz : std::string();
}

struct Rec {
  std::string json;
  uint64_t index;
  uint64_t offset;
  bool is_insight;
  bool operator==(const Rec&) const = default;
};

struct Read {
  Status status;
  std::vector<Rec> records;
  CloudTrailReadStats stats;
};

// chunk: 0 = all at once, SIZE_MAX = random sizes from 1 to 4096.
Read ReadObject(std::string_view bytes, size_t chunk = 0, CloudTrailReaderOptions options = {},
                std::string source = "s3://bucket/AWSLogs/x.json.gz") {
  Read out;
  CloudTrailReader reader(source, options, [&](const CloudTrailRecord& r) {
    out.records.push_back({std::string(r.json), r.index, r.offset, r.is_insight});
    return Status::OK();
  });
  std::mt19937 rng(7);
  std::uniform_int_distribution<size_t> random_size(1, 4096);
  size_t i = 0;
  while (i < bytes.size() && out.status.ok()) {
    size_t n = chunk == 0 ? bytes.size() : chunk == SIZE_MAX ? random_size(rng) : chunk;
    n = std::min(n, bytes.size() - i);
    out.status = reader.Feed(bytes.substr(i, n));
    i += n;
  }
  if (out.status.ok()) out.status = reader.Finish();
  out.stats = reader.stats();
  return out;
}

// A log file of `n` records shaped like real CloudTrail events, with strings that contain
// brackets, escaped quotes, unicode escapes and multi-byte UTF-8.
std::string MakeLogFile(int n) {
  std::string out = "{\"Records\":[";
  for (int i = 0; i < n; ++i) {
    if (i) out += ",";
    out += fmt::format(
        R"({{"eventVersion":"1.08","userIdentity":{{"type":"AssumedRole","principalId":"AROA{0}:s",)"
        R"("arn":"arn:aws:sts::111122223333:assumed-role/r/s{0}","accountId":"111122223333",)"
        R"("sessionContext":{{"attributes":{{"creationDate":"2024-05-01T00:00:00Z","mfaAuthenticated":"false"}}}}}},)"
        R"("eventTime":"2024-05-01T00:{1:02}:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject",)"
        R"("awsRegion":"ap-northeast-3","sourceIPAddress":"203.0.113.{2}","userAgent":"aws-cli/2 \"q\" {{x}}",)"
        R"("requestParameters":{{"bucketName":"b","key":"a/[{0}]/\u00e9\u65e5 caf)"
        "\xc3\xa9"
        R"(","policy":"{{\"Statement\":[{{\"Effect\":\"Allow\"}}]}}"}},"responseElements":null,)"
        R"("resources":[{{"ARN":"arn:aws:s3:::b/k","type":"AWS::S3::Object"}}],"readOnly":true,)"
        R"("eventID":"00000000-0000-0000-0000-{0:012}","eventType":"AwsApiCall","recipientAccountId":"111122223333"}})",
        i, i % 60, i % 250);
  }
  out += "],\"extra\":{\"ignored\":[1,2,{\"]\":\"}\"}]}}";
  return out;
}

std::vector<Rec> Records(std::string_view bytes) { return ReadObject(bytes).records; }

TEST(CloudTrailReader, CorpusFilesHaveTheRecordCountsWeRead) {
  // Counted by reading each file ("Records" elements), not taken from upstream tests.
  const std::vector<std::pair<std::string, size_t>> files = {
      {"SerializerAllFieldsNull.json", 2},
      {"SerializerTestFile.json", 6},
      {"SerializerTestFileBadFieldName.json", 2},
      {"SerializerTestFileCompact.json", 6},
      {"SerializerTestFileCompact.json.gz", 6},
      {"SerializerTestFileLocation.json", 6},
      {"SerializerTestFileMissField.json", 4},
      {"SerializerTestFileNewFieldAtRandomPlaces.json", 2},
      {"SerializerTestFileNewFieldName.json", 2},
      {"SerializerTestFileNewFieldsInRoot.json", 2},
      {"SerializerTestFileNewFieldsInUserIdentity.json", 2},
      {"SerializerVariousUserIdentityTestFile.json", 1},
  };
  for (const auto& [name, count] : files) {
    Read r = ReadObject(ReadFile(kFiles + name), 0, {}, "file://" + kFiles + name);
    ASSERT_TRUE(r.status.ok()) << name << ": " << r.status.ToString();
    EXPECT_EQ(r.records.size(), count) << name;
    EXPECT_EQ(r.stats.records_delivered, count) << name;
    EXPECT_EQ(r.stats.kind, CloudTrailObjectKind::kLog) << name;
    EXPECT_EQ(r.stats.gzip, name.ends_with(".gz")) << name;
    for (size_t i = 0; i < r.records.size(); ++i) EXPECT_EQ(r.records[i].index, i);
  }
}

TEST(CloudTrailReader, GzipFileHasTheSameRecordsAsTheCompactFile) {
  const std::vector<Rec> gz = Records(ReadFile(kFiles + "SerializerTestFileCompact.json.gz"));
  const std::vector<Rec> plain = Records(ReadFile(kFiles + "SerializerTestFileCompact.json"));
  ASSERT_EQ(gz.size(), 6u);
  EXPECT_EQ(gz, plain);
}

TEST(CloudTrailReader, RecordsAreVerbatimSlicesOfTheDecodedStream) {
  const std::string text = ReadFile(kFiles + "SerializerTestFile.json");  // pretty-printed
  for (const Rec& r : Records(text)) {
    EXPECT_EQ(text.substr(r.offset, r.json.size()), r.json);
    EXPECT_EQ(r.json.front(), '{');
    EXPECT_EQ(r.json.back(), '}');
  }
}

TEST(CloudTrailReader, BadJsonFileIsRejectedWithItsOffset) {
  const std::string name = "SerializerTestFileBadJsonFormat.json";
  Read r = ReadObject(ReadFile(kFiles + name), 0, {}, "s3://b/" + name);
  EXPECT_EQ(r.status.code(), StatusCode::kCorruption);
  // Line 12 lacks the '}' of userIdentity, so the first record's brackets only go wrong at
  // the ']' that closes "Records" (line 76, byte 2764).
  EXPECT_THAT(r.status.message(),
              HasSubstr("s3://b/" + name + " at decoded byte 2764: ']' does not close '{'"));
  EXPECT_EQ(r.stats.records_delivered, 0u);
}

TEST(CloudTrailReader, AllNullFieldsAreAccepted) {
  Read r = ReadObject(ReadFile(kFiles + "SerializerAllFieldsNull.json"));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_THAT(r.records[0].json, HasSubstr("\"userIdentity\": null"));
  EXPECT_THAT(r.records[0].json, HasSubstr("\"recipientAccountId\":null"));
}

TEST(CloudTrailReader, DigestFilesAreReportedAsDigestsNotErrors) {
  for (const std::string name : {"digest-sample.docs.json", "digest-empty.docs.json",
                                 "digest-elastic-integrations-test.json"}) {
    const std::string text = ReadFile(kDigests + name);
    for (const std::string& bytes : {text, Gzip(text)}) {
      Read r = ReadObject(bytes, 7);
      EXPECT_TRUE(r.status.ok()) << name << ": " << r.status.ToString();
      EXPECT_EQ(r.stats.kind, CloudTrailObjectKind::kDigest) << name;
      EXPECT_TRUE(r.records.empty());
    }
  }
}

TEST(CloudTrailReader, DigestKeyMarksAnObjectWithoutRecordsAsDigest) {
  Read r =
      ReadObject("{}", 0, {},
                 "s3://b/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/01/01/"
                 "111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20240101T000000Z.json.gz");
  EXPECT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.stats.kind, CloudTrailObjectKind::kDigest);
}

TEST(CloudTrailReader, RecordsDoNotDependOnChunkBoundaries) {
  std::vector<std::string> inputs;
  for (const char* name : {"SerializerTestFile.json", "SerializerTestFileCompact.json.gz",
                           "SerializerVariousUserIdentityTestFile.json"}) {
    inputs.push_back(ReadFile(kFiles + name));
  }
  const std::string generated = MakeLogFile(300);
  inputs.push_back(generated);
  inputs.push_back(Gzip(generated));
  // The same file as three gzip members split inside records.
  inputs.push_back(Gzip(generated.substr(0, 1000)) + Gzip(generated.substr(1000, 50000)) +
                   Gzip(generated.substr(51000)));
  for (size_t k = 0; k < inputs.size(); ++k) {
    const Read whole = ReadObject(inputs[k]);
    ASSERT_TRUE(whole.status.ok()) << k << ": " << whole.status.ToString();
    ASSERT_FALSE(whole.records.empty());
    for (size_t chunk : {size_t{1}, size_t{7}, SIZE_MAX}) {
      const Read pieces = ReadObject(inputs[k], chunk);
      ASSERT_TRUE(pieces.status.ok()) << k << ": " << pieces.status.ToString();
      EXPECT_EQ(pieces.records, whole.records) << "input " << k << " chunk " << chunk;
    }
  }
  EXPECT_EQ(ReadObject(inputs[5], 13).records, ReadObject(generated).records);
  EXPECT_EQ(ReadObject(generated).records.size(), 300u);
}

TEST(CloudTrailReader, InsightRecordsAreFlagged) {
  const std::string text =
      R"({"Records":[{"eventVersion":"1.07","eventType":"AwsCloudTrailInsight",)"
      R"("insightDetails":{"state":"Start"}},{"eventType":"AwsApiCall"}]})";
  Read r = ReadObject(text);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_TRUE(r.records[0].is_insight);
  EXPECT_FALSE(r.records[1].is_insight);
  EXPECT_EQ(r.stats.kind, CloudTrailObjectKind::kInsight);

  Read by_key = ReadObject(R"({"Records":[]})", 0, {},
                           "s3://b/AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/01/01/"
                           "111122223333_CloudTrail-Insight_us-east-1_20240101T0000Z_a.json.gz");
  EXPECT_EQ(by_key.stats.kind, CloudTrailObjectKind::kInsight);
}

TEST(CloudTrailReader, InvalidRecordIsSkippedAndTheReadStillFails) {
  const std::string text = R"({"Records":[{"a":1},{"a":tru},{"b":2}]})";
  Read r = ReadObject(text, 1);
  EXPECT_EQ(r.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(r.status.message(), HasSubstr("Invalid CloudTrail record 1 in s3://"));
  EXPECT_THAT(r.status.message(), HasSubstr("(the record starts at byte 20)"));
  EXPECT_THAT(r.status.message(), HasSubstr("(1 of 3 records skipped, 2 delivered)"));
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].index, 2u);
  EXPECT_EQ(r.stats.records_invalid, 1u);

  CloudTrailReaderOptions strict;
  strict.skip_invalid_records = false;
  Read stopped = ReadObject(text, 0, strict);
  EXPECT_EQ(stopped.status.code(), StatusCode::kCorruption);
  EXPECT_EQ(stopped.records.size(), 1u);
}

TEST(CloudTrailReader, NonUtf8IsRejectedNamingTheOffendingByte) {
  const std::string text = "{\"Records\":[{\"a\":\"ok\"},{\"userAgent\":\"bad \xff byte\"}]}";
  const size_t bad = text.find('\xff');
  Read r = ReadObject(Gzip(text), 3);
  EXPECT_EQ(r.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(r.status.message(), HasSubstr(fmt::format("at decoded byte {}", bad)));
  EXPECT_THAT(r.status.message(), HasSubstr("UTF-8"));
  EXPECT_EQ(r.records.size(), 1u);
}

TEST(CloudTrailReader, ValidJsonEdgeCasesAreAccepted) {
  const std::vector<std::string> records = {
      R"({"n":123456789012345678901234567890,"m":-0,"e":1e400,"f":-1.5E-7})",
      R"({"a":[],"o":{},"deep":[[[{"x":[null,true,false]}]]]})",
      R"({"s":"\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t","k\u0041":"{]"})",
      R"({})",
  };
  std::string text = "{\"Records\":[";
  for (size_t i = 0; i < records.size(); ++i) text += (i ? "," : "") + records[i];
  text += "]}";
  Read r = ReadObject(text);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.records.size(), records.size());
  for (size_t i = 0; i < records.size(); ++i) EXPECT_EQ(r.records[i].json, records[i]);
}

TEST(CloudTrailReader, InvalidGrammarInsideRecordsIsRejected) {
  const std::vector<std::string> bad = {
      R"({"a":1,})",      R"({"a" 1})",        R"({"a":01})",    R"({"a":1.})",    R"({"a":"\x"})",
      R"({"a":[1,]})",    R"({"a":nul})",      R"({"a":truee})", R"({"a":[1 2]})", R"({1:2})",
      "{\"a\":\"\x01\"}", R"({"a":"\ud800"})", R"({"a":+1})",    R"({"a":[}])",
  };
  for (const std::string& record : bad) {
    Read r = ReadObject("{\"Records\":[" + record + "]}");
    EXPECT_EQ(r.status.code(), StatusCode::kCorruption) << record;
    EXPECT_TRUE(r.records.empty()) << record;
  }
}

TEST(CloudTrailReader, OversizedRecordIsResourceExhaustedWithItsOffset) {
  std::string filler(10 << 20, 'x');  // 10 MiB that gzip cannot shrink past the ratio guard
  std::mt19937 rng(1);
  for (char& c : filler) c = static_cast<char>('a' + rng() % 26);
  const std::string huge = "{\"requestParameters\":\"" + filler + "\"}";
  const std::string text = "{\"Records\":[{\"a\":1}," + huge + ",{\"b\":2}]}";
  CloudTrailReaderOptions options;
  options.max_record_bytes = 64 * 1024;
  Read skipped = ReadObject(Gzip(text), 65536, options);
  EXPECT_EQ(skipped.status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(skipped.status.message(),
              HasSubstr("record 1 in s3://bucket/AWSLogs/x.json.gz at decoded byte 20 is larger "
                        "than max_record_bytes (65536 bytes)"));
  EXPECT_EQ(skipped.records.size(), 2u);

  options.skip_invalid_records = false;
  Read stopped = ReadObject(text, 0, options);
  EXPECT_EQ(stopped.status.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(stopped.records.size(), 1u);
}

TEST(CloudTrailReader, JsonThatIsNotACloudTrailFileIsCorruption) {
  for (const std::string text : {R"({"foo":1})", "{}", "", "[]", "null", "\x1f"}) {
    Read r = ReadObject(text);
    EXPECT_EQ(r.status.code(), StatusCode::kCorruption) << text;
  }
  EXPECT_THAT(ReadObject(R"({"foo":1})").status.message(), HasSubstr("no \"Records\" array"));
}

TEST(CloudTrailReader, TruncatedGzipKeepsTheRecordsDeliveredBeforeIt) {
  const std::string gz = Gzip(MakeLogFile(2000));
  Read r = ReadObject(gz.substr(0, gz.size() / 2), 4096);
  EXPECT_EQ(r.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(r.status.message(), HasSubstr("Truncated gzip"));
  EXPECT_GT(r.stats.records_delivered, 100u);
  EXPECT_LT(r.stats.records_delivered, 2000u);
  EXPECT_EQ(r.stats.records_delivered, r.records.size());
}

TEST(CloudTrailReader, GarbageAfterTheGzipIsCorruption) {
  Read r = ReadObject(Gzip(MakeLogFile(3)) + "junk");
  EXPECT_EQ(r.status.code(), StatusCode::kCorruption);
  EXPECT_THAT(r.status.message(), HasSubstr("Trailing garbage"));
}

TEST(CloudTrailReader, BombIsResourceExhausted) {
  // {"Records":[{"a":"000..."}]} with 200 MB of '0' inside one string, compressed as it is
  // generated so that the test itself never holds 200 MB.
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY), Z_OK);
  std::string gz;
  const auto deflate_piece = [&](std::string_view piece, int flush) {
    char buf[1 << 16];
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
    z.avail_in = static_cast<uInt>(piece.size());
    do {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof(buf);
      deflate(&z, flush);
      gz.append(buf, sizeof(buf) - z.avail_out);
    } while (z.avail_out == 0);
  };
  deflate_piece(R"({"Records":[{"a":")", Z_NO_FLUSH);
  const std::string zeros(1 << 20, '0');
  for (int i = 0; i < 200; ++i) deflate_piece(zeros, Z_NO_FLUSH);
  deflate_piece("\"}]}", Z_FINISH);
  deflateEnd(&z);
  ASSERT_LT(gz.size(), 1u << 20);

  Read r = ReadObject(gz, 1 << 16);
  EXPECT_EQ(r.status.code(), StatusCode::kResourceExhausted);
  EXPECT_THAT(r.status.message(), HasSubstr("max_compression_ratio"));
  EXPECT_LE(r.stats.decoded_bytes, uint64_t{9} << 20);
}

TEST(CloudTrailReader, CallbackErrorStopsTheRead) {
  int calls = 0;
  Status s = ReadCloudTrailObject(MakeLogFile(10), "local.json", {}, [&](const CloudTrailRecord&) {
    return ++calls == 3 ? Status::Unavailable("store is down") : Status::OK();
  });
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(calls, 3);
}

TEST(CloudTrailReader, ReadCloudTrailObjectFillsStatsOnSuccessAndError) {
  CloudTrailReadStats stats;
  const std::string text = MakeLogFile(5);
  const std::string gz = Gzip(text);
  ASSERT_TRUE(ReadCloudTrailObject(
                  gz, "f", {}, [](const CloudTrailRecord&) { return Status::OK(); }, &stats)
                  .ok());
  EXPECT_EQ(stats.records_delivered, 5u);
  EXPECT_TRUE(stats.gzip);
  EXPECT_EQ(stats.compressed_bytes, gz.size());
  EXPECT_EQ(stats.decoded_bytes, text.size());

  Status s = ReadCloudTrailObject(
      text.substr(0, text.size() - 2), "f", {},
      [](const CloudTrailRecord&) { return Status::OK(); }, &stats);
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(stats.records_delivered, 5u);
}

}  // namespace
}  // namespace trailhound::codecs
