#include "sources/sqs_s3/notification.h"

#include <simdjson.h>

#include <array>
#include <initializer_list>
#include <string>
#include <unordered_set>
#include <utility>

#include "codecs/utf8.h"

namespace trailhound::sources {
namespace {

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

constexpr std::string_view kValidationMessage = "CloudTrail validation message.";
constexpr size_t kMaxQuotedBytes = 80;
constexpr size_t kMaxListedKeys = 12;

// S3 event names that are recognised but name nothing to fetch (prefix match).
constexpr std::array<std::string_view, 9> kIgnoredS3EventPrefixes = {
    "ObjectRemoved:",      "ObjectRestore:",     "LifecycleExpiration:",
    "LifecycleTransition", "IntelligentTiering", "ObjectTagging:",
    "ObjectAcl:",          "Replication:",       "ReducedRedundancyLostObject"};

// EventBridge detail-types from source aws.s3 that are recognised but name nothing to fetch.
constexpr std::array<std::string_view, 9> kIgnoredEventBridgeTypes = {
    "Object Deleted",
    "Object Restore Initiated",
    "Object Restore Completed",
    "Object Restore Expired",
    "Object Tags Added",
    "Object Tags Deleted",
    "Object ACL Updated",
    "Object Storage Class Changed",
    "Object Access Tier Changed"};

// 'text' for error messages: ASCII printable bytes kept, others as \xNN, cut at a limit.
std::string Quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "'";
  for (size_t i = 0; i < text.size(); ++i) {
    if (i == kMaxQuotedBytes) {
      out += "...";
      break;
    }
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\') {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  out += "'";
  return out;
}

// "a JSON object with keys ['a', 'b']"
std::string Describe(object o) {
  std::string out = "a JSON object with keys [";
  size_t n = 0;
  for (auto field : o) {
    if (n > 0) out += ", ";
    if (n == kMaxListedKeys) {
      out += "...";
      break;
    }
    out += Quote(field.key);
    ++n;
  }
  return out + "]";
}

// "a JSON array of 3 elements", "a JSON string 'x'", ...
std::string Describe(element e) {
  switch (e.type()) {
    case element_type::OBJECT:
      return Describe(object(e));
    case element_type::ARRAY:
      return "a JSON array of " + std::to_string(array(e).size()) + " elements";
    case element_type::STRING:
      return "a JSON string " + Quote(std::string_view(e));
    case element_type::BOOL:
      return "a JSON boolean";
    case element_type::NULL_VALUE:
      return "JSON null";
    default:
      return "a JSON number";
  }
}

// A recognised format with a bad field.
Status Invalid(std::string what) {
  return Status::InvalidArgument("is an invalid notification: " + std::move(what));
}

Status NotKnown(std::string what) {
  return Status::InvalidArgument("is not a known notification: " + std::move(what));
}

// The string at `key`, or nullopt when absent or not a string.
std::optional<std::string_view> StringField(object o, std::string_view key) {
  std::string_view s;
  if (o.at_key(key).get_string().get(s) != simdjson::SUCCESS) return std::nullopt;
  return s;
}

bool HasField(object o, std::string_view key) {
  element unused;
  return o.at_key(key).get(unused) == simdjson::SUCCESS;
}

// A required non-empty string at the JSON pointer-ish path `keys` below `o`.
Result<std::string_view> RequiredString(object o, std::initializer_list<std::string_view> keys,
                                        std::string_view where) {
  element e;
  object parent = o;
  std::string path;
  for (auto key : keys) {
    if (!path.empty() && e.get_object().get(parent) != simdjson::SUCCESS) {
      return Invalid(std::string(where) + " has " + path + " that is " + Describe(e) +
                     ", not an object");
    }
    path += path.empty() ? "" : ".";
    path += key;
    if (parent.at_key(key).get(e) != simdjson::SUCCESS) {
      return Invalid(std::string(where) + " has no " + path);
    }
  }
  std::string_view s;
  if (e.get_string().get(s) != simdjson::SUCCESS) {
    return Invalid(std::string(where) + " has " + path + " that is " + Describe(e) +
                   ", not a string");
  }
  if (s.empty()) return Invalid(std::string(where) + " has an empty " + path);
  return s;
}

// An optional size: absent or null is nullopt; anything but a non-negative integer is an error.
Status OptionalSize(object o, std::string_view where, std::optional<uint64_t>* size) {
  element e;
  if (o.at_key("size").get(e) != simdjson::SUCCESS || e.is_null()) return Status::OK();
  uint64_t v = 0;
  if (e.get_uint64().get(v) != simdjson::SUCCESS) {
    return Invalid(std::string(where) + " has object.size that is " + Describe(e) +
                   ", not a byte count");
  }
  *size = v;
  return Status::OK();
}

std::optional<std::string> OptionalString(object o, std::string_view key) {
  auto s = StringField(o, key);
  if (!s) return std::nullopt;
  return std::string(*s);
}

bool StartsWithAny(std::string_view s, const auto& prefixes) {
  for (std::string_view p : prefixes) {
    if (s.starts_with(p)) return true;
  }
  return false;
}

// CloudTrail's own {"s3Bucket": "...", "s3ObjectKey": ["..."]}. Keys are not encoded.
Status DecodeCloudTrail(object o, Notification* n) {
  TH_ASSIGN_OR_RETURN(std::string_view bucket,
                      RequiredString(o, {"s3Bucket"}, "CloudTrail notification"));
  array keys;
  element e;
  if (o.at_key("s3ObjectKey").get(e) != simdjson::SUCCESS) {
    return Invalid("CloudTrail notification has no s3ObjectKey");
  }
  if (e.get_array().get(keys) != simdjson::SUCCESS || keys.size() == 0) {
    return Invalid("CloudTrail notification has s3ObjectKey that is " + Describe(e) +
                   ", not a non-empty array of keys");
  }
  size_t i = 0;
  for (element k : keys) {
    std::string_view key;
    if (k.get_string().get(key) != simdjson::SUCCESS || key.empty()) {
      return Invalid("CloudTrail notification has s3ObjectKey[" + std::to_string(i) + "] that is " +
                     Describe(k) + ", not a non-empty key");
    }
    n->objects.push_back(ObjectRef{std::string(bucket), std::string(key), {}, {}, {}});
    ++i;
  }
  n->kind = Notification::Kind::kObjects;
  n->detail = "CloudTrail notification";
  return Status::OK();
}

// S3 Event Notification: every record; keys URL-encoded.
Status DecodeS3Event(object o, Notification* n) {
  array records;
  if (o["Records"].get_array().get(records) != simdjson::SUCCESS || records.size() == 0) {
    return NotKnown(Describe(o) + " whose Records is not a non-empty array");
  }
  size_t i = 0;
  size_t ignored = 0;
  for (element r : records) {
    std::string where = "S3 event record " + std::to_string(i++);
    object rec;
    if (r.get_object().get(rec) != simdjson::SUCCESS) {
      return Invalid(where + " is " + Describe(r) + ", not an object");
    }
    auto source = StringField(rec, "eventSource");
    if (source != "aws:s3") {
      return NotKnown(where + " has eventSource " + (source ? Quote(*source) : "(none)") +
                      ", not 'aws:s3'");
    }
    TH_ASSIGN_OR_RETURN(std::string_view name, RequiredString(rec, {"eventName"}, where));
    if (!name.starts_with("ObjectCreated:")) {
      if (!StartsWithAny(name, kIgnoredS3EventPrefixes)) {
        return Invalid(where + " has unknown eventName " + Quote(name));
      }
      ++ignored;
      continue;
    }
    TH_ASSIGN_OR_RETURN(std::string_view bucket,
                        RequiredString(rec, {"s3", "bucket", "name"}, where));
    TH_ASSIGN_OR_RETURN(std::string_view raw_key,
                        RequiredString(rec, {"s3", "object", "key"}, where));
    auto key = DecodeS3EventKey(raw_key);
    if (!key.ok()) {
      return Invalid(where + " has an undecodable s3.object.key: " + key.status().message());
    }
    ObjectRef ref{std::string(bucket),
                  std::move(*key),
                  {},
                  OptionalString(rec, "awsRegion"),
                  OptionalString(rec, "eventTime")};
    TH_RETURN_IF_ERROR(
        OptionalSize(rec["s3"]["object"].get_object().value_unsafe(), where, &ref.size));
    n->objects.push_back(std::move(ref));
  }
  n->kind = n->objects.empty() ? Notification::Kind::kIgnored : Notification::Kind::kObjects;
  n->detail = "S3 event notification, records: " + std::to_string(records.size()) + " (" +
              std::to_string(ignored) + " ignored)";
  return Status::OK();
}

// EventBridge event from aws.s3. EventBridge sends object keys as they are (not URL-encoded).
Status DecodeEventBridge(object o, Notification* n) {
  auto source = StringField(o, "source");
  auto type = StringField(o, "detail-type");
  if (!source || !type || *source != "aws.s3") {
    return NotKnown("an EventBridge event from source " + (source ? Quote(*source) : "(none)") +
                    " with detail-type " + (type ? Quote(*type) : "(none)"));
  }
  if (*type != "Object Created") {
    bool known = false;
    for (std::string_view t : kIgnoredEventBridgeTypes) known = known || t == *type;
    if (!known) {
      return NotKnown("an EventBridge aws.s3 event of detail-type " + Quote(*type) +
                      ", not an object event");
    }
    n->kind = Notification::Kind::kIgnored;
    n->detail = "EventBridge " + Quote(*type);
    return Status::OK();
  }
  constexpr std::string_view kWhere = "EventBridge Object Created event";
  TH_ASSIGN_OR_RETURN(std::string_view bucket,
                      RequiredString(o, {"detail", "bucket", "name"}, kWhere));
  TH_ASSIGN_OR_RETURN(std::string_view key, RequiredString(o, {"detail", "object", "key"}, kWhere));
  ObjectRef ref{std::string(bucket),
                std::string(key),
                {},
                OptionalString(o, "region"),
                OptionalString(o, "time")};
  TH_RETURN_IF_ERROR(
      OptionalSize(o["detail"]["object"].get_object().value_unsafe(), kWhere, &ref.size));
  n->objects.push_back(std::move(ref));
  n->kind = Notification::Kind::kObjects;
  n->detail = "EventBridge 'Object Created'";
  return Status::OK();
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\n' || s.front() == '\r' || s.front() == '\t')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t')) {
    s.remove_suffix(1);
  }
  return s;
}

void RemoveDuplicates(std::vector<ObjectRef>* objects) {
  std::unordered_set<std::string> seen;
  std::vector<ObjectRef> unique;
  unique.reserve(objects->size());
  for (auto& ref : *objects) {
    std::string id = ref.bucket;
    id += '\0';
    id += ref.key;
    if (seen.insert(std::move(id)).second) unique.push_back(std::move(ref));
  }
  *objects = std::move(unique);
}

}  // namespace

std::string_view NotificationKindName(Notification::Kind kind) {
  switch (kind) {
    case Notification::Kind::kObjects:
      return "Objects";
    case Notification::Kind::kIgnored:
      return "Ignored";
    case Notification::Kind::kTestEvent:
      return "TestEvent";
    case Notification::Kind::kValidation:
      return "Validation";
    case Notification::Kind::kSubscriptionConfirmation:
      return "SubscriptionConfirmation";
  }
  return "Unknown";
}

Result<std::string> DecodeS3EventKey(std::string_view encoded) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(encoded.size());
  for (size_t i = 0; i < encoded.size(); ++i) {
    char c = encoded[i];
    if (c == '+') {
      out += ' ';
    } else if (c != '%') {
      out += c;
    } else {
      int hi = i + 2 < encoded.size() ? hex(encoded[i + 1]) : -1;
      int lo = i + 2 < encoded.size() ? hex(encoded[i + 2]) : -1;
      if (hi < 0 || lo < 0) {
        return Status::InvalidArgument("malformed percent-escape at offset " + std::to_string(i) +
                                       " in " + Quote(encoded));
      }
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    }
  }
  if (size_t bad = codecs::FindInvalidUtf8(out); bad != std::string::npos) {
    return Status::InvalidArgument("decodes to invalid UTF-8 at offset " + std::to_string(bad) +
                                   ": " + Quote(encoded));
  }
  return out;
}

struct NotificationDecoder::Impl {
  simdjson::dom::parser parser;

  // Decodes `body`; `in_sns` is true for the Message of an SNS envelope (no nested SNS).
  Status DecodeBody(std::string_view body, bool in_sns, Notification* n) {
    if (TrimSpace(body) == kValidationMessage) {
      n->kind = Notification::Kind::kValidation;
      n->detail = "CloudTrail validation message";
      return Status::OK();
    }
    element root;
    if (auto err = parser.parse(body.data(), body.size()).get(root); err != simdjson::SUCCESS) {
      std::string what = simdjson::error_message(err);
      if (size_t bad = codecs::FindInvalidUtf8(body); bad != std::string_view::npos) {
        what = "invalid UTF-8 at offset " + std::to_string(bad);
      }
      return Status::Corruption("is not valid JSON (" + what + "): " + Quote(body));
    }
    object o;
    if (root.get_object().get(o) != simdjson::SUCCESS) return NotKnown(Describe(root));

    auto sns_type = StringField(o, "Type");
    if (sns_type && !in_sns) {
      std::string topic = Quote(StringField(o, "TopicArn").value_or(""));
      if (*sns_type == "SubscriptionConfirmation" || *sns_type == "UnsubscribeConfirmation") {
        n->kind = Notification::Kind::kSubscriptionConfirmation;
        n->subscribe_url = std::string(StringField(o, "SubscribeURL").value_or(""));
        n->detail = "SNS " + std::string(*sns_type) + " for topic " + topic;
        return Status::OK();
      }
      if (*sns_type == "Notification") {
        auto message = StringField(o, "Message");
        if (!message) {
          return NotKnown("an SNS Notification without a string Message: " + Describe(o));
        }
        std::string inner(*message);  // the next parse reuses the parser's buffers
        Status s = DecodeBody(inner, /*in_sns=*/true, n);
        if (!s.ok()) {
          // The envelope is valid JSON, so even an unparsable Message is kInvalidArgument.
          StatusCode code =
              s.code() == StatusCode::kCorruption ? StatusCode::kInvalidArgument : s.code();
          return Status(
              code, "is an SNS Notification from topic " + topic + " whose Message " + s.message());
        }
        n->detail += " via SNS topic " + topic;
        return Status::OK();
      }
      return NotKnown("an SNS-like message of Type " + Quote(*sns_type) + ": " + Describe(o));
    }
    if (HasField(o, "s3Bucket")) return DecodeCloudTrail(o, n);
    if (HasField(o, "Records")) return DecodeS3Event(o, n);
    if (StringField(o, "Event") == "s3:TestEvent") {
      n->kind = Notification::Kind::kTestEvent;
      n->detail = "s3:TestEvent for bucket " + Quote(StringField(o, "Bucket").value_or(""));
      return Status::OK();
    }
    if (HasField(o, "detail-type")) return DecodeEventBridge(o, n);
    return NotKnown(Describe(o));
  }
};

NotificationDecoder::NotificationDecoder() : impl_(std::make_unique<Impl>()) {}
NotificationDecoder::~NotificationDecoder() = default;

Result<Notification> NotificationDecoder::Decode(std::string_view body,
                                                 std::string_view message_id) {
  Notification n;
  Status s;
  if (body.size() > kMaxNotificationBytes) {
    s = Status::ResourceExhausted("is " + std::to_string(body.size()) +
                                  " bytes, over the limit of " +
                                  std::to_string(kMaxNotificationBytes));
  } else {
    s = impl_->DecodeBody(body, /*in_sns=*/false, &n);
  }
  if (!s.ok()) return Status(s.code(), "message " + Quote(message_id) + " " + s.message());
  RemoveDuplicates(&n.objects);
  return n;
}

Result<Notification> DecodeNotification(std::string_view body, std::string_view message_id) {
  NotificationDecoder decoder;
  return decoder.Decode(body, message_id);
}

}  // namespace trailhound::sources
