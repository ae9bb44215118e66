#include "sources/simulate/cloudtrail_simulator.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "codecs/cloudtrail_key.h"
#include "codecs/cloudtrail_reader.h"
#include "sources/simulate/sim_time.h"

namespace trailhound::sources::simulate {
namespace {

SimulatorOptions Options(uint64_t events, uint64_t seed = 7) {
  SimulatorOptions options;
  options.events = events;
  options.seed = seed;
  return options;
}

// Every file's key and body, concatenated in order.
std::string AllBytes(const SimulatorOptions& options) {
  auto sim = CloudTrailSimulator::Create(options);
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  std::string all;
  Status s = sim->ForEachFile([&all](SimulatedFile& file) {
    all += file.key;
    all += file.body;
    return Status::OK();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return all;
}

struct Seen {
  uint64_t files = 0;
  uint64_t records = 0;
  std::vector<std::string> event_ids;
  std::map<std::string, uint64_t> counts;  // "field=value" → records
};

// Decodes every file with the production reader and checks each key and record.
Seen DecodeAll(const SimulatorOptions& options) {
  Seen seen;
  auto sim = CloudTrailSimulator::Create(options);
  EXPECT_TRUE(sim.ok()) << sim.status().ToString();
  simdjson::dom::parser parser;
  Status s = sim->ForEachFile([&](SimulatedFile& file) {
    ++seen.files;
    codecs::CloudTrailKey key = codecs::ClassifyCloudTrailKey(file.key);
    EXPECT_EQ(key.kind, codecs::CloudTrailObjectKind::kLog) << file.key;
    EXPECT_EQ(key.account_id, file.account_id) << file.key;
    EXPECT_EQ(key.region, file.region) << file.key;
    CivilTime day = ToCivil(file.window_start_secs);
    std::string date_path = fmt::format("/{:04}/{:02}/{:02}/", day.year, day.month, day.day);
    EXPECT_NE(file.key.find(date_path), std::string::npos) << file.key;
    std::string window_start;
    AppendIso8601(file.window_start_secs, &window_start);
    std::string window_end;
    AppendIso8601(file.window_start_secs + kDeliveryWindowSecs, &window_end);

    uint64_t in_file = 0;
    codecs::CloudTrailReadStats stats;
    Status read = codecs::ReadCloudTrailObject(
        file.body, file.key, codecs::CloudTrailReaderOptions{},
        [&](const codecs::CloudTrailRecord& record) {
          ++in_file;
          simdjson::dom::element doc;
          if (auto error = parser.parse(record.json).get(doc)) {
            return Status::Corruption(simdjson::error_message(error));
          }
          std::string time(doc["eventTime"].get_string().value());
          EXPECT_GE(time, window_start);  // same format: text order is time order
          EXPECT_LT(time, window_end);
          EXPECT_EQ(doc["awsRegion"].get_string().value(), file.region);
          EXPECT_EQ(doc["recipientAccountId"].get_string().value(), file.account_id);
          seen.event_ids.emplace_back(doc["eventID"].get_string().value());
          auto count = [&seen](std::string_view field, std::string_view value) {
            ++seen.counts[fmt::format("{}={}", field, value)];
          };
          count("eventName", doc["eventName"].get_string().value());
          count("eventVersion", doc["eventVersion"].get_string().value());
          count("eventType", doc["eventType"].get_string().value());
          count("eventCategory", doc["eventCategory"].get_string().value());
          count("awsRegion", file.region);
          std::string_view type = doc["userIdentity"]["type"].get_string().value();
          count("userIdentity.type", type);
          std::string_view issuer;
          if (!doc.at_pointer("/userIdentity/sessionContext/sessionIssuer/arn").get(issuer)) {
            count("sessionIssuer", type);
          }
          std::string_view text;
          if (!doc["errorCode"].get(text)) count("errorCode", text);
          if (!doc.at_pointer("/responseElements/ConsoleLogin").get(text)) {
            count("ConsoleLogin", text);
          }
          if (!doc.at_pointer("/additionalEventData/MFAUsed").get(text)) count("MFAUsed", text);
          if (!doc.at_pointer("/requestParameters/bucketName").get(text)) count("s3.bucket", "set");
          if (!doc.at_pointer("/tlsDetails/tlsVersion").get(text)) count("tls", "set");
          std::string_view ip = doc["sourceIPAddress"].get_string().value();
          if (ip.starts_with("203.0.113.") || ip.starts_with("198.51.100.")) count("ip", "doc");
          if (ip.ends_with(".amazonaws.com")) count("ip", "service");
          return Status::OK();
        },
        &stats);
    EXPECT_TRUE(read.ok()) << read.ToString();
    EXPECT_TRUE(stats.gzip);
    EXPECT_EQ(stats.records_invalid, 0u);
    EXPECT_EQ(in_file, file.events) << file.key;
    EXPECT_EQ(stats.decoded_bytes, file.json_bytes);
    seen.records += in_file;
    return Status::OK();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return seen;
}

TEST(CloudTrailSimulator, SameSeedGivesIdenticalBytes) {
  std::string a = AllBytes(Options(3000, 42));
  std::string b = AllBytes(Options(3000, 42));
  EXPECT_FALSE(a.empty());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, AllBytes(Options(3000, 43)));
}

TEST(CloudTrailSimulator, WritesExactlyTheRequestedEvents) {
  for (uint64_t n : {uint64_t{0}, uint64_t{1}, uint64_t{299}, uint64_t{12345}}) {
    auto sim = CloudTrailSimulator::Create(Options(n));
    ASSERT_TRUE(sim.ok());
    uint64_t events = 0, files = 0;
    ASSERT_TRUE(sim->ForEachFile([&](SimulatedFile& file) {
                     EXPECT_GE(file.events, 1u);
                     EXPECT_LE(file.events, 300u);
                     events += file.events;
                     ++files;
                     return Status::OK();
                   })
                    .ok());
    EXPECT_EQ(events, n);
    EXPECT_EQ(files, sim->file_sizes().size());
  }
}

TEST(CloudTrailSimulator, EveryFileDecodesAndClassifies) {
  SimulatorOptions options = Options(10000);
  options.span_secs = 3 * 86400;  // crosses midnight: date paths change
  Seen seen = DecodeAll(options);
  EXPECT_EQ(seen.records, 10000u);
  EXPECT_GT(seen.files, 30u);
}

TEST(CloudTrailSimulator, EventIdsAreUniqueUuids) {
  Seen seen = DecodeAll(Options(50000));
  ASSERT_EQ(seen.event_ids.size(), 50000u);
  std::set<std::string> unique(seen.event_ids.begin(), seen.event_ids.end());
  EXPECT_EQ(unique.size(), 50000u);
  for (size_t i = 0; i < 100; ++i) {
    const std::string& id = seen.event_ids[i];
    ASSERT_EQ(id.size(), 36u);
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
  }
}

TEST(CloudTrailSimulator, HasARealisticMix) {
  SimulatorOptions options = Options(20000);
  options.error_rate = 0.05;
  Seen seen = DecodeAll(options);
  auto n = [&seen](const std::string& key) { return seen.counts[key]; };
  EXPECT_GT(n("ConsoleLogin=Failure"), 0u);
  EXPECT_GT(n("ConsoleLogin=Success"), n("ConsoleLogin=Failure"));
  EXPECT_GT(n("MFAUsed=Yes"), 0u);
  EXPECT_GT(n("MFAUsed=No"), 0u);
  EXPECT_GT(n("sessionIssuer=AssumedRole"), 1000u);
  EXPECT_GT(n("userIdentity.type=IAMUser"), 1000u);
  EXPECT_GT(n("userIdentity.type=AWSService"), 0u);
  EXPECT_GT(n("userIdentity.type=Root"), 0u);
  EXPECT_LT(n("userIdentity.type=Root"), 200u);
  EXPECT_GT(n("eventType=AwsServiceEvent"), 0u);
  EXPECT_GT(n("eventCategory=Data"), 0u);
  EXPECT_GT(n("s3.bucket=set"), 0u);
  EXPECT_GT(n("tls=set"), 0u);
  EXPECT_GT(n("ip=doc"), 0u);
  EXPECT_GT(n("ip=service"), 0u);
  for (const char* name :
       {"GetObject", "PutObject", "ListBuckets", "DescribeInstances", "RunInstances", "CreateUser",
        "AttachUserPolicy", "CreateAccessKey", "AssumeRole", "GetCallerIdentity", "Decrypt",
        "Invoke", "CreateLogStream"}) {
    EXPECT_GT(n(fmt::format("eventName={}", name)), 0u) << name;
  }
  for (const char* version : {"1.08", "1.09", "1.10"}) {
    EXPECT_GT(n(fmt::format("eventVersion={}", version)), 0u) << version;
  }
  EXPECT_GT(n("awsRegion=ap-northeast-3"), 0u);
  EXPECT_GT(n("awsRegion=eu-west-1"), 0u);

  uint64_t errors = 0;
  for (const auto& [key, count] : seen.counts) {
    if (key.starts_with("errorCode=")) errors += count;
  }
  EXPECT_GT(n("errorCode=AccessDenied"), 0u);
  EXPECT_GT(n("errorCode=ThrottlingException"), 0u);
  uint64_t calls = seen.records - n("eventName=ConsoleLogin");
  double rate = static_cast<double>(errors) / static_cast<double>(calls);
  EXPECT_NEAR(rate, 0.05, 0.05 * 0.3) << errors << " errors in " << calls << " calls";
}

TEST(CloudTrailSimulator, OnlyConfiguredRegionsAndAccounts) {
  SimulatorOptions options = Options(2000);
  options.accounts = {"999988887777"};
  options.regions = {"ap-northeast-3"};
  Seen seen = DecodeAll(options);
  EXPECT_EQ(seen.counts["awsRegion=ap-northeast-3"], 2000u);
  EXPECT_EQ(seen.counts["eventName=CreateUser"], 0u);  // IAM is delivered in us-east-1 only
}

TEST(CloudTrailSimulator, RejectsBadOptions) {
  SimulatorOptions options = Options(10);
  options.accounts = {"12345"};
  EXPECT_FALSE(CloudTrailSimulator::Create(options).ok());
  options = Options(10);
  options.regions = {};
  EXPECT_FALSE(CloudTrailSimulator::Create(options).ok());
  options = Options(10);
  options.error_rate = 1.5;
  EXPECT_FALSE(CloudTrailSimulator::Create(options).ok());
  options = Options(10);
  options.span_secs = 60;
  EXPECT_FALSE(CloudTrailSimulator::Create(options).ok());
}

TEST(CloudTrailSimulator, StopsWhenTheCallbackFails) {
  auto sim = CloudTrailSimulator::Create(Options(5000));
  ASSERT_TRUE(sim.ok());
  int calls = 0;
  Status s = sim->ForEachFile([&calls](SimulatedFile&) {
    ++calls;
    return Status::IoError("disk full");
  });
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace trailhound::sources::simulate
