// Throughput of the codecs stage on a generated, realistic CloudTrail log file (20,000 records
// of varied events, gzip level 6 like the .json.gz that CloudTrail delivers). Every benchmark
// reports bytes_per_second over the *decoded* JSON size, so the numbers compare directly:
//   ZlibInflateOnly       the baseline: bare zlib inflate into a 64 KiB buffer, output dropped
//   StreamDecompressor    our decoder (magic detection, guards, sink) with a no-op sink
//   SplitOnly             RecordsSplitter over the plain JSON (no parsing)
//   ReadPlain             CloudTrailReader on the plain JSON: split + simdjson validation
//   ReadGzip              the whole path: gunzip + split + validation, fed in 64 KiB pieces
// Run: cmake -DTRAILHOUND_BENCH=ON ... && build/bench/codecs_bench
#include <benchmark/benchmark.h>
#include <fmt/format.h>
#include <zlib.h>

#include <cstdio>
#include <random>
#include <string>

#include "codecs/cloudtrail_reader.h"
#include "codecs/compress.h"
#include "codecs/decompress.h"
#include "codecs/records_splitter.h"

namespace trailhound::codecs {
namespace {

constexpr int kRecords = 20000;
constexpr size_t kFeedBytes = 64 * 1024;  // the size of the pieces a GetObject body arrives in

std::string Hex(std::mt19937_64& rng, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (int i = 0; i < digits; ++i) out += kDigits[rng() % 16];
  return out;
}

std::string Uuid(std::mt19937_64& rng) {
  return Hex(rng, 8) + "-" + Hex(rng, 4) + "-" + Hex(rng, 4) + "-" + Hex(rng, 4) + "-" +
         Hex(rng, 12);
}

// One event in the shape of real CloudTrail records: nested userIdentity with a session
// context, request parameters that vary per service, random ids that do not compress.
std::string MakeRecord(std::mt19937_64& rng, int i) {
  struct Api {
    const char* source;
    const char* name;
    const char* params;
  };
  static const Api kApis[] = {
      {"s3.amazonaws.com", "GetObject",
       R"({{"bucketName":"prod-data-{0}","Host":"prod-data-{0}.s3.ap-northeast-3.amazonaws.com","key":"reports/2024/05/{1}.parquet"}})"},
      {"sts.amazonaws.com", "AssumeRole",
       R"({{"roleArn":"arn:aws:iam::111122223333:role/deploy-{0}","roleSessionName":"ci-{1}","durationSeconds":3600}})"},
      {"ec2.amazonaws.com", "DescribeInstances",
       R"({{"instancesSet":{{"items":[{{"instanceId":"i-{1}"}}]}},"filterSet":{{}}}})"},
      {"iam.amazonaws.com", "PutRolePolicy",
       R"({{"roleName":"svc-{0}","policyName":"inline","policyDocument":"{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::b-{1}/*\"}}]}}"}})"},
      {"kms.amazonaws.com", "Decrypt",
       R"({{"encryptionAlgorithm":"SYMMETRIC_DEFAULT","encryptionContext":{{"aws:lambda:FunctionArn":"arn:aws:lambda:ap-northeast-3:111122223333:function:f{0}"}}}})"},
      {"signin.amazonaws.com", "ConsoleLogin", "null"},
  };
  const Api& api = kApis[rng() % (sizeof(kApis) / sizeof(kApis[0]))];
  const std::string params = fmt::format(fmt::runtime(api.params), i % 97, Hex(rng, 16));
  const bool failed = rng() % 20 == 0;
  return fmt::format(
      R"({{"eventVersion":"1.09","userIdentity":{{"type":"AssumedRole","principalId":"AROA{0}:user{1}@example.com",)"
      R"("arn":"arn:aws:sts::111122223333:assumed-role/Admin/user{1}@example.com","accountId":"111122223333",)"
      R"("accessKeyId":"ASIA{2}","sessionContext":{{"sessionIssuer":{{"type":"Role","principalId":"AROA{0}",)"
      R"("arn":"arn:aws:iam::111122223333:role/Admin","accountId":"111122223333","userName":"Admin"}},)"
      R"("attributes":{{"creationDate":"2024-05-01T0{3}:12:44Z","mfaAuthenticated":"true"}}}}}},)"
      R"("eventTime":"2024-05-01T0{3}:{4:02}:{5:02}Z","eventSource":"{6}","eventName":"{7}",)"
      R"("awsRegion":"ap-northeast-3","sourceIPAddress":"198.51.100.{8}",)"
      R"("userAgent":"aws-cli/2.15.{9} md/awscrt#0.19.19 ua/2.0 os/linux#6.1 md/arch#x86_64 lang/python#3.11",)"
      R"({10}"requestParameters":{11},"responseElements":null,"requestID":"{12}","eventID":"{13}",)"
      R"("readOnly":{14},"resources":[{{"accountId":"111122223333","type":"AWS::IAM::Role","ARN":"arn:aws:iam::111122223333:role/Admin"}}],)"
      R"("eventType":"AwsApiCall","managementEvent":true,"recipientAccountId":"111122223333",)"
      R"("eventCategory":"Management","tlsDetails":{{"tlsVersion":"TLSv1.3","cipherSuite":"TLS_AES_128_GCM_SHA256",)"
      R"("clientProvidedHostHeader":"{6}"}}}})",
      Hex(rng, 17), i % 40, Hex(rng, 16), i % 10, rng() % 60, rng() % 60, api.source, api.name,
      rng() % 256, rng() % 30,
      failed ? R"("errorCode":"AccessDenied","errorMessage":"User is not authorized",)" : "",
      params, Uuid(rng), Uuid(rng), rng() % 2 ? "true" : "false");
}

struct Fixture {
  std::string json;
  std::string gzip;
};

const Fixture& GetFixture() {
  static const Fixture* fixture = [] {
    auto* f = new Fixture;
    std::mt19937_64 rng(2024);
    f->json = "{\"Records\":[";
    for (int i = 0; i < kRecords; ++i) {
      if (i) f->json += ",";
      f->json += MakeRecord(rng, i);
    }
    f->json += "]}";
    f->gzip = GzipCompress(f->json).value();
    std::fprintf(stderr, "fixture: %d records, %.1f MB JSON, %.1f MB gzip (ratio %.1f)\n", kRecords,
                 f->json.size() / 1e6, f->gzip.size() / 1e6,
                 static_cast<double>(f->json.size()) / f->gzip.size());
    return f;
  }();
  return *fixture;
}

void SetDecodedBytes(benchmark::State& state) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(GetFixture().json.size()));
}

void BM_ZlibInflateOnly(benchmark::State& state) {
  const Fixture& f = GetFixture();
  std::string out(kFeedBytes, '\0');
  for (auto _ : state) {
    z_stream z{};
    inflateInit2(&z, 15 + 16);
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(f.gzip.data()));
    z.avail_in = static_cast<uInt>(f.gzip.size());
    int ret = Z_OK;
    while (ret == Z_OK) {
      z.next_out = reinterpret_cast<Bytef*>(out.data());
      z.avail_out = static_cast<uInt>(out.size());
      ret = inflate(&z, Z_NO_FLUSH);
      benchmark::DoNotOptimize(out.data());
    }
    if (ret != Z_STREAM_END) state.SkipWithError("inflate failed");
    inflateEnd(&z);
  }
  SetDecodedBytes(state);
}
BENCHMARK(BM_ZlibInflateOnly)->Unit(benchmark::kMillisecond);

void BM_StreamDecompressor(benchmark::State& state) {
  const Fixture& f = GetFixture();
  for (auto _ : state) {
    uint64_t seen = 0;
    StreamDecompressor d("bench", {}, [&](std::string_view piece) {
      seen += piece.size();
      return Status::OK();
    });
    Status s;
    for (size_t i = 0; i < f.gzip.size() && s.ok(); i += kFeedBytes) {
      s = d.Feed(std::string_view(f.gzip).substr(i, kFeedBytes));
    }
    if (s.ok()) s = d.Finish();
    if (!s.ok() || seen != f.json.size()) state.SkipWithError(s.ToString().c_str());
  }
  SetDecodedBytes(state);
}
BENCHMARK(BM_StreamDecompressor)->Unit(benchmark::kMillisecond);

void BM_SplitOnly(benchmark::State& state) {
  class Counter : public RecordsSplitter::Handler {
   public:
    Status OnRecord(std::string_view text, uint64_t, uint64_t) override {
      benchmark::DoNotOptimize(text.data());
      ++records;
      return Status::OK();
    }
    Status OnOversizedRecord(uint64_t, uint64_t) override { return Status::Internal("big"); }
    void OnTopLevelKey(std::string_view) override {}
    int records = 0;
  };
  const Fixture& f = GetFixture();
  for (auto _ : state) {
    Counter counter;
    RecordsSplitter splitter("bench", uint64_t{4} << 20, 64, &counter);
    Status s = splitter.Feed(f.json);
    if (s.ok()) s = splitter.Finish();
    if (!s.ok() || counter.records != kRecords) state.SkipWithError("split failed");
  }
  SetDecodedBytes(state);
}
BENCHMARK(BM_SplitOnly)->Unit(benchmark::kMillisecond);

void ReadAll(benchmark::State& state, const std::string& bytes) {
  for (auto _ : state) {
    int records = 0;
    CloudTrailReader reader("bench", {}, [&](const CloudTrailRecord& r) {
      benchmark::DoNotOptimize(r.json.data());
      ++records;
      return Status::OK();
    });
    Status s;
    for (size_t i = 0; i < bytes.size() && s.ok(); i += kFeedBytes) {
      s = reader.Feed(std::string_view(bytes).substr(i, kFeedBytes));
    }
    if (s.ok()) s = reader.Finish();
    if (!s.ok() || records != kRecords) state.SkipWithError(s.ToString().c_str());
  }
  SetDecodedBytes(state);
  state.counters["records_per_second"] = benchmark::Counter(
      static_cast<double>(state.iterations()) * kRecords, benchmark::Counter::kIsRate);
}

void BM_ReadPlain(benchmark::State& state) { ReadAll(state, GetFixture().json); }
BENCHMARK(BM_ReadPlain)->Unit(benchmark::kMillisecond);

void BM_ReadGzip(benchmark::State& state) { ReadAll(state, GetFixture().gzip); }
BENCHMARK(BM_ReadGzip)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace trailhound::codecs

BENCHMARK_MAIN();
