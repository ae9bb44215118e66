#include "core/status.h"

#include <gtest/gtest.h>

#include "core/result.h"

namespace trailhound {
namespace {

TEST(Status, DefaultIsOk) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.ToString(), "OK");
  EXPECT_FALSE(s.IsRetriable());
}

TEST(Status, OnlyThrottlingUnavailableAndTimeoutsAreRetriable) {
  EXPECT_TRUE(Status::Throttled("x").IsRetriable());
  EXPECT_TRUE(Status::Unavailable("x").IsRetriable());
  EXPECT_TRUE(Status::DeadlineExceeded("x").IsRetriable());
  EXPECT_FALSE(Status::PermissionDenied("x").IsRetriable());
  EXPECT_FALSE(Status::Unauthenticated("x").IsRetriable());
  EXPECT_FALSE(Status::NotFound("x").IsRetriable());
  EXPECT_FALSE(Status::Corruption("x").IsRetriable());
  EXPECT_FALSE(Status::ResourceExhausted("x").IsRetriable());
}

TEST(Status, ToStringNamesAwsCodeRequestIdAndResource) {
  Status s =
      Status::PermissionDenied("Failed to GetObject s3://logs/AWSLogs/a.json.gz: Access Denied")
          .WithAwsError("AccessDenied", "4442587FB7D0A2F9", 403)
          .WithResource("s3://logs/AWSLogs/a.json.gz");
  EXPECT_EQ(s.aws_error_code(), "AccessDenied");
  EXPECT_EQ(s.request_id(), "4442587FB7D0A2F9");
  EXPECT_EQ(s.http_status(), 403);
  EXPECT_EQ(s.ToString(),
            "PermissionDenied: Failed to GetObject s3://logs/AWSLogs/a.json.gz: Access Denied "
            "(AccessDenied, HTTP 403, request id 4442587FB7D0A2F9)");
}

TEST(Status, ResourceIsShownWhenTheMessageDoesNotNameIt) {
  Status s = Status::NotFound("queue does not exist").WithResource("https://sqs/q");
  EXPECT_EQ(s.ToString(), "NotFound: queue does not exist (resource https://sqs/q)");
}

TEST(Status, AnnotatePrefixesContextAndKeepsCode) {
  Status s = Status::Corruption("invalid gzip header").Annotate("s3://b/k");
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
  EXPECT_EQ(s.message(), "s3://b/k: invalid gzip header");
  EXPECT_TRUE(Status::OK().Annotate("ctx").ok());
}

TEST(Status, CopiesAreEqual) {
  Status a = Status::Throttled("slow down").WithAwsError("SlowDown", "id", 503);
  Status b = a;
  EXPECT_EQ(a, b);
  EXPECT_FALSE(a == Status::Throttled("slow down"));
}

Result<int> Half(int x) {
  if (x % 2 != 0) return Status::InvalidArgument("odd");
  return x / 2;
}

Status Quarter(int x, int* out) {
  TH_ASSIGN_OR_RETURN(int half, Half(x));
  TH_ASSIGN_OR_RETURN(*out, Half(half));
  return Status::OK();
}

TEST(Result, HoldsValueOrStatus) {
  Result<int> good = Half(8);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 4);
  EXPECT_TRUE(good.status().ok());
  Result<int> bad = Half(3);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.value_or(-1), -1);
}

TEST(Result, MacrosPropagateTheFirstError) {
  int out = 0;
  EXPECT_TRUE(Quarter(8, &out).ok());
  EXPECT_EQ(out, 2);
  EXPECT_EQ(Quarter(6, &out).code(), StatusCode::kInvalidArgument);
}

TEST(Result, OkStatusWithoutValueBecomesInternalError) {
  Result<std::string> r{Status::OK()};
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInternal);
}

}  // namespace
}  // namespace trailhound
