// Retry policy like the AWS SDKs' "standard" mode: a bounded number of attempts,
// capped exponential backoff with full jitter (delay = random(0, min(cap, base·2^n))),
// retrying only retriable failures (Status::IsRetriable(): throttling, 5xx,
// timeouts, connection resets) and never AccessDenied, NoSuchKey,
// InvalidClientTokenId or SignatureDoesNotMatch.
// Thread safety: RetryOptions is a value; BackoffDelay() is safe to call concurrently.
#pragma once

#include <chrono>
#include <cstdint>

#include "core/status.h"

namespace trailhound::aws {

struct RetryOptions {
  // Total attempts including the first (the SDKs' standard mode uses 3).
  int max_attempts = 3;
  // Base of the exponential backoff.
  std::chrono::milliseconds base_delay{100};
  // Upper bound on one backoff delay (the SDKs use 20 s).
  std::chrono::milliseconds max_delay{20000};
  // Extra base for throttling errors, which need more room than transient ones.
  std::chrono::milliseconds throttle_base_delay{500};
};

// Whether a failed attempt number `attempt` (1-based) should be tried again.
bool ShouldRetry(const Status& status, int attempt, const RetryOptions& options);

// The delay before attempt `attempt + 1`, with full jitter drawn from `random01` in [0, 1).
std::chrono::milliseconds BackoffDelay(const Status& status, int attempt,
                                       const RetryOptions& options, double random01);

}  // namespace trailhound::aws
