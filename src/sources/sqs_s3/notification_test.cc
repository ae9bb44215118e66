#include "sources/sqs_s3/notification.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace trailhound::sources {
namespace {

namespace fs = std::filesystem;
using Kind = Notification::Kind;
using ::testing::HasSubstr;

const fs::path kCorpus = fs::path(TRAILHOUND_SHARED_DIR) / "corpora" / "sqs-messages";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// What one corpus body must decode to: a kind and its objects, or an error code.
struct Expectation {
  bool ok = true;
  Kind kind = Kind::kObjects;
  std::vector<ObjectRef> objects;
  StatusCode error = StatusCode::kOk;
  std::string subscribe_url_prefix;
};

Expectation Objects(std::vector<ObjectRef> objects) {
  Expectation e;
  e.objects = std::move(objects);
  return e;
}
Expectation Is(Kind kind) {
  Expectation e;
  e.kind = kind;
  return e;
}
Expectation Error(StatusCode code) {
  Expectation e;
  e.ok = false;
  e.error = code;
  return e;
}

ObjectRef Ref(std::string bucket, std::string key) {
  return ObjectRef{std::move(bucket), std::move(key), {}, {}, {}};
}
ObjectRef Ref(std::string bucket, std::string key, uint64_t size, std::string region,
              std::string time) {
  return ObjectRef{std::move(bucket), std::move(key), size, std::move(region), std::move(time)};
}

const ObjectRef kPowertoolsS3 =
    Ref("lambda-artifacts-deafc19498e3f2df", "b21b84d653bb07b05b1e6b33684dc11b", 1305107,
        "us-east-2", "2019-09-03T19:37:27.192Z");
const ObjectRef kRealS3 = Ref("xxx", "test.pdf", 104681, "us-east-1", "2023-04-12T20:43:38.021Z");

// Every body in the corpus, by path relative to the corpus; Lambda envelopes contribute the
// file itself and each Records[i].body as "<file>#<i>".
std::map<std::string, Expectation> Expectations() {
  const std::string ct = "AWSLogs/123456789012/CloudTrail/us-east-2/";
  const StatusCode kBad = StatusCode::kInvalidArgument;
  const StatusCode kNotJson = StatusCode::kCorruption;
  Expectation subscription = Is(Kind::kSubscriptionConfirmation);
  subscription.subscribe_url_prefix =
      "https://sns.us-west-2.amazonaws.com/?Action=ConfirmSubscription&TopicArn=";
  return {
      {"cloudtrail-sns/sns-message-cloudtrail-multiple-logfiles.docs.json",
       Objects(
           {Ref("your-bucket-name",
                ct + "2016/08/11/"
                     "123456789012_CloudTrail_us-east-2_20160811T2215Z_kpaMYavMQA9Ahp7L.json.gz"),
            Ref("your-bucket-name",
                ct + "2016/08/11/"
                     "123456789012_CloudTrail_us-east-2_20160811T2210Z_zqDkyQv3TK8ZdLr0.json.gz"),
            Ref("your-bucket-name",
                ct +
                    "2016/08/11/"
                    "123456789012_CloudTrail_us-east-2_20160811T2205Z_jaMVRa6JfdLCJYHP.json.gz")})},
      {"cloudtrail-sns/sns-message-cloudtrail-single-logfile.docs.json",
       Objects({Ref(
           "your-bucket-name",
           ct + "2013/12/13/"
                "123456789012_CloudTrail_us-west-2_20131213T1920Z_LnPgDQnpkSKEsppV.json.gz")})},
      {"cloudtrail-sns/sqs-body-cloudtrail-sns-notification-WRONG-FORMAT.json", Error(kBad)},
      // The key is listed twice; it collapses to one.
      {"cloudtrail-sns/sqs-body-cloudtrail-sns-notification.json",
       Objects({Ref("my-test-bucket",
                    "myprefix/AWSLogs/123456789012/CloudTrail/us-east-1/2014/03/09/"
                    "123456789012_CloudTrail_us-east-1_20140309T2015Z_996mpJdKNLd1Yvzl.json.gz")})},
      {"eventbridge/eventbridge-aws-service-event-via-cloudtrail-s3-batch-jobcreated.docs.json",
       Error(kBad)},
      {"eventbridge/eventbridge-aws-service-event-via-cloudtrail-s3-batch-jobstatuschanged.docs."
       "json",
       Error(kBad)},
      {"eventbridge/eventbridge-s3-object-created.docs.json",
       Objects(
           {Ref("DOC-EXAMPLE-BUCKET1", "example-key", 5, "ca-central-1", "2021-11-12T00:00:00Z")})},
      {"eventbridge/eventbridge-s3-object-deleted-lifecycle.docs.json", Is(Kind::kIgnored)},
      {"eventbridge/eventbridge-s3-object-deleted.docs.json", Is(Kind::kIgnored)},
      {"eventbridge/eventbridge-s3-object-restore-completed.docs.json", Is(Kind::kIgnored)},
      {"eventbridge/powertools-s3EventBridgeNotificationObjectCreatedEvent.json",
       Objects(
           {Ref("example-bucket", "IMG_m7fzo3.jpg", 184662, "eu-west-1", "2023-03-08T17:50:14Z")})},
      {"eventbridge/powertools-s3EventBridgeNotificationObjectDeletedEvent.json",
       Is(Kind::kIgnored)},
      {"eventbridge/powertools-s3EventBridgeNotificationObjectExpiredEvent.json",
       Is(Kind::kIgnored)},
      {"eventbridge/powertools-s3EventBridgeNotificationObjectRestoreCompletedEvent.json",
       Is(Kind::kIgnored)},
      // Lambda envelopes are not SQS bodies (Records[].eventSource is aws:sqs).
      {"lambda-sqs-events/s3SqsEvent.json", Error(kBad)},
      {"lambda-sqs-events/s3SqsEvent.json#0", Objects({kRealS3})},
      {"lambda-sqs-events/snsSqsEvent.json", Error(kBad)},
      {"lambda-sqs-events/snsSqsEvent.json#0", Error(kBad)},  // Message {"message": ...}
      {"lambda-sqs-events/snsSqsFifoEvent.json", Error(kBad)},
      {"lambda-sqs-events/snsSqsFifoEvent.json#0", Error(kBad)},
      {"lambda-sqs-events/sqsDlqTriggerEvent.json", Error(kBad)},
      {"lambda-sqs-events/sqsDlqTriggerEvent.json#0", Error(kNotJson)},  // "hello world"
      {"lambda-sqs-events/sqsEvent.json", Error(kBad)},
      {"lambda-sqs-events/sqsEvent.json#0", Error(kNotJson)},  // "Test message."
      {"lambda-sqs-events/sqsEvent.json#1", Error(kBad)},      // {"message": "foo1"}
      {"s3-event-notification/powertools-s3Event.json", Objects({kPowertoolsS3})},
      {"s3-event-notification/powertools-s3EventDecodedKey.json",
       Objects(
           {Ref("sourcebucket", "Happy Face.jpg", 1024, "us-east-1", "1970-01-01T00:00:00.123Z")})},
      {"s3-event-notification/powertools-s3EventDeleteObject.json", Is(Kind::kIgnored)},
      {"s3-event-notification/powertools-s3EventGlacier.json", Objects({kPowertoolsS3})},
      // S3 Object Lambda events, not notifications.
      {"s3-event-notification/powertools-s3ObjectEventIAMUser.json", Error(kBad)},
      {"s3-event-notification/powertools-s3ObjectEventTempCredentials.json", Error(kBad)},
      {"s3-event-notification/s3-TestEvent.docs.json", Is(Kind::kTestEvent)},
      {"s3-event-notification/s3-event-structure-v2.2-TEMPLATE-placeholders.docs.json",
       Error(kBad)},
      {"s3-event-notification/s3-intelligent-tiering-v2.3.docs.json", Is(Kind::kIgnored)},
      {"s3-event-notification/s3-lifecycle-expiration-delete-v2.3.docs.json", Is(Kind::kIgnored)},
      {"s3-event-notification/s3-objectcreated-put-v2.1.docs.json",
       Objects({Ref("mybucket", "HappyFace.jpg", 1024, "us-west-2", "1970-01-01T00:00:00.000Z")})},
      {"s3-event-notification/sqs-body-s3-objectcreated-put-real.json", Objects({kRealS3})},
      {"sns-envelope/sns-notification-http-format.docs.json", Error(kBad)},  // "Hello world!"
      {"sns-envelope/sns-subscription-confirmation-http-format.docs.json", subscription},
      {"sns-envelope/sqs-body-sns-fifo-notification-real.json", Error(kBad)},
      {"sns-envelope/sqs-body-sns-notification-real.json", Error(kBad)},
  };
}

const std::set<std::string> kNotBodies = {"README.md", "SOURCE.md", "LICENSE.powertools-MIT-0"};

// Every body of the corpus by the names used in Expectations().
std::map<std::string, std::string> CorpusBodies() {
  std::map<std::string, std::string> bodies;
  for (const auto& entry : fs::recursive_directory_iterator(kCorpus)) {
    if (!entry.is_regular_file()) continue;
    std::string name = fs::relative(entry.path(), kCorpus).generic_string();
    if (kNotBodies.contains(name)) continue;
    bodies[name] = ReadFile(entry.path());
    if (!name.starts_with("lambda-sqs-events/")) continue;
    simdjson::dom::parser parser;
    simdjson::dom::array records;
    EXPECT_EQ(parser.parse(bodies[name])["Records"].get_array().get(records), simdjson::SUCCESS)
        << name;
    size_t i = 0;
    for (auto record : records) {
      std::string_view body;
      EXPECT_EQ(record["body"].get_string().get(body), simdjson::SUCCESS) << name;
      bodies[name + "#" + std::to_string(i++)] = std::string(body);
    }
  }
  return bodies;
}

TEST(Notification, EveryCorpusBodyDecodesAsExpected) {
  auto expectations = Expectations();
  auto bodies = CorpusBodies();
  ASSERT_FALSE(bodies.empty()) << "no corpus at " << kCorpus;
  for (const auto& [name, body] : bodies) {
    EXPECT_TRUE(expectations.contains(name)) << "corpus file without expectation: " << name;
  }
  for (const auto& [name, want] : expectations) {
    SCOPED_TRACE(name);
    auto it = bodies.find(name);
    ASSERT_NE(it, bodies.end()) << "expected corpus file is missing";
    auto got = DecodeNotification(it->second, "msg-1");
    if (!want.ok) {
      ASSERT_FALSE(got.ok()) << NotificationKindName(got->kind) << " " << got->detail;
      EXPECT_EQ(got.status().code(), want.error) << got.status().ToString();
      EXPECT_THAT(got.status().message(), HasSubstr("message 'msg-1' "));
      continue;
    }
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->kind, want.kind) << NotificationKindName(got->kind);
    EXPECT_EQ(got->objects, want.objects);
    EXPECT_FALSE(got->detail.empty());
    if (want.subscribe_url_prefix.empty()) {
      EXPECT_EQ(got->subscribe_url, "");
    } else {
      EXPECT_THAT(got->subscribe_url, ::testing::StartsWith(want.subscribe_url_prefix));
    }
  }
}

TEST(Notification, UnknownFormatErrorNamesMessageAndWhatWasSeen) {
  auto got = DecodeNotification(
      ReadFile(kCorpus / "cloudtrail-sns/sqs-body-cloudtrail-sns-notification-WRONG-FORMAT.json"),
      "abc");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(got.status().message(), HasSubstr("message 'abc' is not a known notification"));
  EXPECT_THAT(got.status().message(), HasSubstr("'Messagess'"));
}

TEST(DecodeS3EventKey, PlusIsSpaceThenPercentEscapes) {
  EXPECT_EQ(DecodeS3EventKey("a+b%2Bc%20d").value_or(""), "a b+c d");
  EXPECT_EQ(DecodeS3EventKey("AWSLogs%2F1%2f2").value_or(""), "AWSLogs/1/2");
  EXPECT_EQ(DecodeS3EventKey("caf%C3%A9").value_or(""), "caf\xC3\xA9");
  EXPECT_EQ(DecodeS3EventKey("%25zz").value_or(""), "%zz");
  EXPECT_EQ(DecodeS3EventKey("").value_or("x"), "");
}

TEST(DecodeS3EventKey, MalformedEscapeOrInvalidUtf8IsAnError) {
  for (std::string_view bad : {"%zz", "a%", "a%2", "%g0", "%FF", "%C3"}) {
    auto got = DecodeS3EventKey(bad);
    ASSERT_FALSE(got.ok()) << bad;
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument);
  }
}

std::string S3Record(std::string_view event_name, std::string_view bucket, std::string_view key) {
  return R"({"eventSource":"aws:s3","awsRegion":"eu-west-1","eventTime":"2024-01-01T00:00:00Z",)"
         R"("eventName":")" +
         std::string(event_name) + R"(","s3":{"bucket":{"name":")" + std::string(bucket) +
         R"("},"object":{"key":")" + std::string(key) + R"(","size":7}}})";
}

std::string SnsWrap(std::string_view message) {
  std::string escaped;
  for (char c : message) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return R"({"Type":"Notification","TopicArn":"arn:t","Message":")" + escaped + "\"}";
}

TEST(Notification, S3EventKeepsAllCreatedRecordsDecodedAndDeduplicated) {
  std::string body = "{\"Records\":[" + S3Record("ObjectCreated:Put", "b", "x+y%2Bz") + "," +
                     S3Record("ObjectRemoved:Delete", "b", "gone") + "," +
                     S3Record("ObjectCreated:CompleteMultipartUpload", "b", "two") + "," +
                     S3Record("ObjectCreated:Copy", "b", "x+y%2Bz") + "]}";
  for (const std::string& b : {body, SnsWrap(body)}) {
    auto got = DecodeNotification(b, "m");
    ASSERT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->kind, Kind::kObjects);
    EXPECT_EQ(got->objects,
              (std::vector<ObjectRef>{Ref("b", "x y+z", 7, "eu-west-1", "2024-01-01T00:00:00Z"),
                                      Ref("b", "two", 7, "eu-west-1", "2024-01-01T00:00:00Z")}));
  }
}

TEST(Notification, S3EventWithOnlyRemovalsIsIgnored) {
  auto got = DecodeNotification(
      "{\"Records\":[" + S3Record("ObjectRemoved:DeleteMarkerCreated", "b", "k") + "]}", "m");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->kind, Kind::kIgnored);
  EXPECT_TRUE(got->objects.empty());
}

TEST(Notification, EventBridgeKeysAreNotUrlDecoded) {
  auto got = DecodeNotification(
      R"({"detail-type":"Object Created","source":"aws.s3","region":"r","time":"t",)"
      R"("detail":{"bucket":{"name":"b"},"object":{"key":"a+b%20c","size":1}}})",
      "m");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->objects, (std::vector<ObjectRef>{Ref("b", "a+b%20c", 1, "r", "t")}));
}

TEST(Notification, ControlMessagesRawOrViaSns) {
  const std::string test_event = R"({"Service":"Amazon S3","Event":"s3:TestEvent","Bucket":"b"})";
  EXPECT_EQ(DecodeNotification(SnsWrap(test_event), "m")->kind, Kind::kTestEvent);
  EXPECT_EQ(DecodeNotification(SnsWrap("CloudTrail validation message."), "m")->kind,
            Kind::kValidation);
  EXPECT_EQ(DecodeNotification("CloudTrail validation message.", "m")->kind, Kind::kValidation);
  auto unsub = DecodeNotification(
      R"({"Type":"UnsubscribeConfirmation","SubscribeURL":"https://x/","TopicArn":"t"})", "m");
  ASSERT_TRUE(unsub.ok());
  EXPECT_EQ(unsub->kind, Kind::kSubscriptionConfirmation);
  EXPECT_EQ(unsub->subscribe_url, "https://x/");
}

TEST(Notification, RejectsBadFields) {
  const std::vector<std::string> bad = {
      R"({"s3Bucket":"","s3ObjectKey":["k"]})",
      R"({"s3Bucket":"b","s3ObjectKey":[]})",
      R"({"s3Bucket":"b","s3ObjectKey":[""]})",
      R"({"s3Bucket":"b","s3ObjectKey":"k"})",
      R"({"s3Bucket":"b","s3ObjectKey":["k", 3]})",
      "{\"Records\":[" + S3Record("ObjectCreated:Put", "", "k") + "]}",
      "{\"Records\":[" + S3Record("ObjectCreated:Put", "b", "") + "]}",
      "{\"Records\":[" + S3Record("ObjectCreated:Put", "b", "%zz") + "]}",
      "{\"Records\":[" + S3Record("SomethingNew:Put", "b", "k") + "]}",
      R"({"Records":[]})",
      R"({"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put",)"
      R"("s3":{"bucket":{"name":"b"},"object":{"key":"k","size":-1}}}]})",
      R"({"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put",)"
      R"("s3":{"bucket":"b","object":{"key":"k"}}}]})",
      R"({"detail-type":"Object Created","source":"aws.s3","detail":{"bucket":{"name":"b"}}})",
      R"({"detail-type":"Object Created","source":"aws.ec2","detail":{}})",
      SnsWrap(SnsWrap(R"({"s3Bucket":"b","s3ObjectKey":["k"]})")),  // nested SNS
      R"({"Type":"Notification","Message":42})",
      R"([1,2,3])",
      R"("CloudTrail validation message.")",
  };
  for (const auto& body : bad) {
    auto got = DecodeNotification(body, "m");
    EXPECT_FALSE(got.ok()) << body;
    EXPECT_EQ(got.status().code(), StatusCode::kInvalidArgument) << got.status().ToString();
  }
}

TEST(Notification, InvalidJsonOrUtf8IsCorruption) {
  for (std::string_view body :
       {std::string_view(""), std::string_view("{"), std::string_view("{\"s3Bucket\":\"b\xff\"}"),
        std::string_view("\0\0", 2)}) {
    auto got = DecodeNotification(body, "m");
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.status().code(), StatusCode::kCorruption) << got.status().ToString();
  }
}

TEST(Notification, SizeLimitIsOneMebibyte) {
  std::string body = R"({"s3Bucket":"b","s3ObjectKey":["k"]})";
  body.resize(kMaxNotificationBytes, ' ');  // 1 MiB exactly: accepted
  EXPECT_TRUE(DecodeNotification(body, "m").ok());
  body += ' ';
  auto got = DecodeNotification(body, "m");
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.status().code(), StatusCode::kResourceExhausted);
}

TEST(Notification, DecoderIsReusableAcrossMessages) {
  NotificationDecoder decoder;
  auto bodies = CorpusBodies();
  for (int round = 0; round < 2; ++round) {
    for (const auto& [name, body] : bodies) {
      auto a = decoder.Decode(body, name);
      auto b = DecodeNotification(body, name);
      ASSERT_EQ(a.ok(), b.ok()) << name;
      if (a.ok()) {
        EXPECT_EQ(a->objects, b->objects) << name;
      }
    }
  }
}

// 10k mutated corpus bodies: never a crash; OK with consistent output, or a known error code.
TEST(Notification, MutatedBodiesNeverCrash) {
  std::vector<std::string> seeds;
  for (auto& [name, body] : CorpusBodies()) seeds.push_back(body);
  std::mt19937_64 rng(20260101);
  NotificationDecoder decoder;
  int ok = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string body = seeds[rng() % seeds.size()];
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !body.empty(); ++e) {
      size_t pos = rng() % body.size();
      switch (rng() % 5) {
        case 0:
          body[pos] = static_cast<char>(rng());
          break;
        case 1:
          body.erase(pos, 1 + rng() % 8);
          break;
        case 2:
          body.insert(pos, 1, "\"{}[],:\\%+"[rng() % 10]);
          break;
        case 3:
          body.resize(pos);
          break;
        default:
          body.insert(pos, body.substr(rng() % body.size(), rng() % 16));
          break;
      }
    }
    auto got = decoder.Decode(body, "fuzz");
    if (!got.ok()) {
      StatusCode c = got.status().code();
      ASSERT_TRUE(c == StatusCode::kInvalidArgument || c == StatusCode::kCorruption)
          << got.status().ToString();
      continue;
    }
    ++ok;
    ASSERT_EQ(got->kind == Kind::kObjects, !got->objects.empty());
    for (const auto& ref : got->objects) {
      ASSERT_FALSE(ref.bucket.empty());
      ASSERT_FALSE(ref.key.empty());
    }
  }
  EXPECT_GT(ok, 0);
}

}  // namespace
}  // namespace trailhound::sources
