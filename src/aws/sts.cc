#include "aws/sts.h"

#include <fmt/format.h>

#include <pugixml.hpp>
#include <random>

#include "aws/credentials_document.h"
#include "aws/regions.h"

namespace trailhound::aws {
namespace {

constexpr std::string_view kApiVersion = "2011-06-15";

void AddField(std::string& form, std::string_view name, std::string_view value) {
  form += '&';
  form += name;
  form += '=';
  form += UriEncode(value, /*keep_slash=*/false);
}

double Random01() {
  thread_local std::mt19937_64 engine{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

// The text of `path` ("AssumeRoleResult/Credentials/AccessKeyId") under `root`.
std::string Text(const pugi::xml_node& root, const char* path) {
  return root.first_element_by_path(path).text().as_string();
}

Result<pugi::xml_node> ParseResult(pugi::xml_document& doc, const HttpResponse& response,
                                   std::string_view action, const std::string& endpoint) {
  pugi::xml_parse_result parsed = doc.load_buffer(response.body.data(), response.body.size());
  std::string response_name = fmt::format("{}Response", action);
  std::string result_name = fmt::format("{}Result", action);
  pugi::xml_node result = doc.child(response_name.c_str()).child(result_name.c_str());
  if (!parsed || !result) {
    // Never quote the body: a successful response holds secrets.
    return Status::Corruption(
        fmt::format("STS {} response from {} is not a <{}> document (HTTP {}, {} bytes)", action,
                    endpoint, response_name, response.status, response.body.size()));
  }
  return result;
}

Result<Credentials> ParseCredentials(const pugi::xml_node& result, std::string_view action,
                                     const std::string& endpoint, std::string source) {
  Credentials credentials;
  credentials.access_key_id = Text(result, "Credentials/AccessKeyId");
  credentials.secret_access_key = Secret(Text(result, "Credentials/SecretAccessKey"));
  credentials.session_token = Secret(Text(result, "Credentials/SessionToken"));
  credentials.source = std::move(source);
  std::string expiration = Text(result, "Credentials/Expiration");
  if (credentials.access_key_id.empty() || credentials.secret_access_key.empty() ||
      credentials.session_token.empty() || expiration.empty()) {
    return Status::Corruption(
        fmt::format("STS {} response from {} lacks AccessKeyId, SecretAccessKey, SessionToken or "
                    "Expiration",
                    action, endpoint));
  }
  auto time = ParseAwsTimestamp(expiration);
  if (!time.ok()) {
    return time.status().Annotate(fmt::format("STS {} response from {}", action, endpoint));
  }
  credentials.expiration = *time;
  return credentials;
}

}  // namespace

Result<std::unique_ptr<StsClient>> StsClient::Create(std::shared_ptr<AwsRequestSender> sender,
                                                     StsOptions options) {
  if (sender == nullptr) return Status::InvalidArgument("StsClient needs a request sender");
  std::string endpoint = options.endpoint_url;
  if (endpoint.empty()) {
    auto regional = DefaultEndpoint("sts", options.region);
    if (!regional.ok()) return regional.status().Annotate("STS endpoint");
    endpoint = *regional;
  } else if (!endpoint.starts_with("http://") && !endpoint.starts_with("https://")) {
    return Status::InvalidArgument(fmt::format(
        "STS endpoint URL '{}' must start with http:// or https://", options.endpoint_url));
  }
  if (endpoint.find('?') != std::string::npos || endpoint.find('#') != std::string::npos) {
    return Status::InvalidArgument(
        fmt::format("STS endpoint URL '{}' must not have a query or fragment", endpoint));
  }
  if (!endpoint.ends_with('/')) endpoint += '/';
  return std::unique_ptr<StsClient>(
      new StsClient(std::move(sender), std::move(options), std::move(endpoint)));
}

AwsCall StsClient::MakeCall(std::string_view action, std::string_view resource,
                            std::string form) const {
  AwsCall call;
  call.operation = std::string(action);
  call.resource = std::string(resource);
  call.request.method = "POST";
  call.request.url = endpoint_;
  call.request.headers.push_back(
      {"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"});
  call.request.body = fmt::format("Action={}&Version={}{}", action, kApiVersion, form);
  call.signing.region = options_.region;
  call.signing.service = "sts";
  call.errors = ErrorProtocol::kXml;
  return call;
}

Result<CallerIdentity> StsClient::GetCallerIdentity() {
  AwsCall call = MakeCall("GetCallerIdentity", endpoint_, "");
  TH_ASSIGN_OR_RETURN(HttpResponse response, sender_->Send(call));
  pugi::xml_document doc;
  TH_ASSIGN_OR_RETURN(pugi::xml_node result, ParseResult(doc, response, call.operation, endpoint_));
  CallerIdentity identity;
  identity.account = result.child("Account").text().as_string();
  identity.arn = result.child("Arn").text().as_string();
  identity.user_id = result.child("UserId").text().as_string();
  if (identity.account.empty() || identity.arn.empty()) {
    return Status::Corruption(
        fmt::format("STS GetCallerIdentity response from {} lacks Account or Arn", endpoint_));
  }
  return identity;
}

Result<Credentials> StsClient::AssumeRole(const AssumeRoleRequest& request) {
  std::string form;
  AddField(form, "RoleArn", request.role_arn);
  AddField(form, "RoleSessionName", request.role_session_name);
  if (!request.external_id.empty()) AddField(form, "ExternalId", request.external_id);
  if (request.duration_secs > 0) {
    AddField(form, "DurationSeconds", std::to_string(request.duration_secs));
  }
  AwsCall call = MakeCall("AssumeRole", request.role_arn, std::move(form));
  TH_ASSIGN_OR_RETURN(HttpResponse response, sender_->Send(call));
  pugi::xml_document doc;
  TH_ASSIGN_OR_RETURN(pugi::xml_node result, ParseResult(doc, response, call.operation, endpoint_));
  return ParseCredentials(result, call.operation, endpoint_,
                          fmt::format("assume-role {}", request.role_arn));
}

Result<Credentials> StsClient::AssumeRoleWithWebIdentity(const WebIdentityRequest& request) {
  std::string form;
  AddField(form, "RoleArn", request.role_arn);
  AddField(form, "RoleSessionName", request.role_session_name);
  AddField(form, "WebIdentityToken", request.web_identity_token.Reveal());
  if (request.duration_secs > 0) {
    AddField(form, "DurationSeconds", std::to_string(request.duration_secs));
  }
  AwsCall call = MakeCall("AssumeRoleWithWebIdentity", request.role_arn, std::move(form));
  TH_ASSIGN_OR_RETURN(HttpResponse response, SendUnsigned(call));
  pugi::xml_document doc;
  TH_ASSIGN_OR_RETURN(pugi::xml_node result, ParseResult(doc, response, call.operation, endpoint_));
  return ParseCredentials(result, call.operation, endpoint_,
                          fmt::format("web-identity {}", request.role_arn));
}

Result<HttpResponse> StsClient::SendUnsigned(const AwsCall& call) {
  for (int attempt = 1;; ++attempt) {
    Result<HttpResponse> response = sender_->transport()->Send(call.request);
    Status status;
    if (!response.ok()) {
      status = response.status()
                   .Annotate(fmt::format("Failed to {} {} at {}", call.operation, call.resource,
                                         endpoint_))
                   .WithResource(call.resource);
    } else if (response->status >= 200 && response->status < 300) {
      return response;
    } else {
      status = StatusFromAwsError(call, *response, call.errors);
    }
    if (!ShouldRetry(status, attempt, options_.retry)) return status;
    options_.clock->SleepFor(BackoffDelay(status, attempt, options_.retry, Random01()));
  }
}

}  // namespace trailhound::aws
