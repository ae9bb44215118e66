// Decodes one SQS message body into the S3 objects it announces, detecting the format per
// message: CloudTrail's own notification, S3 Event Notifications, EventBridge, each raw or in an
// SNS envelope, and the control messages that are acked and ignored. Errors, never crashes:
// kCorruption (not JSON/UTF-8), kResourceExhausted (too big), kInvalidArgument (anything else).
// Thread safety: one NotificationDecoder per thread; the free functions are thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace trailhound::sources {

// Bodies larger than this are rejected. SQS allows 256 KiB; we leave room for extended clients.
inline constexpr size_t kMaxNotificationBytes = 1 << 20;

// One S3 object named by a notification. Keys are decoded (S3 Event Notifications URL-encode
// them; CloudTrail and EventBridge do not).
struct ObjectRef {
  std::string bucket;
  std::string key;
  std::optional<uint64_t> size;           // S3 events and EventBridge carry it
  std::optional<std::string> region;      // S3 awsRegion or EventBridge region
  std::optional<std::string> event_time;  // ISO 8601 as sent (eventTime / time)

  friend bool operator==(const ObjectRef&, const ObjectRef&) = default;
};

struct Notification {
  enum class Kind : uint8_t {
    kObjects,                   // fetch `objects` (never empty)
    kIgnored,                   // a recognised S3 event that names nothing to fetch (deletes...)
    kTestEvent,                 // s3:TestEvent: ack and ignore
    kValidation,                // "CloudTrail validation message.": ack and ignore
    kSubscriptionConfirmation,  // SNS (Un)SubscriptionConfirmation: report, never fetch the URL
  };
  Kind kind = Kind::kObjects;
  std::vector<ObjectRef> objects;  // unique (bucket, key), in order of first mention
  std::string subscribe_url;       // kSubscriptionConfirmation only
  std::string detail;              // what was seen, for logs: "S3 event notification via SNS"
};

std::string_view NotificationKindName(Notification::Kind kind);

// S3 Event Notification key decoding: '+' is a space, then %XX is one byte. A '%' not followed
// by two hex digits, or a result that is not valid UTF-8, is kInvalidArgument (never guessed:
// a wrong key would be fetched, fail, and hide the real problem).
Result<std::string> DecodeS3EventKey(std::string_view encoded);

// Reuses one simdjson parser across messages (keep one per worker thread).
class NotificationDecoder {
 public:
  NotificationDecoder();
  ~NotificationDecoder();
  NotificationDecoder(const NotificationDecoder&) = delete;
  NotificationDecoder& operator=(const NotificationDecoder&) = delete;

  // `message_id` only names the message in error messages.
  Result<Notification> Decode(std::string_view body, std::string_view message_id);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Convenience: a fresh decoder per call.
Result<Notification> DecodeNotification(std::string_view body, std::string_view message_id);

}  // namespace trailhound::sources
