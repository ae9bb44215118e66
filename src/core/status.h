// Status: the outcome of an operation that can fail. Trailhound's one error type.
// A Status is either OK or carries a code from a small closed set, a message that
// names the object ("Failed to fetch s3://bucket/key: ..."), and, for AWS calls,
// the AWS error code, request id, HTTP status and resource. Retriable codes
// (throttling, unavailable, timeouts) are separated from permanent ones.
// Thread safety: a Status is an immutable value; copies are cheap (shared rep).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace trailhound {

// A closed set; callers branch on these, never on message text.
enum class StatusCode : uint8_t {
  kOk = 0,
  kInvalidArgument,     // bad input, bad config, bad query
  kNotFound,            // NoSuchKey, QueueDoesNotExist, missing file
  kPermissionDenied,    // AccessDenied, KMS denied
  kUnauthenticated,     // InvalidClientTokenId, SignatureDoesNotMatch, ExpiredToken
  kCorruption,          // corrupt object, truncated gzip, invalid JSON
  kResourceExhausted,   // a limit of ours was hit (size, bomb guard); permanent
  kThrottled,           // ThrottlingException, SlowDown, RequestLimitExceeded; retriable
  kUnavailable,         // 5xx, connection refused or reset; retriable
  kDeadlineExceeded,    // connect/read timeout; retriable
  kIoError,             // local disk
  kCancelled,           // shutdown
  kFailedPrecondition,  // wrong state (e.g. wrong bucket region)
  kAlreadyExists,
  kUnimplemented,
  kInternal,  // a bug of ours
};

std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  // An OK status.
  Status() = default;
  Status(StatusCode code, std::string message);

  static Status OK() { return Status(); }
  static Status InvalidArgument(std::string message);
  static Status NotFound(std::string message);
  static Status PermissionDenied(std::string message);
  static Status Unauthenticated(std::string message);
  static Status Corruption(std::string message);
  static Status ResourceExhausted(std::string message);
  static Status Throttled(std::string message);
  static Status Unavailable(std::string message);
  static Status DeadlineExceeded(std::string message);
  static Status IoError(std::string message);
  static Status Cancelled(std::string message);
  static Status FailedPrecondition(std::string message);
  static Status AlreadyExists(std::string message);
  static Status Unimplemented(std::string message);
  static Status Internal(std::string message);

  bool ok() const { return rep_ == nullptr; }
  StatusCode code() const;
  // The message without the code name; "" for OK.
  const std::string& message() const;
  // True when trying the same operation again may succeed (throttling, 5xx, timeouts).
  bool IsRetriable() const;

  // AWS context; empty / 0 when the status did not come from an AWS response.
  const std::string& aws_error_code() const;  // "AccessDenied", "SlowDown", ...
  const std::string& request_id() const;      // x-amz-request-id / x-amzn-RequestId
  const std::string& resource() const;        // "s3://bucket/key", queue URL, ...
  int http_status() const;

  // Return a copy with AWS context attached. REQUIRES: !ok().
  Status WithAwsError(std::string_view aws_error_code, std::string_view request_id,
                      int http_status) const;
  Status WithResource(std::string_view resource) const;
  // Return a copy whose message is "context: message". OK stays OK.
  Status Annotate(std::string_view context) const;

  // "PermissionDenied: Failed to fetch s3://b/k: Access Denied (AccessDenied, HTTP 403,
  // request id 4442587FB7D0A2F9)" or "OK".
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b);

 private:
  struct Rep {
    StatusCode code;
    std::string message;
    std::string aws_error_code;
    std::string request_id;
    std::string resource;
    int http_status = 0;
  };
  explicit Status(std::shared_ptr<const Rep> rep) : rep_(std::move(rep)) {}
  std::shared_ptr<const Rep> rep_;  // null means OK
};

}  // namespace trailhound
