#include "aws/sqs.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "aws/regions.h"

namespace trailhound::aws {
namespace {

using Json = nlohmann::json;

constexpr int kMaxBatchEntries = 10;
constexpr int kMaxVisibilityTimeoutSecs = 43200;
constexpr int kMaxWaitTimeSecs = 20;

Status CallError(std::string_view action, std::string_view resource, std::string_view reason) {
  return Status::InvalidArgument(fmt::format("Failed to {} {}: {}", action, resource, reason))
      .WithResource(resource);
}

Status BadResponse(std::string_view action, std::string_view resource, std::string_view reason) {
  return Status::Corruption(
             fmt::format("Failed to {} {}: unexpected response: {}", action, resource, reason))
      .WithResource(resource);
}

Result<Json> ParseJson(std::string_view action, std::string_view resource,
                       const std::string& body) {
  if (body.empty()) return Json::object();
  Json json = Json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return BadResponse(action, resource, "the body is not a JSON object");
  }
  return json;
}

// The string member `key` of `object`, or "" when absent or not a string.
std::string StringMember(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A JSON object of strings (Attributes) as a map; non-string values are skipped.
std::map<std::string, std::string> StringMap(const Json& object, const char* key) {
  std::map<std::string, std::string> out;
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return out;
  for (const auto& [name, value] : it->items()) {
    if (value.is_string()) out.emplace(name, value.get<std::string>());
  }
  return out;
}

template <typename Int>
std::optional<Int> ParseInt(std::string_view text) {
  Int value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

SqsMessage ParseMessage(const Json& json) {
  SqsMessage message;
  message.message_id = StringMember(json, "MessageId");
  message.receipt_handle = StringMember(json, "ReceiptHandle");
  message.body = StringMember(json, "Body");
  message.md5_of_body = StringMember(json, "MD5OfBody");
  message.attributes = StringMap(json, "Attributes");
  if (auto it = message.attributes.find("ApproximateReceiveCount");
      it != message.attributes.end()) {
    message.receive_count = ParseInt<int>(it->second).value_or(0);
  }
  if (auto it = message.attributes.find("SentTimestamp"); it != message.attributes.end()) {
    if (auto ms = ParseInt<int64_t>(it->second)) {
      message.sent_time = std::chrono::system_clock::time_point(std::chrono::milliseconds(*ms));
    }
  }
  return message;
}

Result<SqsBatchResult> ParseBatchResult(std::string_view action, std::string_view resource,
                                        const std::string& body) {
  auto json = ParseJson(action, resource, body);
  if (!json.ok()) return json.status();
  SqsBatchResult result;
  if (auto it = json->find("Successful"); it != json->end() && it->is_array()) {
    for (const Json& entry : *it) result.successful_ids.push_back(StringMember(entry, "Id"));
  }
  if (auto it = json->find("Failed"); it != json->end() && it->is_array()) {
    for (const Json& entry : *it) {
      SqsBatchEntryError error;
      error.id = StringMember(entry, "Id");
      error.code = StringMember(entry, "Code");
      error.message = StringMember(entry, "Message");
      if (auto fault = entry.find("SenderFault"); fault != entry.end()) {
        error.sender_fault =
            fault->is_boolean() ? fault->get<bool>() : (fault->is_string() && *fault == "true");
      }
      result.failed.push_back(std::move(error));
    }
  }
  return result;
}

// Batch entry ids: 1 to 80 characters of [A-Za-z0-9_-], unique, at most 10 entries.
template <typename Entry>
Status CheckBatch(std::string_view action, std::string_view resource,
                  std::span<const Entry> entries) {
  if (entries.size() > kMaxBatchEntries) {
    return CallError(
        action, resource,
        fmt::format("a batch has at most {} entries, got {}", kMaxBatchEntries, entries.size()));
  }
  std::set<std::string_view> ids;
  for (const Entry& entry : entries) {
    bool valid = !entry.id.empty() && entry.id.size() <= 80 &&
                 std::all_of(entry.id.begin(), entry.id.end(), [](char c) {
                   return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
                 });
    if (!valid) {
      return CallError(action, resource,
                       fmt::format("batch entry id '{}' must be 1 to 80 letters, digits, '-' "
                                   "or '_'",
                                   entry.id));
    }
    if (!ids.insert(entry.id).second) {
      return CallError(action, resource,
                       fmt::format("batch entry id '{}' is used twice", entry.id));
    }
  }
  return Status::OK();
}

Status CheckVisibility(std::string_view action, std::string_view resource, int secs) {
  if (secs < 0 || secs > kMaxVisibilityTimeoutSecs) {
    return CallError(action, resource,
                     fmt::format("the visibility timeout must be 0 to {} seconds, got {}",
                                 kMaxVisibilityTimeoutSecs, secs));
  }
  return Status::OK();
}

}  // namespace

SqsClient::SqsClient(std::shared_ptr<AwsRequestSender> sender, SqsOptions options)
    : sender_(std::move(sender)), options_(std::move(options)) {}

Result<SqsQueueUrl> SqsClient::ResolveQueueUrl(std::string_view queue_url) const {
  SqsQueueUrlOptions url_options;
  url_options.region = options_.region;
  url_options.endpoint_url = options_.endpoint_url;
  return ParseSqsQueueUrl(queue_url, url_options);
}

Result<SqsClient::Target> SqsClient::AccountTarget(std::string_view resource) const {
  Target target;
  target.resource = std::string(resource);
  target.region = options_.region;
  if (target.region.empty()) {
    return Status::InvalidArgument(fmt::format(
        "Cannot call SQS for {}: no region is configured (set the SQS region)", resource));
  }
  if (!options_.endpoint_url.empty()) {
    std::string_view endpoint = options_.endpoint_url;
    while (endpoint.ends_with('/')) endpoint.remove_suffix(1);
    target.endpoint = std::string(endpoint);
  } else {
    auto endpoint = DefaultEndpoint("sqs", target.region);
    if (!endpoint.ok()) return endpoint.status();
    target.endpoint = std::move(*endpoint);
  }
  return target;
}

Result<std::string> SqsClient::Call(std::string_view action, const Target& target, std::string body,
                                    const HttpOptions* http_options) {
  AwsCall call;
  call.operation = std::string(action);
  call.resource = target.resource;
  call.request.method = "POST";
  call.request.url = target.endpoint + "/";  // always the root: see the header comment
  call.request.headers = {{"Content-Type", "application/x-amz-json-1.0"},
                          {"X-Amz-Target", fmt::format("AmazonSQS.{}", action)}};
  call.request.body = std::move(body);
  call.signing.region = target.region;
  call.signing.service = "sqs";
  call.errors = ErrorProtocol::kJson;
  call.http_options = http_options;
  auto response = sender_->Send(call);
  if (!response.ok()) return response.status();
  return std::move(response->body);
}

Result<std::string> SqsClient::CallQueue(std::string_view action, std::string_view queue_url,
                                         std::string body, const HttpOptions* http_options) {
  auto parsed = ResolveQueueUrl(queue_url);
  if (!parsed.ok()) return parsed.status().WithResource(queue_url);
  Target target{parsed->endpoint, parsed->region, parsed->url};
  return Call(action, target, std::move(body), http_options);
}

Result<std::vector<SqsMessage>> SqsClient::ReceiveMessage(std::string_view queue_url,
                                                          const SqsReceiveOptions& options) {
  constexpr std::string_view kAction = "ReceiveMessage";
  if (options.max_messages < 1 || options.max_messages > kMaxBatchEntries) {
    return CallError(kAction, queue_url,
                     fmt::format("MaxNumberOfMessages must be 1 to {}, got {}", kMaxBatchEntries,
                                 options.max_messages));
  }
  if (options.wait_time_secs < 0 || options.wait_time_secs > kMaxWaitTimeSecs) {
    return CallError(kAction, queue_url,
                     fmt::format("WaitTimeSeconds must be 0 to {}, got {}", kMaxWaitTimeSecs,
                                 options.wait_time_secs));
  }
  Json request = {{"QueueUrl", queue_url},
                  {"MaxNumberOfMessages", options.max_messages},
                  {"WaitTimeSeconds", options.wait_time_secs}};
  if (options.visibility_timeout_secs) {
    TH_RETURN_IF_ERROR(CheckVisibility(kAction, queue_url, *options.visibility_timeout_secs));
    request["VisibilityTimeout"] = *options.visibility_timeout_secs;
  }
  // AttributeNames is deprecated in favour of MessageSystemAttributeNames; older servers and
  // emulators only know the former, so both are sent.
  const Json attributes = Json::array({"ApproximateReceiveCount", "SentTimestamp"});
  request["MessageSystemAttributeNames"] = attributes;
  request["AttributeNames"] = attributes;

  // A long poll receives no byte until a message arrives or the wait ends.
  HttpOptions http = options_.long_poll_http;
  const HttpOptions* http_override = nullptr;
  if (options.wait_time_secs > 0) {
    const int needed_ms = options.wait_time_secs * 1000 + options_.long_poll_grace_ms;
    http.read_timeout_ms = std::max(http.read_timeout_ms, needed_ms);
    if (http.total_timeout_ms != 0)
      http.total_timeout_ms = std::max(http.total_timeout_ms, needed_ms);
    http_override = &http;
  }
  auto body = CallQueue(kAction, queue_url, request.dump(), http_override);
  if (!body.ok()) return body.status();
  auto json = ParseJson(kAction, queue_url, *body);
  if (!json.ok()) return json.status();
  std::vector<SqsMessage> messages;
  if (auto it = json->find("Messages"); it != json->end()) {
    if (!it->is_array()) return BadResponse(kAction, queue_url, "Messages is not an array");
    for (const Json& entry : *it) {
      if (!entry.is_object()) return BadResponse(kAction, queue_url, "a message is not an object");
      messages.push_back(ParseMessage(entry));
    }
  }
  return messages;
}

Result<SqsBatchResult> SqsClient::DeleteMessageBatch(std::string_view queue_url,
                                                     std::span<const SqsDeleteEntry> entries) {
  constexpr std::string_view kAction = "DeleteMessageBatch";
  if (entries.empty()) return SqsBatchResult{};
  TH_RETURN_IF_ERROR(CheckBatch(kAction, queue_url, entries));
  Json list = Json::array();
  for (const SqsDeleteEntry& entry : entries) {
    list.push_back({{"Id", entry.id}, {"ReceiptHandle", entry.receipt_handle}});
  }
  Json request = {{"QueueUrl", queue_url}, {"Entries", std::move(list)}};
  auto body = CallQueue(kAction, queue_url, request.dump());
  if (!body.ok()) return body.status();
  return ParseBatchResult(kAction, queue_url, *body);
}

Status SqsClient::DeleteMessage(std::string_view queue_url, std::string_view receipt_handle) {
  Json request = {{"QueueUrl", queue_url}, {"ReceiptHandle", receipt_handle}};
  return CallQueue("DeleteMessage", queue_url, request.dump()).status();
}

Status SqsClient::ChangeMessageVisibility(std::string_view queue_url,
                                          std::string_view receipt_handle,
                                          int visibility_timeout_secs) {
  constexpr std::string_view kAction = "ChangeMessageVisibility";
  TH_RETURN_IF_ERROR(CheckVisibility(kAction, queue_url, visibility_timeout_secs));
  Json request = {{"QueueUrl", queue_url},
                  {"ReceiptHandle", receipt_handle},
                  {"VisibilityTimeout", visibility_timeout_secs}};
  return CallQueue(kAction, queue_url, request.dump()).status();
}

Result<SqsBatchResult> SqsClient::ChangeMessageVisibilityBatch(
    std::string_view queue_url, std::span<const SqsVisibilityEntry> entries) {
  constexpr std::string_view kAction = "ChangeMessageVisibilityBatch";
  if (entries.empty()) return SqsBatchResult{};
  TH_RETURN_IF_ERROR(CheckBatch(kAction, queue_url, entries));
  Json list = Json::array();
  for (const SqsVisibilityEntry& entry : entries) {
    TH_RETURN_IF_ERROR(CheckVisibility(kAction, queue_url, entry.visibility_timeout_secs));
    list.push_back({{"Id", entry.id},
                    {"ReceiptHandle", entry.receipt_handle},
                    {"VisibilityTimeout", entry.visibility_timeout_secs}});
  }
  Json request = {{"QueueUrl", queue_url}, {"Entries", std::move(list)}};
  auto body = CallQueue(kAction, queue_url, request.dump());
  if (!body.ok()) return body.status();
  return ParseBatchResult(kAction, queue_url, *body);
}

Result<std::map<std::string, std::string>> SqsClient::GetQueueAttributes(
    std::string_view queue_url, const std::vector<std::string>& names) {
  constexpr std::string_view kAction = "GetQueueAttributes";
  Json request = {{"QueueUrl", queue_url}, {"AttributeNames", names}};
  auto body = CallQueue(kAction, queue_url, request.dump());
  if (!body.ok()) return body.status();
  auto json = ParseJson(kAction, queue_url, *body);
  if (!json.ok()) return json.status();
  return StringMap(*json, "Attributes");
}

Result<std::string> SqsClient::GetQueueUrl(std::string_view name,
                                           std::string_view owner_account_id) {
  constexpr std::string_view kAction = "GetQueueUrl";
  const std::string resource = fmt::format("queue '{}'", name);
  Json request = {{"QueueName", name}};
  if (!owner_account_id.empty()) request["QueueOwnerAWSAccountId"] = owner_account_id;
  return CallForQueueUrl(kAction, resource, request.dump());
}

Result<std::string> SqsClient::SendMessage(std::string_view queue_url, std::string_view body,
                                           int delay_secs) {
  constexpr std::string_view kAction = "SendMessage";
  Json request = {{"QueueUrl", queue_url}, {"MessageBody", body}};
  if (delay_secs != 0) request["DelaySeconds"] = delay_secs;
  auto response = CallQueue(kAction, queue_url, request.dump());
  if (!response.ok()) return response.status();
  auto json = ParseJson(kAction, queue_url, *response);
  if (!json.ok()) return json.status();
  std::string id = StringMember(*json, "MessageId");
  if (id.empty()) return BadResponse(kAction, queue_url, "no MessageId");
  return id;
}

Result<std::string> SqsClient::CreateQueue(std::string_view name,
                                           const std::map<std::string, std::string>& attributes) {
  constexpr std::string_view kAction = "CreateQueue";
  const std::string resource = fmt::format("queue '{}'", name);
  Json request = {{"QueueName", name}};
  if (!attributes.empty()) request["Attributes"] = attributes;
  return CallForQueueUrl(kAction, resource, request.dump());
}

Result<std::string> SqsClient::CallForQueueUrl(std::string_view action, const std::string& resource,
                                               std::string body) {
  auto target = AccountTarget(resource);
  if (!target.ok()) return target.status();
  auto response = Call(action, *target, std::move(body));
  if (!response.ok()) return response.status();
  auto json = ParseJson(action, resource, *response);
  if (!json.ok()) return json.status();
  std::string url = StringMember(*json, "QueueUrl");
  if (url.empty()) return BadResponse(action, resource, "no QueueUrl");
  return url;
}

Status SqsClient::DeleteQueue(std::string_view queue_url) {
  Json request = {{"QueueUrl", queue_url}};
  return CallQueue("DeleteQueue", queue_url, request.dump()).status();
}

}  // namespace trailhound::aws
