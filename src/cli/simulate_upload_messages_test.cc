#include "cli/simulate_upload_messages.h"

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <string>

#include "sources/sqs_s3/notification.h"

namespace trailhound::cli {
namespace {

using Json = nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::system_clock;

// 2025-01-01T00:05:12.345Z
const system_clock::time_point kTime = system_clock::time_point(milliseconds(1735689912345));

constexpr char kKey[] =
    "AWSLogs/111122223333/CloudTrail/us-east-1/2025/01/01/"
    "111122223333_CloudTrail_us-east-1_20250101T0005Z_AbCdEfGhIjKlMnOp.json.gz";

TEST(SimulateUploadMessages, CloudTrailMessageIsWhatCloudTrailPublishes) {
  EXPECT_EQ(CloudTrailMessage("org-trail", kKey),
            std::string(R"({"s3Bucket":"org-trail","s3ObjectKey":[")") + kKey + "\"]}");
  auto decoded = sources::DecodeNotification(CloudTrailMessage("org-trail", kKey), "m");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->objects.size(), 1u);
  EXPECT_EQ(decoded->objects[0].bucket, "org-trail");
  EXPECT_EQ(decoded->objects[0].key, kKey);
}

TEST(SimulateUploadMessages, S3EventKeysAreFormEncodedWithSlashesKept) {
  EXPECT_EQ(EncodeS3EventKey(kKey), kKey);
  EXPECT_EQ(EncodeS3EventKey("my logs/a+b%c=d/ü 1.json.gz"),
            "my+logs/a%2Bb%25c%3Dd/%C3%BC+1.json.gz");
  for (const char* key : {"my logs/a+b%c=d/ü 1.json.gz", "sub-delims/!$&'()*,;=:@~.json",
                          "question?hash#bracket[]{}.json", "emoji/😀 face.json"}) {
    auto decoded = sources::DecodeS3EventKey(EncodeS3EventKey(key));
    ASSERT_TRUE(decoded.ok()) << key << ": " << decoded.status().ToString();
    EXPECT_EQ(*decoded, key);
  }
}

TEST(SimulateUploadMessages, S3EventMessageIsAnObjectCreatedPutRecord) {
  S3ObjectCreated object;
  object.bucket = "org-trail";
  object.key = std::string("my logs/") + kKey;
  object.size_bytes = 4242;
  object.etag = "d41d8cd98f00b204e9800998ecf8427e";
  object.region = "cn-north-1";
  object.partition = "aws-cn";
  object.event_time = kTime;
  object.sequence = 26;
  const std::string message = S3EventMessage(object);

  const Json json = Json::parse(message);
  ASSERT_EQ(json["Records"].size(), 1u);
  const Json& record = json["Records"][0];
  EXPECT_EQ(record["eventVersion"], "2.1");
  EXPECT_EQ(record["eventSource"], "aws:s3");
  EXPECT_EQ(record["awsRegion"], "cn-north-1");
  EXPECT_EQ(record["eventTime"], "2025-01-01T00:05:12.345Z");
  EXPECT_EQ(record["eventName"], "ObjectCreated:Put");
  EXPECT_EQ(record["s3"]["bucket"]["name"], "org-trail");
  EXPECT_EQ(record["s3"]["bucket"]["arn"], "arn:aws-cn:s3:::org-trail");
  EXPECT_EQ(record["s3"]["object"]["key"], std::string("my+logs/") + kKey);
  EXPECT_EQ(record["s3"]["object"]["size"], 4242);
  EXPECT_EQ(record["s3"]["object"]["eTag"], "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(record["s3"]["object"]["sequencer"], "000000000000001A");

  auto decoded = sources::DecodeNotification(message, "m");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->objects.size(), 1u);
  const sources::ObjectRef& ref = decoded->objects[0];
  EXPECT_EQ(ref.bucket, "org-trail");
  EXPECT_EQ(ref.key, object.key);
  EXPECT_EQ(ref.size, 4242u);
  EXPECT_EQ(ref.region, "cn-north-1");
  EXPECT_EQ(ref.event_time, "2025-01-01T00:05:12.345Z");
}

TEST(SimulateUploadMessages, SnsEnvelopeCarriesTheMessageAsAnEscapedString) {
  SnsNotification notification;
  notification.message_id = "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324";
  notification.topic_arn = "arn:aws:sns:eu-west-1:111122223333:trailhound-simulate";
  notification.message = CloudTrailMessage("org-trail", kKey);
  notification.timestamp = kTime;
  const std::string envelope = SnsEnvelope(notification);

  const Json json = Json::parse(envelope);
  EXPECT_EQ(json["Type"], "Notification");
  EXPECT_EQ(json["MessageId"], notification.message_id);
  EXPECT_EQ(json["TopicArn"], notification.topic_arn);
  EXPECT_EQ(json["Message"], notification.message);
  EXPECT_EQ(json["Timestamp"], "2025-01-01T00:05:12.345Z");
  EXPECT_EQ(json["SignatureVersion"], "1");
  EXPECT_FALSE(json.contains("Subject")) << "SNS sends no Subject when none was published";
  EXPECT_TRUE(json["SigningCertURL"].get<std::string>().starts_with(
      "https://sns.eu-west-1.amazonaws.com/"));
  EXPECT_TRUE(json["UnsubscribeURL"].get<std::string>().starts_with(
      "https://sns.eu-west-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=" +
      notification.topic_arn + ":"));
  EXPECT_NE(envelope.find(R"("Message":"{\"s3Bucket\":\"org-trail\")"), std::string::npos)
      << envelope;

  auto decoded = sources::DecodeNotification(envelope, "m");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->objects.size(), 1u);
  EXPECT_EQ(decoded->objects[0].key, kKey);

  notification.subject = "Amazon S3 Notification";
  EXPECT_EQ(Json::parse(SnsEnvelope(notification))["Subject"], "Amazon S3 Notification");
}

TEST(SimulateUploadMessages, TimestampsHaveMilliseconds) {
  EXPECT_EQ(FormatMillisTimestamp(kTime), "2025-01-01T00:05:12.345Z");
  EXPECT_EQ(FormatMillisTimestamp(system_clock::time_point(milliseconds(951782400007))),
            "2000-02-29T00:00:00.007Z");
}

TEST(SimulateUploadMessages, MessageIdsAreDistinctVersion4Uuids) {
  const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    const std::string id = NewMessageId();
    EXPECT_TRUE(std::regex_match(id, uuid)) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 100u);
}

}  // namespace
}  // namespace trailhound::cli
