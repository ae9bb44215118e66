// The SQS event source end to end on a real S3 + SQS emulator (fauxqs): simulated CloudTrail
// log files in a bucket, CloudTrail's SNS notifications in the queue (plus a duplicate, a
// test event, a digest and a body nobody understands), the source storing into a real store.
// Checks the contracts: every event stored once, messages deleted only after the store said
// durable, the unknown message left for the DLQ, status Running with a positive EPM.
#include "sources/sqs_s3/sqs_source.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "../aws/emulator_checks.h"
#include "aws/credentials_environment.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "core/temp_dir.h"
#include "sinks/store_sink.h"
#include "sources/simulate/cloudtrail_simulator.h"
#include "store/store.h"
#include "testing/fauxqs.h"

namespace trailhound::testing {
namespace {

using checks::AnyCredentials;
using checks::SnsEnvelope;

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(SqsSource, StoresEveryEventOnceAndDeletesOnlyWhatIsDurable) {
  FauxqsOptions fauxqs_options;
  fauxqs_options.source_dir = TRAILHOUND_SOURCE_DIR;
  auto fauxqs = Fauxqs::Start(fauxqs_options);
  ASSERT_TRUE(fauxqs.ok()) << fauxqs.status().ToString();
  const std::string endpoint = (*fauxqs)->endpoint();
  auto sender = checks::MakeSender(AnyCredentials());
  aws::S3Client s3(sender, checks::S3OptionsFor(endpoint));
  aws::SqsClient sqs(sender, checks::SqsOptionsFor(endpoint));
  const std::string bucket = "org-cloudtrail-logs";
  ASSERT_TRUE(s3.CreateBucket(bucket).ok());
  auto queue = sqs.CreateQueue("cloudtrail-siem", {{"VisibilityTimeout", "60"}});
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();

  // Simulated log files: each uploaded and announced the way CloudTrail does it.
  sources::simulate::SimulatorOptions sim;
  sim.events = 3000;
  sim.seed = 11;
  auto simulator = sources::simulate::CloudTrailSimulator::Create(sim);
  ASSERT_TRUE(simulator.ok());
  std::vector<std::string> keys;
  ASSERT_TRUE(simulator
                  ->ForEachFile([&](sources::simulate::SimulatedFile& file) -> Status {
                    TH_RETURN_IF_ERROR(s3.PutObject(bucket, file.key, file.body).status());
                    keys.push_back(file.key);
                    return Status::OK();
                  })
                  .ok());
  size_t sent = 0;
  for (size_t i = 0; i < keys.size(); i += 3) {  // CloudTrail names one or more keys per message
    std::string list;
    for (size_t j = i; j < std::min(keys.size(), i + 3); ++j) {
      list += (list.empty() ? "\"" : ",\"") + keys[j] + "\"";
    }
    std::string body = R"({"s3Bucket":")" + bucket + R"(","s3ObjectKey":[)" + list + "]}";
    ASSERT_TRUE(sqs.SendMessage(*queue, SnsEnvelope(body)).ok());
    ++sent;
    if (i == 0) {  // a re-delivery of the first notification: stored once all the same
      ASSERT_TRUE(sqs.SendMessage(*queue, SnsEnvelope(body)).ok());
      ++sent;
    }
  }
  ASSERT_TRUE(
      sqs.SendMessage(
             *queue,
             R"({"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2025-01-01T00:00:00.000Z","Bucket":"org-cloudtrail-logs","RequestId":"r","HostId":"h"})")
          .ok());
  ASSERT_TRUE(
      sqs.SendMessage(
             *queue,
             SnsEnvelope(
                 R"({"s3Bucket":"org-cloudtrail-logs","s3ObjectKey":["AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/01/01/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20250101T000000Z.json.gz"]})"))
          .ok());
  ASSERT_TRUE(sqs.SendMessage(*queue, "this is not a notification").ok());
  sent += 3;

  TempDir dir;
  store::StoreOptions store_options;
  store_options.data_dir = dir.path();
  auto store = store::Store::Open(store_options);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  sinks::StoreSink sink(store->get());

  sources::SqsSourceOptions options;
  options.name = "cloudtrail-main";
  options.queue_url = *queue;
  options.endpoint_url = endpoint;
  options.credentials.access_key_id = "AKIAFAUXQSTESTKEY000";
  options.credentials.secret_access_key = Secret("fauxqs-accepts-any-secret");
  options.wait_time_secs = 1;
  options.visibility_timeout_secs = 30;
  options.max_objects_in_flight = 4;
  options.queue_depth_interval_ms = 500;
  auto source = sources::SqsSource::Create(options, &sink, aws::ProcessCredentialsEnvironment());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  (*source)->Start();

  const auto deadline = std::chrono::steady_clock::now() + 60s;
  sources::SourceStatusSnapshot status;
  while (std::chrono::steady_clock::now() < deadline) {
    status = (*source)->status();
    if (status.counters.messages_deleted + status.counters.messages_unrecognized >= sent &&
        (*store)->stats().events >= sim.events) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ((*store)->stats().events, sim.events);
  EXPECT_EQ(status.counters.events_stored, sim.events);
  EXPECT_GT(status.counters.events_duplicate, 0u);  // the re-delivered notification
  EXPECT_EQ(status.counters.messages_deleted, sent - 1);
  EXPECT_EQ(status.counters.messages_unrecognized, 1u);
  EXPECT_EQ(status.counters.messages_ignored, 1u);              // the test event
  EXPECT_EQ(status.counters.objects_skipped, 1u);               // the digest
  EXPECT_EQ(status.counters.objects_fetched, keys.size() + 3);  // first message twice
  EXPECT_EQ(status.state, sources::SourceState::kDegraded);     // the unrecognized message
  EXPECT_GT(status.epm, 0);
  ASSERT_TRUE(status.last_error.has_value());
  EXPECT_NE(status.last_error->message.find("not"), std::string::npos);

  (*source)->Stop();
  EXPECT_EQ((*source)->status().state, sources::SourceState::kStopped);
  // Only the message nobody understands is left (in flight until its visibility ends).
  auto attributes = sqs.GetQueueAttributes(
      *queue, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"});
  ASSERT_TRUE(attributes.ok());
  EXPECT_EQ(std::stoi((*attributes)["ApproximateNumberOfMessages"]) +
                std::stoi((*attributes)["ApproximateNumberOfMessagesNotVisible"]),
            1);
}

}  // namespace
}  // namespace trailhound::testing
