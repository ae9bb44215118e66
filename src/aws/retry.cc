#include "aws/retry.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>

namespace trailhound::aws {
namespace {

// AWS error codes that no number of attempts will fix, whatever StatusCode they were
// mapped to: a belt-and-braces guard for statuses built outside StatusFromAwsError().
constexpr std::array<std::string_view, 8> kNeverRetried = {
    "AccessDenied",       "AccessDeniedException",       "NoSuchKey",
    "NoSuchBucket",       "InvalidClientTokenId",        "SignatureDoesNotMatch",
    "InvalidAccessKeyId", "UnrecognizedClientException",
};

// Past this many doublings every delay is capped anyway; keeps 2^n finite.
constexpr int kMaxDoublings = 30;

}  // namespace

bool ShouldRetry(const Status& status, int attempt, const RetryOptions& options) {
  if (status.ok() || !status.IsRetriable()) return false;
  if (attempt >= options.max_attempts) return false;
  const std::string& code = status.aws_error_code();
  return std::find(kNeverRetried.begin(), kNeverRetried.end(), code) == kNeverRetried.end();
}

std::chrono::milliseconds BackoffDelay(const Status& status, int attempt,
                                       const RetryOptions& options, double random01) {
  const std::chrono::milliseconds base =
      status.code() == StatusCode::kThrottled ? options.throttle_base_delay : options.base_delay;
  const int doublings = std::clamp(attempt - 1, 0, kMaxDoublings);
  const double ceiling = std::min(static_cast<double>(options.max_delay.count()),
                                  static_cast<double>(base.count()) * std::ldexp(1.0, doublings));
  const double jitter = std::clamp(random01, 0.0, 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(std::floor(ceiling * jitter)));
}

}  // namespace trailhound::aws
