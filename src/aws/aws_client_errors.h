// Reading AWS error responses: the error document (JSON or XML, see ErrorProtocol)
// and headers give the AWS error code, message and request id; the code and HTTP
// status give the StatusCode. StatusFromAwsError() in aws_client.h builds on these;
// they are exposed for tests and fuzzers.
// Errors: none; an unreadable body yields empty fields. Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "aws/aws_client.h"
#include "aws/http.h"
#include "core/status.h"

namespace trailhound::aws {

struct AwsErrorDetails {
  std::string code;        // "NoSuchKey", "AWS.SimpleQueueService.NonExistentQueue"; "" if none
  std::string message;     // the service's human-readable message; "" if none
  std::string request_id;  // x-amz-request-id, x-amzn-RequestId, the body's, or x-amz-id-2
  std::string resource;    // S3's <Resource>, "" elsewhere
  std::string region;      // S3's <Region> (AuthorizationHeaderMalformed), "" elsewhere
};

// Reads `response` as an error of a service speaking `protocol`. A body in the other
// format (a JSON error from an XML service, or the reverse) is still understood.
AwsErrorDetails ParseAwsError(const HttpResponse& response, ErrorProtocol protocol);

// The StatusCode for an AWS error code, falling back to the HTTP status when the code
// is empty or unknown (403 → kPermissionDenied, 404 → kNotFound, 429 → kThrottled,
// 5xx → kUnavailable, 3xx → kFailedPrecondition, other 4xx → kInvalidArgument).
StatusCode StatusCodeForAwsError(std::string_view code, int http_status);

}  // namespace trailhound::aws
