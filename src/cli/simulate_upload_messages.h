// The notification bodies `trailhound simulate --to-s3` sends, shaped like AWS's own:
// CloudTrail's SNS message, an S3 Event Notification, and the SNS envelope a subscribed SQS
// queue receives. They decode with sources::NotificationDecoder like the real ones.
// Thread safety: pure functions (NewMessageId uses a thread-local generator).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace trailhound::cli {

// CloudTrail's notification of one delivered log file: {"s3Bucket":"b","s3ObjectKey":["k"]}.
std::string CloudTrailMessage(std::string_view bucket, std::string_view key);

// One object created by a PUT, as S3 Event Notifications describe it.
struct S3ObjectCreated {
  std::string bucket{};
  std::string key{};  // as stored; encoded by S3EventMessage
  uint64_t size_bytes = 0;
  std::string etag{};             // without quotes; omitted when empty
  std::string region{};           // the bucket's region (awsRegion)
  std::string partition = "aws";  // of the bucket's ARN: "aws", "aws-cn", ...
  std::chrono::system_clock::time_point event_time{};
  uint64_t sequence = 0;  // orders events of one key (becomes the hex "sequencer")
};

// {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:Put",...}]}
std::string S3EventMessage(const S3ObjectCreated& object);

// The key as S3 Event Notifications write it: form-style URL encoding ('+' for a space, %XX
// for other bytes outside [A-Za-z0-9-_.~*]), '/' left as it is.
std::string EncodeS3EventKey(std::string_view key);

// What SNS delivers to a subscribed queue (without raw message delivery).
struct SnsNotification {
  std::string message_id{};
  std::string topic_arn{};
  std::string subject{};  // omitted when empty, as SNS does
  std::string message{};
  std::chrono::system_clock::time_point timestamp{};
};

// {"Type":"Notification","MessageId":..,"TopicArn":..,"Subject":..,"Message":"<escaped>",
//  "Timestamp":..,"SignatureVersion":"1","Signature":..,"SigningCertURL":..,"UnsubscribeURL":..}
std::string SnsEnvelope(const SnsNotification& notification);

// "2025-01-01T00:05:12.345Z".
std::string FormatMillisTimestamp(std::chrono::system_clock::time_point time);

// A random UUID version 4, as SNS uses for message ids.
std::string NewMessageId();

}  // namespace trailhound::cli
