#include "sources/sqs_s3/hints.h"

#include <gtest/gtest.h>

namespace trailhound::sources {
namespace {

HintContext Context(AwsOperation operation) {
  HintContext c;
  c.operation = operation;
  c.queue_url = "https://sqs.ap-northeast-3.amazonaws.com/123456789012/cloudtrail-siem";
  c.queue_arn = "arn:aws:sqs:ap-northeast-3:123456789012:cloudtrail-siem";
  c.bucket = "org-trail-logs";
  c.key = "AWSLogs/123456789012/CloudTrail/ap-northeast-3/2025/01/01/x.json.gz";
  c.access_key_id_masked = "AKIA…MPLE";
  return c;
}

Status Aws(Status status, const char* code, int http) {
  return status.WithAwsError(code, "req-1", http);
}

TEST(Hints, AccessDeniedOnGetObjectNamesThePermissionTheObjectsAndKms) {
  std::string hint = HintFor(Aws(Status::PermissionDenied("Access Denied"), "AccessDenied", 403),
                             Context(AwsOperation::kGetObject))
                         .text;
  EXPECT_NE(hint.find("s3:GetObject"), std::string::npos) << hint;
  EXPECT_NE(hint.find("arn:aws:s3:::org-trail-logs/*"), std::string::npos) << hint;
  EXPECT_NE(hint.find("bucket policy"), std::string::npos) << hint;
  EXPECT_NE(hint.find("kms:Decrypt"), std::string::npos) << hint;
}

TEST(Hints, ArnsFollowThePartition) {
  HintContext c = Context(AwsOperation::kGetObject);
  c.partition = "aws-us-gov";
  std::string hint = HintFor(Aws(Status::PermissionDenied("denied"), "AccessDenied", 403), c).text;
  EXPECT_NE(hint.find("arn:aws-us-gov:s3:::org-trail-logs/*"), std::string::npos) << hint;
}

TEST(Hints, AWrongBucketRegionNamesTheRightOne) {
  HintContext c = Context(AwsOperation::kGetObject);
  c.configured_bucket_region = "us-east-1";
  c.actual_bucket_region = "ap-northeast-3";
  std::string hint =
      HintFor(Aws(Status::FailedPrecondition("moved"), "PermanentRedirect", 301), c).text;
  EXPECT_NE(hint.find("bucket_region: ap-northeast-3"), std::string::npos) << hint;
}

TEST(Hints, CredentialErrorsSayWhichCredentialIsWrong) {
  auto c = Context(AwsOperation::kReceiveMessage);
  std::string unknown =
      HintFor(Aws(Status::Unauthenticated("x"), "InvalidClientTokenId", 403), c).text;
  EXPECT_NE(unknown.find("AKIA…MPLE"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("access_key_id"), std::string::npos) << unknown;
  std::string secret =
      HintFor(Aws(Status::Unauthenticated("x"), "SignatureDoesNotMatch", 403), c).text;
  EXPECT_NE(secret.find("secret_access_key"), std::string::npos) << secret;
  std::string expired = HintFor(Aws(Status::Unauthenticated("x"), "ExpiredToken", 400), c).text;
  EXPECT_NE(expired.find("expired"), std::string::npos) << expired;
}

TEST(Hints, AMissingQueueSaysSo) {
  std::string hint =
      HintFor(Aws(Status::NotFound("x"), "AWS.SimpleQueueService.NonExistentQueue", 400),
              Context(AwsOperation::kReceiveMessage))
          .text;
  EXPECT_NE(hint.find("does not exist"), std::string::npos) << hint;
  EXPECT_NE(hint.find("queue_url"), std::string::npos) << hint;
}

TEST(Hints, AccessDeniedOnTheQueueNamesTheActionAndTheQueueArn) {
  std::string hint = HintFor(Aws(Status::PermissionDenied("x"), "AccessDenied", 403),
                             Context(AwsOperation::kDeleteMessageBatch))
                         .text;
  EXPECT_NE(hint.find("sqs:DeleteMessage"), std::string::npos) << hint;
  EXPECT_NE(hint.find("arn:aws:sqs:ap-northeast-3:123456789012:cloudtrail-siem"), std::string::npos)
      << hint;
}

TEST(Hints, ANotificationNobodyUnderstandsPointsAtTheDlq) {
  std::string hint = HintFor(Status::InvalidArgument("message 'm' is not a notification"),
                             Context(AwsOperation::kDecode))
                         .text;
  EXPECT_NE(hint.find("DLQ"), std::string::npos) << hint;
}

}  // namespace
}  // namespace trailhound::sources
