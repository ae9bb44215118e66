// The SQS event source against moto with IAM enforcement (testing::Moto), set up the way the
// classic console steps do it: the moto admin creates the bucket, the queue and (for S3 Event
// Notifications) the bucket's notification configuration, and the collector gets its own
// least-privilege IAM user. Each test runs a real SqsSource storing into a real store and
// checks the contracts (every event stored once, a message deleted only when its objects are
// durable, nothing lost when a permission is missing) and that each misconfiguration shows up
// in the source's status with the error code and a hint that names the fix.
// One moto serves the binary (it takes ~2.5 s to start); each test uses its own bucket, queue
// and IAM user.
//
// Where moto 5.2.1 differs from AWS (observed), and what the tests do about it:
// - It authorizes DeleteMessageBatch and ChangeMessageVisibilityBatch as
//   sqs:DeleteMessageBatch and sqs:ChangeMessageVisibilityBatch; AWS authorizes them as
//   sqs:DeleteMessage and sqs:ChangeMessageVisibility. The collector's policy names both.
// - It authorizes a call on a queue it does not know against resource "*", so a policy
//   scoped to queue ARNs gets AccessDenied there, where AWS says the queue does not exist.
// - It miscomputes S3 signatures for keys with '+', '%', '=' or non-ASCII characters;
//   scripts/services/moto-server.py corrects that, so every request here is checked.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../aws/emulator_checks.h"
#include "aws/aws_client.h"
#include "aws/credentials.h"
#include "aws/credentials_environment.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "notification_bodies.h"
#include "source_test_util.h"
#include "sources/sqs_s3/sqs_source.h"
#include "store/store.h"

namespace trailhound::testing {
namespace {

using namespace std::chrono_literals;
using sources::SourceState;
using sources::SourceStatusSnapshot;
using sources::SqsSource;

constexpr char kAccount[] = "123456789012";  // moto's account id

std::string QueueArn(const std::string& queue) {
  return std::string("arn:aws:sqs:us-east-1:") + kAccount + ":" + queue;
}

// The collector's policy of the classic set-up: read and delete on its queue, read the log
// objects of its bucket (s3:GetObject only when `get_object`). `queue_resource` is the
// queue's ARN unless told otherwise. moto authorizes the batch calls by their own names (see
// the top of the file); AWS ignores those two extra actions.
std::string CollectorPolicy(const std::string& bucket, const std::string& queue_resource,
                            bool get_object = true) {
  std::string policy =
      R"({"Version":"2012-10-17","Statement":[)"
      R"({"Effect":"Allow","Action":["sqs:ReceiveMessage","sqs:DeleteMessage",)"
      R"("sqs:ChangeMessageVisibility","sqs:GetQueueAttributes","sqs:DeleteMessageBatch",)"
      R"("sqs:ChangeMessageVisibilityBatch"],"Resource":")" +
      queue_resource + R"("},)";
  if (get_object) {
    policy += R"({"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::)" + bucket +
              R"(/*"},)";
  }
  policy += R"({"Effect":"Allow","Action":["s3:ListBucket","s3:GetBucketLocation"],)"
            R"("Resource":"arn:aws:s3:::)" +
            bucket + R"("}]})";
  return policy;
}

// CloudTrail's SNS notification naming `keys` of `bucket`.
std::string CloudTrailNotification(const std::string& bucket,
                                   const std::vector<std::string>& keys) {
  return checks::SnsEnvelope(CloudTrailMessage(bucket, keys),
                             std::string("arn:aws:sns:us-east-1:") + kAccount + ":ct");
}

// Every test shares one moto (checks::MotoSuite); each gets a store of its own.
class SqsSourceOnMoto : public checks::MotoSuite {
 protected:
  void SetUp() override {
    checks::MotoSuite::SetUp();
    if (HasFatalFailure()) return;
    store_.Open();
  }

  // The admin's bucket and queue (VisibilityTimeout 30 s); the queue's URL.
  static std::string CreateBucketAndQueue(const std::string& bucket, const std::string& queue) {
    aws::S3Client s3 = AdminS3();
    aws::SqsClient sqs = AdminSqs();
    return testing::CreateBucketAndQueue(s3, sqs, bucket, queue);
  }

  // The collector's IAM user "<name>" with `policy`; its keys.
  static aws::Credentials Collector(const std::string& name, const std::string& policy) {
    auto user = moto().CreateUser(name, policy);
    EXPECT_TRUE(user.ok()) << user.status().ToString();
    return user.ok() ? *user : aws::Credentials{};
  }

  // The admin puts `files` (all of them, or those in [first, last)) into `bucket`.
  static void Upload(const std::string& bucket, const LogFiles& files, size_t first = 0) {
    aws::S3Client s3 = AdminS3();
    PutLogFiles(s3, bucket, files, first);
  }

  // The source's options for moto: short long polls, depth read every 500 ms.
  static sources::SqsSourceOptions SourceOptions(const std::string& name,
                                                 const std::string& queue_url,
                                                 const aws::Credentials& credentials) {
    sources::SqsSourceOptions options = FastSourceOptions(name, queue_url, endpoint(), credentials);
    options.region = checks::kRegion;  // moto's queue URLs name no region
    options.visibility_timeout_secs = 30;
    options.max_objects_in_flight = 4;
    options.queue_depth_interval_ms = 500;
    options.drain_timeout_ms = 10'000;
    return options;
  }

  std::unique_ptr<SqsSource> StartSource(const sources::SqsSourceOptions& options) {
    auto source = SqsSource::Create(options, store_.sink(), aws::ProcessCredentialsEnvironment());
    EXPECT_TRUE(source.ok()) << source.status().ToString();
    if (!source.ok()) return nullptr;
    (*source)->Start();
    return std::move(*source);
  }

  // Polls the source's status until `done` holds or `timeout` passed; the last snapshot.
  static SourceStatusSnapshot WaitFor(const SqsSource& source,
                                      const std::function<bool(const SourceStatusSnapshot&)>& done,
                                      std::chrono::seconds timeout = 30s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    SourceStatusSnapshot status = source.status();
    while (!done(status) && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(50ms);
      status = source.status();
    }
    return status;
  }

  // Messages in the queue, visible or in flight, as the admin sees them.
  static int64_t MessagesInQueue(const std::string& queue_url) {
    aws::SqsClient sqs = AdminSqs();
    return testing::MessagesInQueue(sqs, queue_url);
  }

  // The admin points the bucket's S3 Event Notifications (ObjectCreated) at the queue, as
  // `aws s3api put-bucket-notification-configuration` does; S3Client has no such call.
  static Status NotifyQueueOfNewObjects(const std::string& bucket, const std::string& queue_arn) {
    aws::AwsCall call;
    call.operation = "PutBucketNotificationConfiguration";
    call.resource = "s3://" + bucket;
    call.request.method = "PUT";
    call.request.url = endpoint() + "/" + bucket + "?notification=";
    call.request.headers.push_back({"Content-Type", "application/xml"});
    call.request.body =
        R"(<NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
        "<QueueConfiguration><Id>trailhound</Id><Queue>" +
        queue_arn +
        "</Queue><Event>s3:ObjectCreated:*</Event></QueueConfiguration>"
        "</NotificationConfiguration>";
    call.signing.region = checks::kRegion;
    call.signing.service = "s3";
    call.signing.normalize_path = false;
    call.signing.double_encode_path = false;
    call.signing.add_content_sha256_header = true;
    call.errors = aws::ErrorProtocol::kXml;
    return checks::MakeSender(moto().admin())->Send(call).status();
  }

  TestStore store_{"trailhound-sqs-moto"};
};

// Stops the shared moto after the last test, on the main thread.
[[maybe_unused]] ::testing::Environment* const kMotoEnvironment =
    ::testing::AddGlobalTestEnvironment(new checks::MotoEnvironment);

// ---------------------------------------------------------------------------------------------

TEST_F(SqsSourceOnMoto, LeastPrivilegeCollectorStoresEveryEventOnceAndEmptiesTheQueue) {
  const std::string bucket = "happy-trail-logs";
  const std::string queue_url = CreateBucketAndQueue(bucket, "happy-siem");
  ASSERT_FALSE(queue_url.empty());
  const LogFiles files = SimulatedLogs(300, 21);
  ASSERT_GE(files.keys.size(), 4u);
  ASSERT_NO_FATAL_FAILURE(Upload(bucket, files));
  aws::SqsClient sqs = AdminSqs();
  size_t sent = 0;
  for (size_t i = 0; i < files.keys.size(); i += 2) {  // one or two keys per notification
    std::vector<std::string> keys(files.keys.begin() + i,
                                  files.keys.begin() + std::min(i + 2, files.keys.size()));
    ASSERT_TRUE(sqs.SendMessage(queue_url, CloudTrailNotification(bucket, keys)).ok());
    ++sent;
  }
  const aws::Credentials collector =
      Collector("happy-collector", CollectorPolicy(bucket, QueueArn("happy-siem")));

  sources::SqsSourceOptions options = SourceOptions("happy", queue_url, collector);
  // The heartbeat (which also reads the queue depth) ticks every visibility / 6.
  options.visibility_timeout_secs = 6;
  auto source = StartSource(options);
  ASSERT_NE(source, nullptr);
  SourceStatusSnapshot status = WaitFor(*source, [&](const SourceStatusSnapshot& s) {
    return s.counters.messages_deleted >= sent && s.queue.has_value() && s.epm > 0;
  });
  EXPECT_EQ(store_->stats().events, files.total_events);
  EXPECT_EQ(status.counters.events_stored, files.total_events);
  EXPECT_EQ(status.counters.objects_fetched, files.keys.size());
  EXPECT_EQ(status.counters.messages_received, sent);
  EXPECT_EQ(status.counters.messages_deleted, sent);
  EXPECT_EQ(status.counters.messages_left, 0u);
  EXPECT_EQ(status.counters.objects_failed, 0u);
  EXPECT_TRUE(status.counters.errors.empty())
      << "the least-privilege policy was not enough: " << status.counters.errors.begin()->first
      << ": " << status.last_error->message;
  EXPECT_TRUE(status.queue.has_value()) << "GetQueueAttributes never succeeded";
  EXPECT_EQ(status.state, SourceState::kRunning);
  EXPECT_GT(status.epm, 0);
  EXPECT_FALSE(status.last_error.has_value());

  source->Stop();
  EXPECT_EQ(source->status().state, SourceState::kStopped);
  EXPECT_EQ(MessagesInQueue(queue_url), 0);
}

TEST_F(SqsSourceOnMoto, StoresObjectsAnnouncedByRealS3EventNotifications) {
  const std::string bucket = "notified-trail-logs";
  const std::string queue = "notified-siem";
  const std::string queue_url = CreateBucketAndQueue(bucket, queue);
  ASSERT_FALSE(queue_url.empty());
  // moto sends an s3:TestEvent to the queue at once, then an ObjectCreated:Put per upload
  // with the key URL-encoded the S3 way ('+' for a space, '/' as %2F, '+' as %2B).
  Status notified = NotifyQueueOfNewObjects(bucket, QueueArn(queue));
  ASSERT_TRUE(notified.ok()) << notified.ToString();

  LogFiles files = SimulatedLogs(240, 22);
  ASSERT_GE(files.keys.size(), 3u);
  // Keys a person renaming files could produce: the layout stays CloudTrail's.
  const size_t spaced = 0, awkward = 1;
  files.keys[spaced].replace(files.keys[spaced].find(".json.gz"), 8, " copy 2.json.gz");
  files.keys[awkward].replace(files.keys[awkward].find(".json.gz"), 8, " a+b=c ü.json.gz");
  const aws::Credentials collector =
      Collector("notified-collector", CollectorPolicy(bucket, QueueArn(queue)));

  ASSERT_NO_FATAL_FAILURE(Upload(bucket, files));
  auto source = StartSource(SourceOptions("notified", queue_url, collector));
  ASSERT_NE(source, nullptr);
  SourceStatusSnapshot status = WaitFor(*source, [&](const SourceStatusSnapshot& s) {
    return s.counters.messages_deleted >= files.keys.size() + 1 &&
           s.counters.events_stored >= files.total_events;
  });
  EXPECT_EQ(store_->stats().events, files.total_events);
  EXPECT_EQ(status.counters.events_stored, files.total_events);
  EXPECT_EQ(status.counters.objects_fetched, files.keys.size());
  EXPECT_EQ(status.counters.objects_skipped, 0u);
  EXPECT_EQ(status.counters.messages_received, files.keys.size() + 1);
  EXPECT_EQ(status.counters.messages_deleted, files.keys.size() + 1);
  EXPECT_EQ(status.counters.messages_ignored, 1u);
  EXPECT_EQ(status.counters.messages_unrecognized, 0u);
  EXPECT_TRUE(status.counters.errors.empty()) << status.last_error->message;
  EXPECT_EQ(status.state, SourceState::kRunning);

  source->Stop();
  EXPECT_EQ(MessagesInQueue(queue_url), 0);
}

// ---------------------------------------------------------------------------------------------
// Misconfigurations

TEST_F(SqsSourceOnMoto, WithoutGetObjectTheHintNamesItAndNothingIsLostOnceItIsGranted) {
  const std::string bucket = "denied-trail-logs";
  const std::string queue = "denied-siem";
  const std::string queue_url = CreateBucketAndQueue(bucket, queue);
  ASSERT_FALSE(queue_url.empty());
  const LogFiles files = SimulatedLogs(150, 23);
  ASSERT_GE(files.keys.size(), 2u);
  ASSERT_NO_FATAL_FAILURE(Upload(bucket, files));
  aws::SqsClient sqs = AdminSqs();
  for (const std::string& key : files.keys) {
    ASSERT_TRUE(sqs.SendMessage(queue_url, CloudTrailNotification(bucket, {key})).ok());
  }
  const std::string user = "denied-collector";
  const aws::Credentials collector =
      Collector(user, CollectorPolicy(bucket, QueueArn(queue), /*get_object=*/false));

  sources::SqsSourceOptions options = SourceOptions("denied", queue_url, collector);
  options.visibility_timeout_secs = 2;  // failed messages come back soon for the next source
  {
    auto source = StartSource(options);
    ASSERT_NE(source, nullptr);
    SourceStatusSnapshot status = WaitFor(*source, [&](const SourceStatusSnapshot& s) {
      return s.counters.messages_left >= files.keys.size();
    });
    EXPECT_EQ(status.state, SourceState::kDegraded);
    EXPECT_GE(status.counters.errors["AccessDenied"], files.keys.size());
    EXPECT_GE(status.counters.objects_failed, files.keys.size());
    EXPECT_EQ(status.counters.messages_deleted, 0u);
    EXPECT_EQ(status.counters.events_stored, 0u);
    ASSERT_TRUE(status.last_error.has_value());
    EXPECT_NE(status.last_error->message.find("AccessDenied"), std::string::npos)
        << status.last_error->message;
    EXPECT_NE(status.last_error->message.find("s3://" + bucket + "/"), std::string::npos)
        << status.last_error->message;
    const std::string& hint = status.last_error->hint;
    EXPECT_NE(hint.find("s3:GetObject"), std::string::npos) << hint;
    EXPECT_NE(hint.find("arn:aws:s3:::" + bucket + "/*"), std::string::npos) << hint;
    EXPECT_NE(hint.find("bucket policy"), std::string::npos) << hint;
    EXPECT_NE(hint.find("kms:Decrypt"), std::string::npos) << hint;
    source->Stop();
  }
  EXPECT_EQ(store_->stats().events, 0u);
  EXPECT_EQ(MessagesInQueue(queue_url), static_cast<int>(files.keys.size()))
      << "a message whose object could not be read was deleted";

  // The operator adds s3:GetObject: a new source stores everything, once.
  ASSERT_TRUE(moto().PutUserPolicy(user, CollectorPolicy(bucket, QueueArn(queue))).ok());
  options.visibility_timeout_secs = 30;
  auto source = StartSource(options);
  ASSERT_NE(source, nullptr);
  SourceStatusSnapshot status = WaitFor(*source, [&](const SourceStatusSnapshot& s) {
    return s.counters.messages_deleted >= files.keys.size();
  });
  EXPECT_EQ(status.counters.messages_deleted, files.keys.size());
  EXPECT_EQ(status.counters.events_stored, files.total_events);
  EXPECT_EQ(store_->stats().events, files.total_events);
  EXPECT_TRUE(status.counters.errors.empty()) << status.last_error->message;
  EXPECT_EQ(status.state, SourceState::kRunning);
  source->Stop();
  EXPECT_EQ(MessagesInQueue(queue_url), 0);
}

TEST_F(SqsSourceOnMoto, AWrongSecretIsAnErrorWhoseHintNamesTheSecretAccessKey) {
  const std::string queue_url = CreateBucketAndQueue("secret-trail-logs", "secret-siem");
  ASSERT_FALSE(queue_url.empty());
  ASSERT_TRUE(AdminSqs().SendMessage(queue_url, "stays").ok());
  aws::Credentials wrong =
      Collector("secret-collector", CollectorPolicy("secret-trail-logs", QueueArn("secret-siem")));
  ASSERT_FALSE(wrong.access_key_id.empty());
  wrong.secret_access_key = Secret("not-the-secret-access-key-of-this-key");

  auto source = StartSource(SourceOptions("secret", queue_url, wrong));
  ASSERT_NE(source, nullptr);
  SourceStatusSnapshot status = WaitFor(
      *source, [](const SourceStatusSnapshot& s) { return s.state == SourceState::kError; });
  EXPECT_EQ(status.state, SourceState::kError);
  EXPECT_GE(status.counters.errors["SignatureDoesNotMatch"], 1u);
  EXPECT_EQ(status.counters.messages_received, 0u);
  ASSERT_TRUE(status.last_error.has_value());
  EXPECT_NE(status.last_error->message.find("SignatureDoesNotMatch"), std::string::npos)
      << status.last_error->message;
  const std::string& hint = status.last_error->hint;
  EXPECT_NE(hint.find("secret access key does not match"), std::string::npos) << hint;
  EXPECT_NE(hint.find("credentials.secret_access_key"), std::string::npos) << hint;
  EXPECT_NE(hint.find(aws::MaskAccessKeyId(wrong.access_key_id)), std::string::npos) << hint;
  EXPECT_EQ(hint.find(wrong.access_key_id), std::string::npos) << "the key id is not masked";
  source->Stop();
  EXPECT_EQ(MessagesInQueue(queue_url), 1);
}

TEST_F(SqsSourceOnMoto, AnUnknownAccessKeyIsAnErrorWhoseHintNamesTheKey) {
  const std::string queue_url = CreateBucketAndQueue("unknown-trail-logs", "unknown-siem");
  ASSERT_FALSE(queue_url.empty());
  aws::Credentials unknown;
  unknown.access_key_id = "AKIAUNKNOWNKEY123456";
  unknown.secret_access_key = Secret("whatever-secret");

  auto source = StartSource(SourceOptions("unknown", queue_url, unknown));
  ASSERT_NE(source, nullptr);
  SourceStatusSnapshot status = WaitFor(
      *source, [](const SourceStatusSnapshot& s) { return s.state == SourceState::kError; });
  EXPECT_EQ(status.state, SourceState::kError);
  // SQS calls an unknown key InvalidClientTokenId (S3 says InvalidAccessKeyId).
  EXPECT_GE(
      status.counters.errors["InvalidClientTokenId"] + status.counters.errors["InvalidAccessKeyId"],
      1u);
  ASSERT_TRUE(status.last_error.has_value());
  const std::string& hint = status.last_error->hint;
  EXPECT_NE(hint.find("access key id " + aws::MaskAccessKeyId(unknown.access_key_id)),
            std::string::npos)
      << hint;
  EXPECT_NE(hint.find("does not exist"), std::string::npos) << hint;
  EXPECT_NE(hint.find("credentials.access_key_id"), std::string::npos) << hint;
  source->Stop();
}

TEST_F(SqsSourceOnMoto, AQueueThatDoesNotExistIsAnErrorWhoseHintNamesTheQueue) {
  const std::string bucket = "missing-queue-trail-logs";
  ASSERT_FALSE(CreateBucketAndQueue(bucket, "missing-siem").empty());
  const std::string typo_url = endpoint() + "/" + kAccount + "/missing-siem-typo";

  // A collector whose policy allows every queue gets moto's (and AWS's) answer: no such queue.
  const aws::Credentials any_queue = Collector("any-queue-collector", CollectorPolicy(bucket, "*"));
  {
    auto source = StartSource(SourceOptions("missing", typo_url, any_queue));
    ASSERT_NE(source, nullptr);
    SourceStatusSnapshot status = WaitFor(
        *source, [](const SourceStatusSnapshot& s) { return s.state == SourceState::kError; });
    EXPECT_EQ(status.state, SourceState::kError);
    EXPECT_GE(status.counters.errors["QueueDoesNotExist"] +
                  status.counters.errors["AWS.SimpleQueueService.NonExistentQueue"],
              1u)
        << (status.last_error ? status.last_error->message : "no error");
    ASSERT_TRUE(status.last_error.has_value());
    const std::string& hint = status.last_error->hint;
    EXPECT_NE(hint.find("The queue " + typo_url + " does not exist"), std::string::npos) << hint;
    EXPECT_NE(hint.find("queue_url"), std::string::npos) << hint;
  }

  // A least-privilege collector is denied instead (moto authorizes calls on an unknown queue
  // against "*"; on AWS a queue URL naming another account can be denied too): the
  // hint names the permission on that queue and asks to check that the queue exists.
  const aws::Credentials scoped =
      Collector("scoped-queue-collector", CollectorPolicy(bucket, QueueArn("missing-siem")));
  auto source = StartSource(SourceOptions("missing-scoped", typo_url, scoped));
  ASSERT_NE(source, nullptr);
  SourceStatusSnapshot status = WaitFor(
      *source, [](const SourceStatusSnapshot& s) { return s.state == SourceState::kError; });
  EXPECT_EQ(status.state, SourceState::kError);
  EXPECT_GE(status.counters.errors["AccessDenied"], 1u);
  ASSERT_TRUE(status.last_error.has_value());
  const std::string& hint = status.last_error->hint;
  EXPECT_NE(hint.find("sqs:ReceiveMessage on " + QueueArn("missing-siem-typo")), std::string::npos)
      << hint;
  EXPECT_NE(hint.find("check that queue_url " + typo_url + " names an existing queue"),
            std::string::npos)
      << hint;
}

TEST_F(SqsSourceOnMoto, ANotificationOfAMissingObjectIsLeftWithAHintAndTheRestIsStored) {
  const std::string bucket = "gone-trail-logs";
  const std::string queue = "gone-siem";
  const std::string queue_url = CreateBucketAndQueue(bucket, queue);
  ASSERT_FALSE(queue_url.empty());
  const LogFiles files = SimulatedLogs(100, 24);
  ASSERT_GE(files.keys.size(), 2u);
  ASSERT_NO_FATAL_FAILURE(Upload(bucket, files, 1));  // the first file never arrives
  aws::SqsClient sqs = AdminSqs();
  for (const std::string& key : files.keys) {
    ASSERT_TRUE(sqs.SendMessage(queue_url, CloudTrailNotification(bucket, {key})).ok());
  }
  const aws::Credentials collector =
      Collector("gone-collector", CollectorPolicy(bucket, QueueArn(queue)));

  auto source = StartSource(SourceOptions("gone", queue_url, collector));
  ASSERT_NE(source, nullptr);
  SourceStatusSnapshot status = WaitFor(*source, [&](const SourceStatusSnapshot& s) {
    return s.counters.messages_deleted + s.counters.messages_left >= files.keys.size();
  });
  EXPECT_EQ(status.state, SourceState::kDegraded);
  EXPECT_EQ(status.counters.errors["NoSuchKey"], 1u);
  EXPECT_EQ(status.counters.objects_failed, 1u);
  EXPECT_EQ(status.counters.messages_left, 1u);
  EXPECT_EQ(status.counters.messages_deleted, files.keys.size() - 1);
  EXPECT_EQ(status.counters.events_stored, files.total_events - files.events[0]);
  EXPECT_EQ(store_->stats().events, files.total_events - files.events[0]);
  ASSERT_TRUE(status.last_error.has_value());
  const std::string object = "s3://" + bucket + "/" + files.keys[0];
  EXPECT_NE(status.last_error->message.find(object), std::string::npos)
      << status.last_error->message;
  const std::string& hint = status.last_error->hint;
  EXPECT_NE(hint.find(object + " is gone"), std::string::npos) << hint;
  EXPECT_NE(hint.find("lifecycle rule"), std::string::npos) << hint;
  EXPECT_NE(hint.find("DLQ"), std::string::npos) << hint;
  source->Stop();
  EXPECT_EQ(MessagesInQueue(queue_url), 1) << "the message of the missing object was deleted";
}

}  // namespace
}  // namespace trailhound::testing
