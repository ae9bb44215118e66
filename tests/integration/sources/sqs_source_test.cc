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
#include "notification_bodies.h"
#include "sinks/store_sink.h"
#include "source_test_util.h"
#include "store/store.h"

namespace trailhound::testing {
namespace {

using checks::SnsEnvelope;

namespace fs = std::filesystem;
using namespace std::chrono_literals;

using SqsSource = checks::FauxqsSuite;  // a fauxqs of its own

TEST_F(SqsSource, StoresEveryEventOnceAndDeletesOnlyWhatIsDurable) {
  const std::string bucket = "org-cloudtrail-logs";
  const std::string queue = CreateBucketAndQueue(*s3_, *sqs_, bucket, "cloudtrail-siem", 60);
  ASSERT_FALSE(queue.empty());

  // Simulated log files: each uploaded and announced the way CloudTrail does it.
  constexpr uint64_t kEvents = 3000;
  const LogFiles files = SimulatedLogs(kEvents, 11, /*max_events_per_file=*/300);
  ASSERT_NO_FATAL_FAILURE(PutLogFiles(*s3_, bucket, files));
  const std::vector<std::string>& keys = files.keys;
  size_t sent = 0;
  for (size_t i = 0; i < keys.size(); i += 3) {  // CloudTrail names one or more keys per message
    const std::string body =
        CloudTrailMessage(bucket, {keys.begin() + i, keys.begin() + std::min(keys.size(), i + 3)});
    ASSERT_TRUE(sqs_->SendMessage(queue, SnsEnvelope(body)).ok());
    ++sent;
    if (i == 0) {  // a re-delivery of the first notification: stored once all the same
      ASSERT_TRUE(sqs_->SendMessage(queue, SnsEnvelope(body)).ok());
      ++sent;
    }
  }
  ASSERT_TRUE(
      sqs_->SendMessage(
              queue,
              R"({"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2025-01-01T00:00:00.000Z","Bucket":"org-cloudtrail-logs","RequestId":"r","HostId":"h"})")
          .ok());
  ASSERT_TRUE(
      sqs_->SendMessage(
              queue,
              SnsEnvelope(
                  R"({"s3Bucket":"org-cloudtrail-logs","s3ObjectKey":["AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/01/01/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20250101T000000Z.json.gz"]})"))
          .ok());
  ASSERT_TRUE(sqs_->SendMessage(queue, "this is not a notification").ok());
  sent += 3;

  TestStore store;
  ASSERT_NO_FATAL_FAILURE(store.Open());

  sources::SqsSourceOptions options =
      FastSourceOptions("cloudtrail-main", queue, endpoint(), checks::AnyCredentials());
  options.visibility_timeout_secs = 30;
  options.max_objects_in_flight = 4;
  options.queue_depth_interval_ms = 500;
  auto source =
      sources::SqsSource::Create(options, store.sink(), aws::ProcessCredentialsEnvironment());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  (*source)->Start();

  const auto deadline = std::chrono::steady_clock::now() + 60s;
  sources::SourceStatusSnapshot status;
  while (std::chrono::steady_clock::now() < deadline) {
    status = (*source)->status();
    if (status.counters.messages_deleted + status.counters.messages_unrecognized >= sent &&
        store->stats().events >= kEvents) {
      break;
    }
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(store->stats().events, kEvents);
  EXPECT_EQ(status.counters.events_stored, kEvents);
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
  EXPECT_EQ(MessagesInQueue(*sqs_, queue), 1);
}

TEST_F(SqsSource, ReadsTheQueueDepthAtStart) {
  // The status shows the backlog from the start, not a minute (queue_depth_interval_ms) later.
  const std::string queue = CreateBucketAndQueue(*s3_, *sqs_, "depth-trail-logs", "depth-siem");
  ASSERT_FALSE(queue.empty());
  TestStore store;
  ASSERT_NO_FATAL_FAILURE(store.Open());
  sources::SqsSourceOptions options =
      FastSourceOptions("depth", queue, endpoint(), checks::AnyCredentials());
  ASSERT_EQ(options.queue_depth_interval_ms, 60'000);  // the default
  auto source =
      sources::SqsSource::Create(options, store.sink(), aws::ProcessCredentialsEnvironment());
  ASSERT_TRUE(source.ok()) << source.status().ToString();
  (*source)->Start();
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (!(*source)->status().queue.has_value() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(20ms);
  }
  const sources::SourceStatusSnapshot status = (*source)->status();
  (*source)->Stop();
  ASSERT_TRUE(status.queue.has_value()) << "no queue depth 3 s after start";
  EXPECT_EQ(status.queue->visible, 0);
  EXPECT_EQ(status.queue->in_flight, 0);
}

}  // namespace
}  // namespace trailhound::testing
