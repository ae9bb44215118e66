// SnsClient and `trailhound simulate --to-s3` against a real fauxqs server: a topic, a
// subscribed queue and the SNS envelope it receives; then the binary uploading simulated
// CloudTrail files to a bucket and announcing each one — CloudTrail's message straight to a
// queue (in an SNS envelope), through a topic, and as S3 Event Notifications — checked object
// by object and message by message with the same NotificationDecoder the SQS source uses.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/s3.h"
#include "aws/sns.h"
#include "aws/sqs.h"
#include "emulator_checks.h"
#include "sources/simulate/cloudtrail_simulator.h"
#include "sources/sqs_s3/notification.h"
#include "testing/command.h"
#include "testing/fauxqs.h"

namespace trailhound::testing {
namespace {

using Json = nlohmann::json;

constexpr int kEvents = 500;
constexpr int kSeed = 5;

// Runs the trailhound binary with `args` and fauxqs' (any) keys in its environment.
CommandRun RunTrailhound(const std::vector<std::string>& args) {
  std::string command = std::string("env -u AWS_PROFILE -u AWS_SESSION_TOKEN AWS_ACCESS_KEY_ID=") +
                        checks::kAnyAccessKeyId +
                        " AWS_SECRET_ACCESS_KEY=" + checks::kAnySecretAccessKey + " " +
                        ShellQuote(TRAILHOUND_BINARY);
  for (const std::string& arg : args) command += " " + ShellQuote(arg);
  return RunCommand(command);
}

// The files `trailhound simulate --events kEvents --seed kSeed` generates: key → gzip size.
std::map<std::string, uint64_t> ExpectedFiles(const std::string& prefix) {
  sources::simulate::SimulatorOptions options;
  options.events = kEvents;
  options.seed = kSeed;
  auto simulator = sources::simulate::CloudTrailSimulator::Create(options);
  EXPECT_TRUE(simulator.ok()) << simulator.status().ToString();
  std::map<std::string, uint64_t> files;
  if (!simulator.ok()) return files;
  Status s = simulator->ForEachFile([&](sources::simulate::SimulatedFile& file) {
    files[prefix + file.key] = file.body.size();
    return Status::OK();
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  return files;
}

// One fauxqs per suite (checks::FauxqsSuite), with an SnsClient too.
class FauxqsWithSns : public checks::FauxqsSuite {
 protected:
  void SetUp() override {
    checks::FauxqsSuite::SetUp();
    if (HasFatalFailure()) return;
    sns_ = std::make_unique<aws::SnsClient>(sender_, checks::SnsOptionsFor(endpoint()));
  }

  // A new queue and its ARN.
  std::pair<std::string, std::string> CreateQueue(const std::string& name) {
    const std::string url = checks::CreateQueue(*sqs_, name);
    auto attributes = sqs_->GetQueueAttributes(url, {"QueueArn"});
    EXPECT_TRUE(attributes.ok()) << attributes.status().ToString();
    const std::string arn = attributes.ok() ? (*attributes)["QueueArn"] : "";
    EXPECT_EQ(arn, "arn:aws:sqs:us-east-1:000000000000:" + name);
    return {url, arn};
  }

  // A new topic with `queue_arn` subscribed to it.
  std::string CreateSubscribedTopic(const std::string& name, const std::string& queue_arn,
                                    const std::map<std::string, std::string>& attributes = {}) {
    auto topic = sns_->CreateTopic(name);
    EXPECT_TRUE(topic.ok()) << topic.status().ToString();
    if (!topic.ok()) return "";
    EXPECT_EQ(*topic, "arn:aws:sns:us-east-1:000000000000:" + name);
    auto subscription = sns_->Subscribe(*topic, "sqs", queue_arn, attributes);
    EXPECT_TRUE(subscription.ok()) << subscription.status().ToString();
    if (subscription.ok()) {
      EXPECT_TRUE(subscription->starts_with(*topic + ":")) << *subscription;
    }
    return *topic;
  }

  // Every message in the queue (received, left in flight), after they stopped coming.
  std::vector<aws::SqsMessage> ReceiveAll(const std::string& url) {
    std::vector<aws::SqsMessage> received;
    aws::SqsReceiveOptions options;
    options.max_messages = 10;
    options.wait_time_secs = 1;
    options.visibility_timeout_secs = 300;
    for (int empty = 0, calls = 0; empty < 2 && calls < 200; ++calls) {
      auto messages = sqs_->ReceiveMessage(url, options);
      EXPECT_TRUE(messages.ok()) << messages.status().ToString();
      if (!messages.ok()) break;
      empty = messages->empty() ? empty + 1 : 0;
      received.insert(received.end(), messages->begin(), messages->end());
    }
    return received;
  }

  // Keys and sizes of every object in `bucket`.
  std::map<std::string, uint64_t> ListBucket(const std::string& bucket) {
    aws::S3ListRequest request;
    request.bucket = bucket;
    auto objects = s3_->ListAllObjects(request);
    EXPECT_TRUE(objects.ok()) << objects.status().ToString();
    std::map<std::string, uint64_t> listed;
    if (objects.ok()) {
      for (const auto& object : *objects) listed[object.key] = object.size_bytes;
    }
    return listed;
  }

  // Runs `simulate --to-s3 s3://<bucket>/<prefix>` with `extra` flags on a new bucket; checks
  // the bucket holds exactly the simulated files, byte counts included, and the queue one
  // notification per file naming it, whose decoder detail starts with `detail_prefix`
  // (and says "via SNS topic" when `via_sns`).
  void SimulateAndCheck(const std::string& bucket, const std::string& prefix,
                        const std::string& queue_url, const std::vector<std::string>& extra,
                        const std::string& detail_prefix, bool via_sns) {
    ASSERT_TRUE(checks::CreateBucket(*s3_, bucket));
    std::vector<std::string> args = {"simulate",
                                     "--events",
                                     std::to_string(kEvents),
                                     "--seed",
                                     std::to_string(kSeed),
                                     "--to-s3",
                                     "s3://" + bucket + "/" + prefix,
                                     "--endpoint-url",
                                     endpoint(),
                                     "--region",
                                     checks::kRegion};
    args.insert(args.end(), extra.begin(), extra.end());
    const CommandRun run = RunTrailhound(args);
    ASSERT_EQ(run.status, 0) << run.out;

    const std::map<std::string, uint64_t> expected = ExpectedFiles(prefix);
    ASSERT_GT(expected.size(), 1u);
    EXPECT_NE(run.out.find("uploaded " + std::to_string(expected.size()) + " files, " +
                           std::to_string(kEvents) + " events"),
              std::string::npos)
        << run.out;
    EXPECT_NE(
        run.out.find(std::to_string(expected.size()) + " " +
                     (detail_prefix.starts_with("S3") ? "s3" : "cloudtrail") + " notifications"),
        std::string::npos)
        << run.out;
    EXPECT_EQ(ListBucket(bucket), expected);

    const std::vector<aws::SqsMessage> messages = ReceiveAll(queue_url);
    EXPECT_EQ(messages.size(), expected.size());
    std::multiset<std::string> announced;
    sources::NotificationDecoder decoder;
    for (const aws::SqsMessage& message : messages) {
      auto decoded = decoder.Decode(message.body, message.message_id);
      ASSERT_TRUE(decoded.ok()) << decoded.status().ToString() << "\n" << message.body;
      EXPECT_EQ(decoded->kind, sources::Notification::Kind::kObjects);
      EXPECT_TRUE(decoded->detail.starts_with(detail_prefix)) << decoded->detail;
      EXPECT_EQ(decoded->detail.find("via SNS topic") != std::string::npos, via_sns)
          << decoded->detail;
      ASSERT_EQ(decoded->objects.size(), 1u) << message.body;
      const sources::ObjectRef& object = decoded->objects[0];
      EXPECT_EQ(object.bucket, bucket);
      announced.insert(object.key);
      if (object.size) {
        auto it = expected.find(object.key);
        if (it != expected.end()) {
          EXPECT_EQ(*object.size, it->second) << object.key;
        }
      }
    }
    std::multiset<std::string> expected_keys;
    for (const auto& [key, size] : expected) expected_keys.insert(key);
    EXPECT_EQ(announced, expected_keys);
  }

  std::unique_ptr<aws::SnsClient> sns_;
};

using SnsOnFauxqs = FauxqsWithSns;
using SimulateToS3OnFauxqs = FauxqsWithSns;

TEST_F(SnsOnFauxqs, PublishReachesASubscribedQueueInAnSnsEnvelope) {
  const auto [queue_url, queue_arn] = CreateQueue("sns-envelope");
  const std::string topic = CreateSubscribedTopic("envelope-topic", queue_arn);
  ASSERT_FALSE(topic.empty());
  // Every character form encoding and JSON escaping could get wrong.
  const std::string text =
      R"({"s3Bucket":"b&b=1+2","s3ObjectKey":["AWSLogs/a b%/ü 日本.json.gz"]})";
  auto id = sns_->Publish(topic, text, "a subject");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_FALSE(id->empty());

  auto received = checks::ReceiveAtLeast(*sqs_, queue_url, 1);
  ASSERT_EQ(received.size(), 1u);
  const Json envelope = Json::parse(received[0].body, nullptr, false);
  ASSERT_TRUE(envelope.is_object()) << received[0].body;
  EXPECT_EQ(envelope["Type"], "Notification");
  EXPECT_EQ(envelope["MessageId"], *id);
  EXPECT_EQ(envelope["TopicArn"], topic);
  EXPECT_EQ(envelope["Subject"], "a subject");
  EXPECT_EQ(envelope["Message"], text);

  auto decoded = sources::DecodeNotification(received[0].body, received[0].message_id);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->objects.size(), 1u);
  EXPECT_EQ(decoded->objects[0].key, "AWSLogs/a b%/ü 日本.json.gz");
}

TEST_F(SnsOnFauxqs, RawMessageDeliveryPassesTheMessageAsItIs) {
  const auto [queue_url, queue_arn] = CreateQueue("sns-raw");
  const std::string topic =
      CreateSubscribedTopic("raw-topic", queue_arn, {{"RawMessageDelivery", "true"}});
  ASSERT_FALSE(topic.empty());
  ASSERT_TRUE(sns_->Publish(topic, "just the text").ok());
  auto received = checks::ReceiveAtLeast(*sqs_, queue_url, 1);
  ASSERT_EQ(received.size(), 1u);
  EXPECT_EQ(received[0].body, "just the text");
}

TEST_F(SnsOnFauxqs, PublishToAMissingTopicIsNotFound) {
  const std::string missing = "arn:aws:sns:us-east-1:000000000000:no-such-topic";
  auto id = sns_->Publish(missing, "hello");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kNotFound) << id.status().ToString();
  EXPECT_EQ(id.status().aws_error_code(), "NotFound");
  EXPECT_EQ(id.status().resource(), missing);
  EXPECT_FALSE(id.status().IsRetriable());
}

TEST_F(SimulateToS3OnFauxqs, CloudTrailNotificationsStraightToTheQueueInSnsEnvelopes) {
  const auto [queue_url, queue_arn] = CreateQueue("sim-direct");
  SimulateAndCheck("sim-direct", "", queue_url, {"--sqs-queue-url", queue_url},
                   "CloudTrail notification", /*via_sns=*/true);
}

TEST_F(SimulateToS3OnFauxqs, CloudTrailNotificationsThroughATopic) {
  const auto [queue_url, queue_arn] = CreateQueue("sim-topic");
  const std::string topic = CreateSubscribedTopic("sim-topic", queue_arn);
  ASSERT_FALSE(topic.empty());
  SimulateAndCheck("sim-topic", "org/", queue_url, {"--sns-topic-arn", topic, "--rate", "0"},
                   "CloudTrail notification", /*via_sns=*/true);
}

TEST_F(SimulateToS3OnFauxqs, S3EventNotificationsStraightToTheQueueWithEncodedKeys) {
  const auto [queue_url, queue_arn] = CreateQueue("sim-s3-events");
  // A prefix with a space and a '+': S3 events encode them, the decoder must get them back.
  SimulateAndCheck("sim-s3-events", "my logs+1/", queue_url,
                   {"--sqs-queue-url", queue_url, "--notify", "s3"}, "S3 event notification",
                   /*via_sns=*/false);
}

TEST_F(SimulateToS3OnFauxqs, S3EventNotificationsThroughATopic) {
  const auto [queue_url, queue_arn] = CreateQueue("sim-s3-topic");
  const std::string topic = CreateSubscribedTopic("sim-s3-topic", queue_arn);
  ASSERT_FALSE(topic.empty());
  SimulateAndCheck("sim-s3-topic", "", queue_url, {"--sns-topic-arn", topic, "--notify", "s3"},
                   "S3 event notification",
                   /*via_sns=*/true);
}

TEST_F(SimulateToS3OnFauxqs, AMissingBucketFailsNamingIt) {
  const CommandRun run =
      RunTrailhound({"simulate", "--events", "50", "--to-s3", "s3://no-such-bucket",
                     "--endpoint-url", endpoint(), "--region", checks::kRegion});
  EXPECT_EQ(run.status, 1) << run.out;
  EXPECT_NE(run.out.find("s3://no-such-bucket/"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("stopped after 0 files"), std::string::npos) << run.out;
}

TEST_F(SimulateToS3OnFauxqs, ExactlyOneOfOutAndToS3IsRequired) {
  CommandRun neither = RunTrailhound({"simulate", "--events", "10"});
  EXPECT_EQ(neither.status, 1) << neither.out;
  EXPECT_NE(neither.out.find("exactly one of --out"), std::string::npos) << neither.out;
  CommandRun both =
      RunTrailhound({"simulate", "--events", "10", "--out", "/nonexistent/x", "--to-s3", "s3://b"});
  EXPECT_NE(both.status, 0) << both.out;
  EXPECT_NE(both.out.find("excludes"), std::string::npos) << both.out;
  CommandRun orphan =
      RunTrailhound({"simulate", "--events", "10", "--out", "/nonexistent/x", "--notify", "s3"});
  EXPECT_NE(orphan.status, 0) << orphan.out;
  EXPECT_NE(orphan.out.find("requires --to-s3"), std::string::npos) << orphan.out;
}

}  // namespace
}  // namespace trailhound::testing
