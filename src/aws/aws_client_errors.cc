#include "aws/aws_client_errors.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>
#include <string>
#include <string_view>
#include <unordered_map>

namespace trailhound::aws {
namespace {

// AWS error codes whose meaning does not depend on the HTTP status.
const std::unordered_map<std::string_view, StatusCode>& CodeTable() {
  static const auto* table = new std::unordered_map<std::string_view, StatusCode>{
      // Access: the caller is known but not allowed.
      {"AccessDenied", StatusCode::kPermissionDenied},
      {"AccessDeniedException", StatusCode::kPermissionDenied},
      {"AllAccessDisabled", StatusCode::kPermissionDenied},
      {"AuthorizationError", StatusCode::kPermissionDenied},  // SNS
      {"UnauthorizedOperation", StatusCode::kPermissionDenied},
      {"OptInRequired", StatusCode::kPermissionDenied},
      {"AccountProblem", StatusCode::kPermissionDenied},
      // Authentication: the keys, token or signature are wrong, or the clock is.
      {"InvalidClientTokenId", StatusCode::kUnauthenticated},
      {"SignatureDoesNotMatch", StatusCode::kUnauthenticated},
      {"ExpiredToken", StatusCode::kUnauthenticated},
      {"ExpiredTokenException", StatusCode::kUnauthenticated},
      {"InvalidAccessKeyId", StatusCode::kUnauthenticated},
      {"UnrecognizedClientException", StatusCode::kUnauthenticated},
      {"IncompleteSignature", StatusCode::kUnauthenticated},
      {"IncompleteSignatureException", StatusCode::kUnauthenticated},
      {"InvalidSignatureException", StatusCode::kUnauthenticated},
      {"MissingAuthenticationToken", StatusCode::kUnauthenticated},
      {"MissingAuthenticationTokenException", StatusCode::kUnauthenticated},
      {"InvalidToken", StatusCode::kUnauthenticated},
      {"AuthFailure", StatusCode::kUnauthenticated},
      {"RequestExpired", StatusCode::kUnauthenticated},
      {"RequestTimeTooSkewed", StatusCode::kUnauthenticated},
      // Missing objects.
      {"NotFound", StatusCode::kNotFound},
      {"QueueDoesNotExist", StatusCode::kNotFound},
      {"AWS.SimpleQueueService.NonExistentQueue", StatusCode::kNotFound},
      {"ResourceNotFoundException", StatusCode::kNotFound},
      // Throttling (the AWS SDKs' list).
      {"Throttling", StatusCode::kThrottled},
      {"ThrottlingException", StatusCode::kThrottled},
      {"ThrottledException", StatusCode::kThrottled},
      {"SlowDown", StatusCode::kThrottled},
      {"RequestLimitExceeded", StatusCode::kThrottled},
      {"TooManyRequestsException", StatusCode::kThrottled},
      {"RequestThrottled", StatusCode::kThrottled},
      {"RequestThrottledException", StatusCode::kThrottled},
      {"ProvisionedThroughputExceededException", StatusCode::kThrottled},
      {"BandwidthLimitExceeded", StatusCode::kThrottled},
      {"LimitExceededException", StatusCode::kThrottled},
      {"PriorRequestNotComplete", StatusCode::kThrottled},
      {"TransactionInProgressException", StatusCode::kThrottled},
      {"EC2ThrottledException", StatusCode::kThrottled},
      // Transient service-side failures.
      {"InternalError", StatusCode::kUnavailable},
      {"InternalFailure", StatusCode::kUnavailable},
      {"InternalServerError", StatusCode::kUnavailable},
      {"ServiceUnavailable", StatusCode::kUnavailable},
      {"ServiceUnavailableException", StatusCode::kUnavailable},
      {"IDPCommunicationError", StatusCode::kUnavailable},
      {"RequestTimeout", StatusCode::kDeadlineExceeded},
      {"RequestTimeoutException", StatusCode::kDeadlineExceeded},
      // Wrong region or endpoint, and objects that need operator action first.
      {"PermanentRedirect", StatusCode::kFailedPrecondition},
      {"TemporaryRedirect", StatusCode::kFailedPrecondition},
      {"Redirect", StatusCode::kFailedPrecondition},
      {"AuthorizationHeaderMalformed", StatusCode::kFailedPrecondition},
      {"IllegalLocationConstraintException", StatusCode::kFailedPrecondition},
      {"RegionDisabledException", StatusCode::kFailedPrecondition},
      {"InvalidObjectState", StatusCode::kFailedPrecondition},
  };
  return *table;
}

bool Contains(std::string_view s, std::string_view part) {
  return s.find(part) != std::string_view::npos;
}

// "com.amazonaws.sqs#QueueDoesNotExist" → "QueueDoesNotExist";
// "ValidationException:http://internal.amazon.com/..." → "ValidationException".
std::string CleanJsonCode(std::string_view code) {
  if (size_t hash = code.rfind('#'); hash != std::string_view::npos) code.remove_prefix(hash + 1);
  code = code.substr(0, code.find(':'));
  return std::string(code);
}

std::string JsonString(const nlohmann::json& object, std::initializer_list<const char*> keys) {
  for (const char* key : keys) {
    auto it = object.find(key);
    if (it != object.end() && it->is_string()) return it->get<std::string>();
  }
  return {};
}

void ParseJson(std::string_view body, AwsErrorDetails& out) {
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return;
  out.code = CleanJsonCode(JsonString(doc, {"__type", "code", "Code"}));
  out.message = JsonString(doc, {"message", "Message", "errorMessage"});
  out.request_id = JsonString(doc, {"RequestId", "requestId"});
}

void ParseXml(std::string_view body, AwsErrorDetails& out) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return;
  pugi::xml_node root = doc.document_element();
  pugi::xml_node error;
  if (std::string_view(root.name()) == "Error") {
    error = root;  // S3
  } else if (pugi::xml_node nested = root.child("Error")) {
    error = nested;  // query protocol: <ErrorResponse><Error>..</Error><RequestId>
  } else {
    error = root.child("Errors").child("Error");  // EC2: <Response><Errors><Error>
  }
  if (!error) return;
  out.code = error.child_value("Code");
  out.message = error.child_value("Message");
  out.resource = error.child_value("Resource");
  out.region = error.child_value("Region");
  for (pugi::xml_node node : {error, root}) {
    for (const char* name : {"RequestId", "RequestID"}) {
      if (out.request_id.empty()) out.request_id = node.child_value(name);
    }
  }
}

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  return s;
}

}  // namespace

AwsErrorDetails ParseAwsError(const HttpResponse& response, ErrorProtocol protocol) {
  AwsErrorDetails out;
  std::string_view body = TrimLeft(response.body);
  if (!body.empty()) {
    bool json = protocol == ErrorProtocol::kJson;
    if (body.front() == '{') json = true;
    if (body.front() == '<') json = false;
    if (json) {
      ParseJson(body, out);
    } else {
      ParseXml(body, out);
    }
  }
  // The SQS JSON protocol names the legacy query-protocol code in a header
  // ("AWS.SimpleQueueService.NonExistentQueue;Sender"): the stable one, so prefer it.
  if (std::string_view query_error = response.Header("x-amzn-query-error"); !query_error.empty()) {
    out.code = std::string(query_error.substr(0, query_error.find(';')));
  }
  if (out.code.empty()) out.code = CleanJsonCode(response.Header("x-amzn-ErrorType"));

  for (std::string_view header : {"x-amz-request-id", "x-amzn-RequestId"}) {
    if (std::string_view id = response.Header(header); !id.empty()) {
      out.request_id = std::string(id);
      break;
    }
  }
  if (out.request_id.empty()) out.request_id = std::string(response.Header("x-amz-id-2"));
  return out;
}

StatusCode StatusCodeForAwsError(std::string_view code, int http_status) {
  if (!code.empty()) {
    const auto& table = CodeTable();
    if (auto it = table.find(code); it != table.end()) return it->second;
    if (code.starts_with("KMS.") || code.starts_with("Kms")) {
      // SSE-KMS keys the caller may not use (disabled, not found, access denied).
      return Contains(code, "Throttl") ? StatusCode::kThrottled : StatusCode::kPermissionDenied;
    }
    if (code.starts_with("NoSuch")) return StatusCode::kNotFound;  // NoSuchKey, NoSuchBucket
  }
  if (http_status >= 300 && http_status < 400) return StatusCode::kFailedPrecondition;
  if (http_status == 401) return StatusCode::kUnauthenticated;
  if (http_status == 403) return StatusCode::kPermissionDenied;
  if (http_status == 404) return StatusCode::kNotFound;
  if (http_status == 408) return StatusCode::kDeadlineExceeded;
  if (http_status == 429) return StatusCode::kThrottled;
  if (http_status >= 400 && http_status < 500) return StatusCode::kInvalidArgument;
  if (http_status >= 500) return StatusCode::kUnavailable;
  return StatusCode::kInternal;  // not an error status at all
}

Status StatusFromAwsError(const AwsCall& call, const HttpResponse& response,
                          ErrorProtocol protocol) {
  AwsErrorDetails details = ParseAwsError(response, protocol);
  const StatusCode code = StatusCodeForAwsError(details.code, response.status);
  std::string reason = !details.message.empty() ? details.message
                       : !details.code.empty()  ? details.code
                                                : fmt::format("HTTP {}", response.status);
  std::string message =
      call.resource.empty()
          ? fmt::format("Failed to {}: {}", call.operation, reason)
          : fmt::format("Failed to {} {}: {}", call.operation, call.resource, reason);
  return Status(code, std::move(message))
      .WithAwsError(details.code, details.request_id, response.status)
      .WithResource(call.resource);
}

}  // namespace trailhound::aws
