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
#include "core/temp_dir.h"
#include "query/parser.h"
#include "sinks/store_sink.h"
#include "sources/simulate/cloudtrail_simulator.h"
#include "sources/sqs_s3/sqs_source.h"
#include "store/search.h"
#include "store/store.h"
#include "testing/fauxqs.h"

namespace trailhound::testing {
namespace {

using checks::AnyCredentials;

using namespace std::chrono_literals;

std::string Escape(const std::string& text) {
  std::string escaped;
  for (char c : text) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return escaped;
}

// How S3 event notifications write a key: URL-encoded, a space as '+'.
std::string S3EventKey(const std::string& key) {
  std::string out;
  for (unsigned char c : key) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '/' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      static constexpr char kHex[] = "0123456789ABCDEF";
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string S3Event(const std::string& bucket, const std::vector<std::string>& keys) {
  std::string records;
  for (const std::string& key : keys) {
    if (!records.empty()) records += ",";
    records += R"({"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",)"
               R"("eventTime":"2025-01-01T00:00:00.000Z","eventName":"ObjectCreated:Put",)"
               R"("s3":{"s3SchemaVersion":"1.0","bucket":{"name":")" +
               bucket + R"(","arn":"arn:aws:s3:::)" + bucket + R"("},"object":{"key":")" +
               Escape(S3EventKey(key)) + R"(","size":100}}})";
  }
  return R"({"Records":[)" + records + "]}";
}

std::string EventBridge(const std::string& bucket, const std::string& key) {
  return R"({"version":"0","id":"e","detail-type":"Object Created","source":"aws.s3",)"
         R"("account":"111122223333","time":"2025-01-01T00:00:00Z","region":"us-east-1",)"
         R"("resources":["arn:aws:s3:::)" +
         bucket + R"("],"detail":{"version":"0","bucket":{"name":")" + bucket +
         R"("},"object":{"key":")" + Escape(key) +
         R"(","size":100},"request-id":"r","requester":"1","reason":"PutObject"}})";
}

std::string CloudTrailMessage(const std::string& bucket, const std::vector<std::string>& keys) {
  std::string list;
  for (const std::string& key : keys) list += (list.empty() ? "\"" : ",\"") + Escape(key) + "\"";
  return R"({"s3Bucket":")" + bucket + R"(","s3ObjectKey":[)" + list + "]}";
}

TEST(SqsSourceShapes, TenThousandEventsInEveryShapeAreStoredExactlyOnce) {
  FauxqsOptions fauxqs_options;
  fauxqs_options.source_dir = TRAILHOUND_SOURCE_DIR;
  auto fauxqs = Fauxqs::Start(fauxqs_options);
  ASSERT_TRUE(fauxqs.ok()) << fauxqs.status().ToString();
  const std::string endpoint = (*fauxqs)->endpoint();
  auto sender = checks::MakeSender(AnyCredentials());
  aws::S3Client s3(sender, checks::S3OptionsFor(endpoint));
  aws::SqsClient sqs(sender, checks::SqsOptionsFor(endpoint));
  const std::string bucket = "shapes-trail-logs";
  ASSERT_TRUE(s3.CreateBucket(bucket).ok());
  auto queue = sqs.CreateQueue("shapes-siem", {{"VisibilityTimeout", "60"}});
  ASSERT_TRUE(queue.ok());

  sources::simulate::SimulatorOptions sim;
  sim.events = 12'000;
  sim.seed = 4242;
  sim.max_events_per_file = 60;
  auto simulator = sources::simulate::CloudTrailSimulator::Create(sim);
  ASSERT_TRUE(simulator.ok());
  std::vector<std::string> keys;
  ASSERT_TRUE(simulator
                  ->ForEachFile([&](sources::simulate::SimulatedFile& file) -> Status {
                    std::string key = file.key;
                    // Every fifth file gets a name with a space and a '+' before ".json.gz".
                    if (keys.size() % 5 == 0) {
                      key.insert(key.size() - 8, " copy+" + std::to_string(keys.size()));
                    }
                    keys.push_back(key);
                    return s3.PutObject(bucket, key, std::move(file.body)).status();
                  })
                  .ok());
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
      ASSERT_TRUE(sqs.SendMessage(*queue, body).ok());
      ++sent;
    }
    i += n;
  }
  ASSERT_TRUE(sqs.SendMessage(*queue, R"({"Service":"Amazon S3","Event":"s3:TestEvent","Time":)"
                                      R"("2025-01-01T00:00:00.000Z","Bucket":"shapes-trail-logs",)"
                                      R"("RequestId":"r","HostId":"h"})")
                  .ok());
  auto unknown = sqs.SendMessage(*queue, R"({"hello":"this is not a notification"})");
  ASSERT_TRUE(unknown.ok());
  sent += 2;

  TempDir dir("trailhound-shapes");
  store::StoreOptions store_options;
  store_options.data_dir = dir.path();
  auto store = store::Store::Open(store_options);
  ASSERT_TRUE(store.ok());
  sinks::StoreSink sink(store->get());
  sources::SqsSourceOptions options;
  options.name = "cloudtrail-main";
  options.queue_url = *queue;
  options.endpoint_url = endpoint;
  options.credentials.access_key_id = "AKIAFAUXQSTESTKEY000";
  options.credentials.secret_access_key = Secret("fauxqs-accepts-any-secret");
  options.wait_time_secs = 1;
  options.visibility_timeout_secs = 30;
  auto source = sources::SqsSource::Create(options, &sink, aws::ProcessCredentialsEnvironment());
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
  EXPECT_EQ(status.counters.events_stored, sim.events);
  EXPECT_EQ(status.counters.events_duplicate, 0u);
  EXPECT_EQ(status.counters.messages_deleted, sent - 1);
  EXPECT_EQ(status.counters.messages_ignored, 1u);  // the TestEvent
  EXPECT_EQ(status.counters.messages_unrecognized, 1u);
  ASSERT_TRUE(status.last_error.has_value());
  EXPECT_NE(status.last_error->message.find(*unknown), std::string::npos)
      << "the report names the message id: " << status.last_error->message;
  auto left = sqs.GetQueueAttributes(
      *queue, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ(std::stoi((*left)["ApproximateNumberOfMessages"]) +
                std::stoi((*left)["ApproximateNumberOfMessagesNotVisible"]),
            1);

  EXPECT_EQ((*store)->stats().events, sim.events);
  auto query = query::ParseQuery("| stats count() as n, count_distinct(eventID) as ids");
  ASSERT_TRUE(query.ok());
  auto result = store::Search(**store, *query, {});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->rows[0][0], query::Value{static_cast<int64_t>(sim.events)});
  EXPECT_EQ(result->rows[0][1], query::Value{static_cast<int64_t>(sim.events)});
}

}  // namespace
}  // namespace trailhound::testing
