#include "aws/retry.h"

#include <gtest/gtest.h>

namespace trailhound::aws {
namespace {

using std::chrono::milliseconds;

TEST(ShouldRetry, RetriesRetriableFailuresUntilTheLastAttempt) {
  RetryOptions options;  // 3 attempts
  for (const Status& s : {Status::Throttled("SlowDown"), Status::Unavailable("HTTP 503"),
                          Status::DeadlineExceeded("read timeout"),
                          Status::Unavailable("Connection reset by peer")}) {
    EXPECT_TRUE(ShouldRetry(s, 1, options)) << s.ToString();
    EXPECT_TRUE(ShouldRetry(s, 2, options)) << s.ToString();
    EXPECT_FALSE(ShouldRetry(s, 3, options)) << s.ToString();
  }
}

TEST(ShouldRetry, NeverRetriesPermanentFailures) {
  RetryOptions options;
  options.max_attempts = 10;
  for (const Status& s :
       {Status::OK(), Status::PermissionDenied("x").WithAwsError("AccessDenied", "r", 403),
        Status::NotFound("x").WithAwsError("NoSuchKey", "r", 404),
        Status::Unauthenticated("x").WithAwsError("InvalidClientTokenId", "r", 403),
        Status::Unauthenticated("x").WithAwsError("SignatureDoesNotMatch", "r", 403),
        Status::InvalidArgument("bad"), Status::ResourceExhausted("too big"),
        Status::Corruption("bad gzip"), Status::Cancelled("shutdown")}) {
    EXPECT_FALSE(ShouldRetry(s, 1, options)) << s.ToString();
  }
}

TEST(ShouldRetry, NeverRetriesAccessDeniedEvenWithARetriableCode) {
  Status odd = Status::Unavailable("x").WithAwsError("AccessDenied", "r", 503);
  EXPECT_FALSE(ShouldRetry(odd, 1, RetryOptions{}));
}

TEST(ShouldRetry, OneAttemptMeansNoRetry) {
  RetryOptions options;
  options.max_attempts = 1;
  EXPECT_FALSE(ShouldRetry(Status::Unavailable("x"), 1, options));
}

TEST(BackoffDelay, GrowsExponentiallyUpToTheCap) {
  RetryOptions options;
  options.base_delay = milliseconds(100);
  options.max_delay = milliseconds(1000);
  Status s = Status::Unavailable("HTTP 500");
  const double almost_one = 0.999999;
  EXPECT_EQ(BackoffDelay(s, 1, options, almost_one), milliseconds(99));
  EXPECT_EQ(BackoffDelay(s, 2, options, almost_one), milliseconds(199));
  EXPECT_EQ(BackoffDelay(s, 3, options, almost_one), milliseconds(399));
  EXPECT_EQ(BackoffDelay(s, 4, options, almost_one), milliseconds(799));
  EXPECT_EQ(BackoffDelay(s, 5, options, almost_one), milliseconds(999));
  EXPECT_EQ(BackoffDelay(s, 500, options, almost_one), milliseconds(999));
}

TEST(BackoffDelay, IsFullyJittered) {
  RetryOptions options;
  Status s = Status::Unavailable("HTTP 500");
  EXPECT_EQ(BackoffDelay(s, 3, options, 0.0), milliseconds(0));
  EXPECT_EQ(BackoffDelay(s, 3, options, 0.5), milliseconds(200));  // half of 100·2²
}

TEST(BackoffDelay, ThrottlingStartsFromTheLargerBase) {
  RetryOptions options;
  options.base_delay = milliseconds(100);
  options.throttle_base_delay = milliseconds(500);
  EXPECT_EQ(BackoffDelay(Status::Throttled("SlowDown"), 1, options, 0.5), milliseconds(250));
  EXPECT_EQ(BackoffDelay(Status::Unavailable("503"), 1, options, 0.5), milliseconds(50));
}

TEST(BackoffDelay, NeverExceedsTheCapForHugeAttemptNumbers) {
  RetryOptions options;
  for (int attempt : {31, 64, 1000, 1 << 30}) {
    EXPECT_LE(BackoffDelay(Status::Throttled("x"), attempt, options, 0.999), options.max_delay);
  }
}

}  // namespace
}  // namespace trailhound::aws
