// The SQS source at volume on fauxqs with every notification shape mixed in one queue: more
// than 10,000 events in more than 100 log files, some keys with spaces and '+', announced as
// CloudTrail's SNS message (enveloped and raw), S3 event notifications (direct and through
// SNS, keys URL-encoded the way S3 does: ' ' as '+', '+' as %2B), EventBridge "Object
// Created" (keys as they are), plus an s3:TestEvent and a body nobody understands. Every
// event is stored exactly once (count and distinct eventIDs); the unknown body is the only
// message left, and it is reported with its message id.
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "../aws/emulator_checks.h"
#include "aws/credentials_environment.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "notification_bodies.h"
#include "query/parser.h"
#include "sinks/store_sink.h"
#include "source_test_util.h"
#include "sources/sqs_s3/sqs_source.h"
#include "store/search.h"
#include "store/store.h"

namespace trailhound::testing {
namespace {

using namespace std::chrono_literals;

using SqsSourceShapes = checks::FauxqsSuite;  // a fauxqs of its own

TEST_F(SqsSourceShapes, TenThousandEventsInEveryShapeAreStoredExactlyOnce) {
  const std::string bucket = "shapes-trail-logs";
  const std::string queue = CreateBucketAndQueue(*s3_, *sqs_, bucket, "shapes-siem", 60);
  ASSERT_FALSE(queue.empty());

  constexpr uint64_t kEvents = 12'000;
  LogFiles files = SimulatedLogs(kEvents, 4242);
  // Every fifth file gets a name with a space and a '+' before ".json.gz".
  for (size_t i = 0; i < files.keys.size(); i += 5) {
    files.keys[i].insert(files.keys[i].size() - 8, " copy+" + std::to_string(i));
  }
  ASSERT_NO_FATAL_FAILURE(PutLogFiles(*s3_, bucket, files));
  const std::vector<std::string>& keys = files.keys;
  ASSERT_GE(keys.size(), 100u);

  // The shapes take turns; a message names one to three keys.
  size_t sent = 0;
  for (size_t i = 0, shape = 0; i < keys.size(); ++shape) {
    const size_t n = std::min<size_t>(keys.size() - i, shape % 3 + 1);
    std::vector<std::string> group(keys.begin() + i, keys.begin() + i + n);
    std::vector<std::string> bodies;
    switch (shape % 5) {
      case 0:
        bodies = {checks::SnsEnvelope(CloudTrailMessage(bucket, group))};
        break;
      case 1:
        bodies = {CloudTrailMessage(bucket, group)};  // raw message delivery
        break;
      case 2:
        bodies = {S3Event(bucket, group)};
        break;
      case 3:
        bodies = {checks::SnsEnvelope(S3Event(bucket, group))};
        break;
      default:
        for (const std::string& key : group) bodies.push_back(EventBridge(bucket, key));
        break;
    }
    for (const std::string& body : bodies) {
      ASSERT_TRUE(sqs_->SendMessage(queue, body).ok());
      ++sent;
    }
    i += n;
  }
  ASSERT_TRUE(sqs_->SendMessage(queue, R"({"Service":"Amazon S3","Event":"s3:TestEvent","Time":)"
                                       R"("2025-01-01T00:00:00.000Z","Bucket":"shapes-trail-logs",)"
                                       R"("RequestId":"r","HostId":"h"})")
                  .ok());
  auto unknown = sqs_->SendMessage(queue, R"({"hello":"this is not a notification"})");
  ASSERT_TRUE(unknown.ok());
  sent += 2;

  TestStore store("trailhound-shapes");
  ASSERT_NO_FATAL_FAILURE(store.Open());
  sources::SqsSourceOptions options =
      FastSourceOptions("cloudtrail-main", queue, endpoint(), checks::AnyCredentials());
  options.visibility_timeout_secs = 30;
  auto source =
      sources::SqsSource::Create(options, store.sink(), aws::ProcessCredentialsEnvironment());
  ASSERT_TRUE(source.ok());
  (*source)->Start();
  const auto deadline = std::chrono::steady_clock::now() + 120s;
  sources::SourceStatusSnapshot status;
  while (std::chrono::steady_clock::now() < deadline) {
    status = (*source)->status();
    if (status.counters.messages_deleted + status.counters.messages_unrecognized >= sent) break;
    std::this_thread::sleep_for(50ms);
  }
  (*source)->Stop();
  status = (*source)->status();

  EXPECT_EQ(status.counters.objects_failed, 0u)
      << (status.last_error ? status.last_error->message : "");
  EXPECT_EQ(status.counters.objects_fetched, keys.size());
  EXPECT_EQ(status.counters.events_stored, kEvents);
  EXPECT_EQ(status.counters.events_duplicate, 0u);
  EXPECT_EQ(status.counters.messages_deleted, sent - 1);
  EXPECT_EQ(status.counters.messages_ignored, 1u);  // the TestEvent
  EXPECT_EQ(status.counters.messages_unrecognized, 1u);
  ASSERT_TRUE(status.last_error.has_value());
  EXPECT_NE(status.last_error->message.find(*unknown), std::string::npos)
      << "the report names the message id: " << status.last_error->message;
  EXPECT_EQ(MessagesInQueue(*sqs_, queue), 1);

  EXPECT_EQ(store->stats().events, kEvents);
  auto query = query::ParseQuery("| stats count() as n, count_distinct(eventID) as ids");
  ASSERT_TRUE(query.ok());
  auto result = store::Search(store.store(), *query, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->rows[0][0], query::Value{static_cast<int64_t>(kEvents)});
  EXPECT_EQ(result->rows[0][1], query::Value{static_cast<int64_t>(kEvents)});
}

}  // namespace
}  // namespace trailhound::testing
