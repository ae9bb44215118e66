#include "aws/sns.h"

#include <fmt/format.h>

#include <pugixml.hpp>
#include <vector>

#include "aws/regions.h"
#include "aws/sigv4.h"

namespace trailhound::aws {
namespace {

constexpr std::string_view kApiVersion = "2010-03-31";
// SNS refuses larger messages (256 KiB, counted in UTF-8 bytes).
constexpr size_t kMaxMessageBytes = 256 * 1024;

void AddField(std::string& form, std::string_view name, std::string_view value) {
  form += '&';
  form += name;
  form += '=';
  form += UriEncode(value, /*keep_slash=*/false);
}

Status CallError(std::string_view action, std::string_view resource, std::string_view reason) {
  return Status::InvalidArgument(fmt::format("Failed to {} {}: {}", action, resource, reason))
      .WithResource(resource);
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  size_t pos = text.find(separator);
  while (pos != std::string_view::npos) {
    parts.push_back(text.substr(start, pos - start));
    start = pos + 1;
    pos = text.find(separator, start);
  }
  parts.push_back(text.substr(start));
  return parts;
}

}  // namespace

Result<SnsTopicArn> ParseSnsTopicArn(std::string_view arn) {
  auto invalid = [arn](std::string_view why) {
    return Status::InvalidArgument(
               fmt::format(
                   "'{}' is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<name>): {}", arn,
                   why))
        .WithResource(arn);
  };
  const std::vector<std::string_view> parts = Split(arn, ':');
  if (parts.size() != 6 || parts[0] != "arn") {
    return invalid("it must have six ':'-separated parts starting with 'arn'");
  }
  if (parts[2] != "sns") return invalid(fmt::format("its service is '{}', not 'sns'", parts[2]));
  for (size_t i : {1, 3, 4, 5}) {
    if (parts[i].empty()) return invalid("its partition, region, account or name is empty");
  }
  return SnsTopicArn{std::string(arn), std::string(parts[1]), std::string(parts[3]),
                     std::string(parts[4]), std::string(parts[5])};
}

SnsClient::SnsClient(std::shared_ptr<AwsRequestSender> sender, SnsOptions options)
    : sender_(std::move(sender)), options_(std::move(options)) {}

Result<SnsClient::Target> SnsClient::TargetFor(std::string_view region,
                                               std::string_view resource) const {
  Target target;
  target.region = std::string(region);
  if (target.region.empty()) {
    return Status::InvalidArgument(fmt::format(
        "Cannot call SNS for {}: no region is configured (set the SNS region)", resource));
  }
  if (!options_.endpoint_url.empty()) {
    std::string_view endpoint = options_.endpoint_url;
    if (!endpoint.starts_with("http://") && !endpoint.starts_with("https://")) {
      return Status::InvalidArgument(fmt::format(
          "SNS endpoint URL '{}' must start with http:// or https://", options_.endpoint_url));
    }
    while (endpoint.ends_with('/')) endpoint.remove_suffix(1);
    target.endpoint = std::string(endpoint);
  } else {
    auto endpoint = DefaultEndpoint("sns", target.region);
    if (!endpoint.ok()) return endpoint.status().Annotate(fmt::format("SNS for {}", resource));
    target.endpoint = std::move(*endpoint);
  }
  return target;
}

Result<SnsClient::Target> SnsClient::TopicTarget(std::string_view topic_arn) const {
  TH_ASSIGN_OR_RETURN(SnsTopicArn topic, ParseSnsTopicArn(topic_arn));
  return TargetFor(topic.region, topic_arn);
}

Result<std::string> SnsClient::Call(std::string_view action, const Target& target,
                                    std::string_view resource, std::string_view form,
                                    const char* result_field) {
  AwsCall call;
  call.operation = std::string(action);
  call.resource = std::string(resource);
  call.request.method = "POST";
  call.request.url = target.endpoint + "/";
  call.request.headers.push_back(
      {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
  call.request.body = fmt::format("Action={}&Version={}{}", action, kApiVersion, form);
  call.signing.region = target.region;
  call.signing.service = "sns";
  call.errors = ErrorProtocol::kXml;
  TH_ASSIGN_OR_RETURN(HttpResponse response, sender_->Send(call));

  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_buffer(response.body.data(), response.body.size());
  const std::string response_name = fmt::format("{}Response", action);
  if (!parsed || !doc.child(response_name.c_str())) {
    return Status::Corruption(fmt::format("Failed to {} {}: unexpected response: not a <{}> "
                                          "document (HTTP {}, {} bytes)",
                                          action, resource, response_name, response.status,
                                          response.body.size()))
        .WithResource(resource);
  }
  if (result_field == nullptr || *result_field == '\0') return std::string();
  const std::string result_name = fmt::format("{}Result", action);
  std::string value = doc.child(response_name.c_str())
                          .child(result_name.c_str())
                          .child(result_field)
                          .text()
                          .as_string();
  if (value.empty()) {
    return Status::Corruption(fmt::format("Failed to {} {}: unexpected response: no {}", action,
                                          resource, result_field))
        .WithResource(resource);
  }
  return value;
}

Result<std::string> SnsClient::Publish(std::string_view topic_arn, std::string_view message,
                                       std::string_view subject) {
  constexpr std::string_view kAction = "Publish";
  if (message.empty()) return CallError(kAction, topic_arn, "the message is empty");
  if (message.size() > kMaxMessageBytes) {
    return CallError(kAction, topic_arn,
                     fmt::format("the message has {} bytes, SNS takes at most {}", message.size(),
                                 kMaxMessageBytes));
  }
  TH_ASSIGN_OR_RETURN(Target target, TopicTarget(topic_arn));
  std::string form;
  AddField(form, "TopicArn", topic_arn);
  AddField(form, "Message", message);
  if (!subject.empty()) AddField(form, "Subject", subject);
  return Call(kAction, target, topic_arn, form, "MessageId");
}

Result<std::string> SnsClient::CreateTopic(std::string_view name) {
  const std::string resource = fmt::format("topic '{}'", name);
  TH_ASSIGN_OR_RETURN(Target target, TargetFor(options_.region, resource));
  std::string form;
  AddField(form, "Name", name);
  return Call("CreateTopic", target, resource, form, "TopicArn");
}

Result<std::string> SnsClient::Subscribe(std::string_view topic_arn, std::string_view protocol,
                                         std::string_view endpoint,
                                         const std::map<std::string, std::string>& attributes) {
  TH_ASSIGN_OR_RETURN(Target target, TopicTarget(topic_arn));
  std::string form;
  AddField(form, "TopicArn", topic_arn);
  AddField(form, "Protocol", protocol);
  AddField(form, "Endpoint", endpoint);
  AddField(form, "ReturnSubscriptionArn", "true");
  int index = 0;
  for (const auto& [name, value] : attributes) {
    ++index;
    AddField(form, fmt::format("Attributes.entry.{}.key", index), name);
    AddField(form, fmt::format("Attributes.entry.{}.value", index), value);
  }
  return Call("Subscribe", target, topic_arn, form, "SubscriptionArn");
}

Status SnsClient::DeleteTopic(std::string_view topic_arn) {
  TH_ASSIGN_OR_RETURN(Target target, TopicTarget(topic_arn));
  std::string form;
  AddField(form, "TopicArn", topic_arn);
  return Call("DeleteTopic", target, topic_arn, form, nullptr).status();
}

}  // namespace trailhound::aws
