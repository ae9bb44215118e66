// The bodies of the notifications that announce CloudTrail log files in an SQS queue, in the
// exact shapes of shared/corpora/sqs-messages (sources/sqs_s3/notification.h decodes them).
// checks::SnsEnvelope (../aws/emulator_checks.h) wraps one the way SNS delivers it to a queue.
// Pure functions of their arguments.
#pragma once

#include <cctype>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace trailhound::testing {

// CloudTrail's SNS message: {"s3Bucket": ..., "s3ObjectKey": [...]}; keys as they are.
inline std::string CloudTrailMessage(const std::string& bucket,
                                     const std::vector<std::string>& keys) {
  return nlohmann::json{{"s3Bucket", bucket}, {"s3ObjectKey", keys}}.dump();
}

// How S3 event notifications write a key: URL-encoded, a space as '+', '+' as %2B.
inline std::string S3EventKey(const std::string& key) {
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

// An S3 Event Notification (ObjectCreated:Put) naming every key.
inline std::string S3Event(const std::string& bucket, const std::vector<std::string>& keys) {
  nlohmann::json records = nlohmann::json::array();
  for (const std::string& key : keys) {
    records.push_back(
        {{"eventVersion", "2.1"},
         {"eventSource", "aws:s3"},
         {"awsRegion", "us-east-1"},
         {"eventTime", "2025-01-01T00:05:00.000Z"},
         {"eventName", "ObjectCreated:Put"},
         {"userIdentity", {{"principalId", "AWS:AROAEXAMPLE:regionalDeliverySession"}}},
         {"s3",
          {{"s3SchemaVersion", "1.0"},
           {"configurationId", "trailhound"},
           {"bucket", {{"name", bucket}, {"arn", "arn:aws:s3:::" + bucket}}},
           {"object", {{"key", S3EventKey(key)}, {"size", 100}, {"sequencer", "0A1B2C"}}}}}});
  }
  return nlohmann::json{{"Records", records}}.dump();
}

// EventBridge "Object Created" for one key (notification.h: EventBridge keys are not encoded).
inline std::string EventBridge(const std::string& bucket, const std::string& key) {
  return nlohmann::json{{"version", "0"},
                        {"id", "17793124-05d4-b198-2fde-7ededc63b103"},
                        {"detail-type", "Object Created"},
                        {"source", "aws.s3"},
                        {"account", "111122223333"},
                        {"time", "2025-01-01T00:05:00Z"},
                        {"region", "us-east-1"},
                        {"resources", {"arn:aws:s3:::" + bucket}},
                        {"detail",
                         {{"version", "0"},
                          {"bucket", {{"name", bucket}}},
                          {"object", {{"key", key}, {"size", 100}, {"etag", "b1946ac9"}}},
                          {"request-id", "N4N7GDK58NMKJ12R"},
                          {"requester", "123456789012"},
                          {"reason", "PutObject"}}}}
      .dump();
}

}  // namespace trailhound::testing
