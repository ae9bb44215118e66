// AwsRequestSender: the one place where an AWS call is signed, sent, retried and
// its error response turned into a Status. The SQS, S3 and STS clients build an
// AwsCall and hand it here.
// - Credentials are fetched per attempt (temporary ones may have been refreshed)
//   and the request is re-signed per attempt with the clock's current time.
// - Retriable failures (throttling, 5xx, timeouts, resets) are retried with capped
//   exponential backoff and full jitter (retry.h); permanent ones are not.
// - A streamed call is not retried once a body byte has reached its sink: the
//   caller owns the partial data and decides (e.g. the S3 fetcher restarts).
// - Error statuses carry the AWS error code, request id, HTTP status, and the
//   call's resource ("Failed to GetObject s3://b/k: Access Denied").
// Thread safety: Send() may be called from many threads at once.
#pragma once

#include <memory>
#include <string>

#include "aws/credentials.h"
#include "aws/http.h"
#include "aws/retry.h"
#include "aws/sigv4.h"
#include "core/clock.h"
#include "core/result.h"

namespace trailhound::aws {

// How the service formats its error documents.
enum class ErrorProtocol {
  kJson,  // {"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "..."} (SQS JSON)
  kXml,   // <Error><Code>..</Code><Message>..</Message><RequestId>..</RequestId></Error>
          // (S3) or <ErrorResponse><Error>..</Error><RequestId>..</RequestId></ErrorResponse>
          // (STS, IAM and other query-protocol services)
};

struct AwsCall {
  std::string operation;   // "GetObject", "ReceiveMessage": names the call in errors
  std::string resource;    // "s3://bucket/key", the queue URL: names the object in errors
  HttpRequest request;     // URL, method, body and unsigned headers (Content-Type, X-Amz-Target)
  SigningOptions signing;  // region, service, path and payload rules; `time` is set per attempt
  ErrorProtocol errors = ErrorProtocol::kXml;
  const BodySink* sink = nullptr;             // stream a 2xx body here instead of buffering
  const HttpOptions* http_options = nullptr;  // per-call override of the transport's options
};

class AwsRequestSender {
 public:
  AwsRequestSender(std::shared_ptr<HttpTransport> transport,
                   std::shared_ptr<CredentialsProvider> credentials, RetryOptions retry = {},
                   Clock* clock = SystemClock());

  // A 2xx response, or the failure as a Status (see the header comment).
  // A 3xx response is returned as a failure with kFailedPrecondition and the
  // response's x-amz-bucket-region in the message so S3 can follow a region redirect;
  // use SendRaw() to see the response itself.
  Result<HttpResponse> Send(const AwsCall& call);

  // Like Send() but returns any completed HTTP exchange (also 3xx/4xx/5xx after
  // retries are exhausted) so the caller can inspect headers; transport failures
  // are still a Status.
  Result<HttpResponse> SendRaw(const AwsCall& call);

  const std::shared_ptr<CredentialsProvider>& credentials() const { return credentials_; }
  const std::shared_ptr<HttpTransport>& transport() const { return transport_; }

 private:
  std::shared_ptr<HttpTransport> transport_;
  std::shared_ptr<CredentialsProvider> credentials_;
  RetryOptions retry_;
  Clock* clock_;
};

// The Status for an AWS error response: maps the AWS error code and HTTP status to a
// StatusCode (AccessDenied → kPermissionDenied, SignatureDoesNotMatch → kUnauthenticated,
// SlowDown → kThrottled, 5xx → kUnavailable, NoSuchKey → kNotFound, ...) and attaches the
// code, request id, HTTP status and resource. Exposed for tests and for the S3 HEAD case
// (no body, so the code comes from the HTTP status).
Status StatusFromAwsError(const AwsCall& call, const HttpResponse& response,
                          ErrorProtocol protocol);

}  // namespace trailhound::aws
