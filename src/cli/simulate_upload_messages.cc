#include "cli/simulate_upload_messages.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <random>

#include "aws/regions.h"
#include "aws/sns.h"

namespace trailhound::cli {
namespace {

// Keeps the keys in the order AWS writes them, which makes the bodies easy to compare.
using Json = nlohmann::ordered_json;

bool KeptInS3EventKey(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == '~' || c == '*' || c == '/';
}

// "https://sns.<region>.<dns suffix>" for the topic's region, or the us-east-1 one.
std::string SnsHostOf(std::string_view topic_arn) {
  auto topic = aws::ParseSnsTopicArn(topic_arn);
  if (topic.ok()) {
    auto endpoint = aws::DefaultEndpoint("sns", topic->region);
    if (endpoint.ok()) return *endpoint;
  }
  return "https://sns.us-east-1.amazonaws.com";
}

}  // namespace

std::string CloudTrailMessage(std::string_view bucket, std::string_view key) {
  Json message = {{"s3Bucket", bucket}, {"s3ObjectKey", Json::array({key})}};
  return message.dump();
}

std::string EncodeS3EventKey(std::string_view key) {
  std::string out;
  out.reserve(key.size() + key.size() / 4);
  for (char ch : key) {
    const auto c = static_cast<unsigned char>(ch);
    if (KeptInS3EventKey(c)) {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string S3EventMessage(const S3ObjectCreated& object) {
  Json s3_object = {{"key", EncodeS3EventKey(object.key)}, {"size", object.size_bytes}};
  if (!object.etag.empty()) s3_object["eTag"] = object.etag;
  s3_object["sequencer"] = fmt::format("{:016X}", object.sequence);
  Json record = {
      {"eventVersion", "2.1"},
      {"eventSource", "aws:s3"},
      {"awsRegion", object.region},
      {"eventTime", FormatMillisTimestamp(object.event_time)},
      {"eventName", "ObjectCreated:Put"},
      {"s3",
       {{"s3SchemaVersion", "1.0"},
        {"configurationId", "trailhound-simulate"},
        {"bucket",
         {{"name", object.bucket},
          {"arn", fmt::format("arn:{}:s3:::{}", object.partition, object.bucket)}}},
        {"object", std::move(s3_object)}}},
  };
  Json message = {{"Records", Json::array({std::move(record)})}};
  return message.dump();
}

std::string SnsEnvelope(const SnsNotification& notification) {
  const std::string host = SnsHostOf(notification.topic_arn);
  Json envelope = {{"Type", "Notification"},
                   {"MessageId", notification.message_id},
                   {"TopicArn", notification.topic_arn}};
  if (!notification.subject.empty()) envelope["Subject"] = notification.subject;
  envelope["Message"] = notification.message;
  envelope["Timestamp"] = FormatMillisTimestamp(notification.timestamp);
  envelope["SignatureVersion"] = "1";
  envelope["Signature"] = "EXAMPLE";  // nothing is signed: this is a simulation
  envelope["SigningCertURL"] =
      host + "/SimpleNotificationService-00000000000000000000000000000000.pem";
  envelope["UnsubscribeURL"] =
      fmt::format("{}/?Action=Unsubscribe&SubscriptionArn={}:{}", host, notification.topic_arn,
                  "00000000-0000-4000-8000-000000000000");
  return envelope.dump();
}

std::string FormatMillisTimestamp(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto millis = floor<milliseconds>(time);
  const auto days = floor<std::chrono::days>(millis);
  const year_month_day date{days};
  const hh_mm_ss<milliseconds> tod{millis - days};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                     tod.hours().count(), tod.minutes().count(), tod.seconds().count(),
                     tod.subseconds().count());
}

std::string NewMessageId() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  uint64_t high = engine();
  uint64_t low = engine();
  high = (high & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  low = (low & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;    // variant 10
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", high >> 32, (high >> 16) & 0xFFFF,
                     high & 0xFFFF, low >> 48, low & 0xFFFFFFFFFFFFULL);
}

}  // namespace trailhound::cli
