#include "sources/sqs_s3/hints.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "aws/aws_client_errors.h"

namespace trailhound::sources {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr const char* kKey =
    "AWSLogs/123456789012/CloudTrail/ap-northeast-3/2025/01/01/"
    "123456789012_CloudTrail_ap-northeast-3_20250101T0000Z_abc.json.gz";

HintContext Context(AwsOperation operation) {
  HintContext c;
  c.operation = operation;
  c.queue_url = "https://sqs.ap-northeast-3.amazonaws.com/123456789012/cloudtrail-siem";
  c.queue_arn = "arn:aws:sqs:ap-northeast-3:123456789012:cloudtrail-siem";
  c.bucket = "org-trail-logs";
  c.key = kKey;
  c.access_key_id_masked = "AKIA****MPLE";
  return c;
}

// A Status the way the AWS client builds it from an error response.
Status Aws(std::string_view operation, std::string_view code, int http, std::string_view text) {
  std::string message = "Failed to " + std::string(operation) + ": " + std::string(text);
  return Status(aws::StatusCodeForAwsError(code, http), message)
      .WithAwsError(code, "4442587FB7D0A2F9", http);
}

std::string HintText(const Status& status, const HintContext& context) {
  return HintFor(status, context).text;
}

// ---- S3 ----

TEST(Hints, AccessDeniedOnGetObjectNamesThePermissionTheObjectsAndKms) {
  std::string hint =
      HintText(Aws("GetObject s3://org-trail-logs/k", "AccessDenied", 403, "Access Denied"),
               Context(AwsOperation::kGetObject));
  EXPECT_THAT(hint, AllOf(HasSubstr("s3:GetObject"), HasSubstr("arn:aws:s3:::org-trail-logs/*"),
                          HasSubstr("bucket policy"), HasSubstr("kms:Decrypt")));
}

TEST(Hints, A403WithoutAnErrorDocumentOnGetObjectIsAccessDenied) {
  Status status =
      Status::PermissionDenied("Failed to GetObject: HTTP 403").WithAwsError("", "", 403);
  EXPECT_THAT(HintText(status, Context(AwsOperation::kGetObject)), HasSubstr("s3:GetObject"));
}

TEST(Hints, ArnsFollowThePartition) {
  HintContext c = Context(AwsOperation::kGetObject);
  c.partition = "aws-us-gov";
  EXPECT_THAT(HintText(Aws("GetObject", "AccessDenied", 403, "Access Denied"), c),
              HasSubstr("arn:aws-us-gov:s3:::org-trail-logs/*"));
}

TEST(Hints, AKmsDenialOnGetObjectNamesKmsDecryptAndTheKeyPolicy) {
  std::string hint = HintText(
      Aws("GetObject", "AccessDenied", 403,
          "User: arn:aws:iam::123456789012:user/siem is not authorized to perform: kms:Decrypt "
          "on resource: arn:aws:kms:ap-northeast-3:123456789012:key/1234"),
      Context(AwsOperation::kGetObject));
  EXPECT_THAT(hint, AllOf(HasSubstr("kms:Decrypt"), HasSubstr("key policy")));
}

TEST(Hints, ADisabledKmsKeySaysSo) {
  std::string hint =
      HintText(Aws("GetObject", "KMS.DisabledException", 400, "arn:aws:kms:... is disabled."),
               Context(AwsOperation::kGetObject));
  EXPECT_THAT(hint, AllOf(HasSubstr("KMS key"), HasSubstr("disabled"), HasSubstr("enable")));
}

TEST(Hints, AWrongBucketRegionFromTheContextNamesTheRightOne) {
  HintContext c = Context(AwsOperation::kGetObject);
  c.configured_bucket_region = "us-east-1";
  c.actual_bucket_region = "ap-northeast-3";
  std::string hint = HintText(Aws("GetObject", "PermanentRedirect", 301, "moved"), c);
  EXPECT_THAT(hint, AllOf(HasSubstr("bucket_region: ap-northeast-3"), HasSubstr("us-east-1")));
}

TEST(Hints, AWrongBucketRegionFromTheMessageNamesTheRightOne) {
  HintContext c = Context(AwsOperation::kGetObject);
  c.configured_bucket_region = "us-east-1";
  std::string malformed =
      HintText(Aws("GetObject", "AuthorizationHeaderMalformed", 400,
                   "The authorization header is malformed; the region 'us-east-1' is wrong; "
                   "expecting 'eu-west-1'"),
               c);
  EXPECT_THAT(malformed, HasSubstr("set bucket_region: eu-west-1"));
  // The S3 client's own wording after reading x-amz-bucket-region.
  std::string redirect =
      HintText(Aws("GetObject", "PermanentRedirect", 301,
                   "The bucket you are attempting to access must be addressed using the specified "
                   "endpoint. (the bucket is in region 'ap-northeast-3')"),
               c);
  EXPECT_THAT(redirect, HasSubstr("set bucket_region: ap-northeast-3"));
}

TEST(Hints, ARedirectWithoutTheRegionStillPointsAtBucketRegion) {
  std::string hint = HintText(Status::FailedPrecondition("HTTP 301").WithAwsError("", "", 301),
                              Context(AwsOperation::kGetObject));
  EXPECT_THAT(hint, AllOf(HasSubstr("another region"), HasSubstr("bucket_region")));
}

TEST(Hints, ALearntRegionThatDiffersFromTheConfiguredOneIsAlwaysMentioned) {
  HintContext c = Context(AwsOperation::kGetObject);
  c.configured_bucket_region = "eu-central-1";
  c.actual_bucket_region = "eu-west-1";
  std::string denied = HintText(Aws("GetObject", "AccessDenied", 403, "Access Denied"), c);
  EXPECT_THAT(denied, AllOf(HasSubstr("s3:GetObject"), HasSubstr("set bucket_region: eu-west-1")));
  std::string unknown = HintText(Status::InvalidArgument("HTTP 400").WithAwsError("", "", 400), c);
  EXPECT_THAT(unknown, HasSubstr("set bucket_region: eu-west-1"));
  c.actual_bucket_region = "eu-central-1";
  EXPECT_THAT(HintText(Aws("GetObject", "AccessDenied", 403, "Access Denied"), c),
              Not(HasSubstr("bucket_region")));
}

TEST(Hints, NoSuchKeyExplainsLifecycleAndTheWrongBucket) {
  std::string hint =
      HintText(Aws("GetObject", "NoSuchKey", 404, "The specified key does not exist."),
               Context(AwsOperation::kGetObject));
  EXPECT_THAT(hint, AllOf(HasSubstr(kKey), HasSubstr("lifecycle rule"), HasSubstr("wrong bucket"),
                          HasSubstr("DLQ")));
}

TEST(Hints, NoSuchBucketSaysTheBucketDoesNotExist) {
  std::string hint =
      HintText(Aws("GetObject", "NoSuchBucket", 404, "The specified bucket does not exist"),
               Context(AwsOperation::kGetObject));
  EXPECT_THAT(hint, AllOf(HasSubstr("org-trail-logs"), HasSubstr("does not exist")));
}

TEST(Hints, BucketLevelCallsNameBucketLevelPermissions) {
  Status denied = Aws("GetBucketLocation", "AccessDenied", 403, "Access Denied");
  EXPECT_THAT(HintText(denied, Context(AwsOperation::kGetBucketLocation)),
              AllOf(HasSubstr("s3:GetBucketLocation on arn:aws:s3:::org-trail-logs"),
                    Not(HasSubstr("/*"))));
  EXPECT_THAT(HintText(denied, Context(AwsOperation::kListObjectsV2)),
              HasSubstr("s3:ListBucket on arn:aws:s3:::org-trail-logs"));
}

TEST(Hints, AnArchivedObjectNamesTheStorageClass) {
  EXPECT_THAT(HintText(Aws("GetObject", "InvalidObjectState", 403, "not valid for storage class"),
                       Context(AwsOperation::kGetObject)),
              HasSubstr("Glacier"));
}

// ---- credentials ----

TEST(Hints, AnUnknownAccessKeyShowsTheMaskedId) {
  for (const char* code : {"InvalidClientTokenId", "InvalidAccessKeyId"}) {
    std::string hint = HintText(Aws("ReceiveMessage", code, 403, "The security token ..."),
                                Context(AwsOperation::kReceiveMessage));
    EXPECT_THAT(hint, AllOf(HasSubstr("AKIA****MPLE"), HasSubstr("does not exist"),
                            HasSubstr("credentials.access_key_id")))
        << code;
  }
}

TEST(Hints, CredentialHintsDoNotDependOnTheOperation) {
  Status status = Aws("GetObject", "InvalidAccessKeyId", 403, "The AWS Access Key Id ...");
  EXPECT_EQ(HintText(status, Context(AwsOperation::kGetObject)),
            HintText(status, Context(AwsOperation::kReceiveMessage)));
}

TEST(Hints, AWrongSecretNamesTheSecretAccessKey) {
  std::string hint =
      HintText(Aws("ReceiveMessage", "SignatureDoesNotMatch", 403, "The request signature ..."),
               Context(AwsOperation::kReceiveMessage));
  EXPECT_THAT(hint, AllOf(HasSubstr("secret access key does not match"), HasSubstr("AKIA****MPLE"),
                          HasSubstr("credentials.secret_access_key")));
}

TEST(Hints, WithoutStaticKeysTheHintSpeaksOfTheCredentialsInUse) {
  HintContext c = Context(AwsOperation::kReceiveMessage);
  c.access_key_id_masked.clear();
  std::string hint =
      HintText(Aws("ReceiveMessage", "InvalidClientTokenId", 403, "The security token ..."), c);
  EXPECT_THAT(hint, HasSubstr("credentials in use"));
}

TEST(Hints, ExpiredTokensSayTheyExpiredAndHowToRefresh) {
  for (const char* code : {"ExpiredToken", "ExpiredTokenException"}) {
    std::string hint = HintText(Aws("ReceiveMessage", code, 400, "The security token expired"),
                                Context(AwsOperation::kReceiveMessage));
    EXPECT_THAT(hint, AllOf(HasSubstr("temporary credentials"), HasSubstr("expired"),
                            HasSubstr("role_arn")))
        << code;
  }
}

TEST(Hints, RequestExpiredMentionsTheClock) {
  std::string hint = HintText(Aws("ReceiveMessage", "RequestExpired", 400, "Request has expired."),
                              Context(AwsOperation::kReceiveMessage));
  EXPECT_THAT(hint, AllOf(HasSubstr("clock"), HasSubstr("expired")));
}

// ---- SQS ----

TEST(Hints, AMissingQueueSaysSo) {
  for (const char* code : {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"}) {
    std::string hint =
        HintText(Aws("ReceiveMessage", code, 400, "The specified queue does not exist."),
                 Context(AwsOperation::kReceiveMessage));
    EXPECT_THAT(hint, AllOf(HasSubstr("does not exist"), HasSubstr("queue_url"),
                            HasSubstr("cloudtrail-siem"), HasSubstr("region")))
        << code;
  }
}

TEST(Hints, AccessDeniedOnReceiveNamesTheActionTheQueuePolicyAndKms) {
  std::string hint = HintText(Aws("ReceiveMessage", "AccessDenied", 403, "Access to the resource"),
                              Context(AwsOperation::kReceiveMessage));
  EXPECT_THAT(hint, AllOf(HasSubstr("sqs:ReceiveMessage"),
                          HasSubstr("arn:aws:sqs:ap-northeast-3:123456789012:cloudtrail-siem"),
                          HasSubstr("queue policy"), HasSubstr("kms:Decrypt")));
}

// A queue URL with a typo (or naming another account) can be denied rather than missing.
TEST(Hints, AccessDeniedOnReceiveAsksToCheckThatTheQueueExists) {
  HintContext c = Context(AwsOperation::kReceiveMessage);
  std::string hint = HintText(Aws("ReceiveMessage", "AccessDenied", 403, "not authorized"), c);
  EXPECT_THAT(hint, HasSubstr("check that queue_url " + c.queue_url + " names an existing queue"));
}

TEST(Hints, AccessDeniedOnTheOtherQueueCallsNamesTheirActions) {
  const std::pair<AwsOperation, const char*> cases[] = {
      {AwsOperation::kDeleteMessageBatch, "sqs:DeleteMessage"},
      {AwsOperation::kChangeMessageVisibility, "sqs:ChangeMessageVisibility"},
      {AwsOperation::kGetQueueAttributes, "sqs:GetQueueAttributes"},
  };
  for (const auto& [operation, action] : cases) {
    std::string hint =
        HintText(Aws("call", "AccessDenied", 403, "Access denied"), Context(operation));
    EXPECT_THAT(hint, AllOf(HasSubstr(action),
                            HasSubstr("arn:aws:sqs:ap-northeast-3:123456789012:"
                                      "cloudtrail-siem"),
                            Not(HasSubstr("queue policy"))))
        << action;
  }
}

TEST(Hints, WithoutAQueueArnTheQueueUrlIsNamed) {
  HintContext c = Context(AwsOperation::kGetQueueAttributes);
  c.queue_arn.clear();
  EXPECT_THAT(HintText(Aws("GetQueueAttributes", "AccessDenied", 403, "denied"), c),
              HasSubstr(c.queue_url));
}

TEST(Hints, AKmsProblemOnAnEncryptedQueueNamesTheQueue) {
  std::string hint = HintText(Aws("ReceiveMessage", "KMS.AccessDeniedException", 400, "kms denied"),
                              Context(AwsOperation::kReceiveMessage));
  EXPECT_THAT(hint, AllOf(HasSubstr("kms:Decrypt"), HasSubstr("SSE-KMS queue")));
  std::string disabled = HintText(Aws("ReceiveMessage", "KmsDisabled", 400, "disabled"),
                                  Context(AwsOperation::kReceiveMessage));
  EXPECT_THAT(disabled, HasSubstr("disabled"));
}

TEST(Hints, AnExpiredReceiptHandleAsksForALongerVisibilityTimeout) {
  EXPECT_THAT(HintText(Aws("DeleteMessageBatch", "ReceiptHandleIsInvalid", 400, "expired"),
                       Context(AwsOperation::kDeleteMessageBatch)),
              HasSubstr("visibility_timeout_secs"));
}

// ---- transient ----

TEST(Hints, ThrottlingIsTransientAndRetried) {
  for (const char* code : {"SlowDown", "ThrottlingException", "RequestThrottled"}) {
    std::string hint = HintText(Aws("GetObject", code, 503, "Please reduce your request rate."),
                                Context(AwsOperation::kGetObject));
    EXPECT_THAT(hint, AllOf(HasSubstr("throttling"), HasSubstr("retries"))) << code;
  }
}

TEST(Hints, NetworkFailuresAskAboutTheEndpointAndProxy) {
  for (const Status& status :
       {Status::Unavailable("Failed to ReceiveMessage: Couldn't connect to server"),
        Status::DeadlineExceeded("Failed to ReceiveMessage: Timeout was reached")}) {
    std::string hint = HintText(status, Context(AwsOperation::kReceiveMessage));
    EXPECT_THAT(
        hint, AllOf(HasSubstr("cannot be reached"), HasSubstr("proxy"), HasSubstr("endpoint_url")))
        << status.ToString();
  }
}

// The messages the curl transport gives a connection reset mid-body, a body cut short and a
// connection closed before the answer: the endpoint was reached, so "cannot be reached" and
// its DNS advice would mislead.
TEST(Hints, AConnectionThatBrokeMidTransferIsRetriedNotUnreachable) {
  for (const char* failure : {"Recv failure: Connection reset by peer (curl error 56)",
                              "transfer closed with 1510 bytes remaining to read (curl error 18)",
                              "Empty reply from server (curl error 52)"}) {
    Status status = Status::Unavailable(
        std::string("Failed to GetObject s3://org-trail-logs/k: Failed to send GET "
                    "https://org-trail-logs.s3.ap-northeast-3.amazonaws.com/k: ") +
        failure);
    std::string hint = HintText(status, Context(AwsOperation::kGetObject));
    EXPECT_THAT(hint, AllOf(HasSubstr("broke during the transfer"), HasSubstr("retries"),
                            HasSubstr("re-delivers"), Not(HasSubstr("cannot be reached"))))
        << failure;
  }
}

TEST(Hints, ServerErrorsAreRetried) {
  EXPECT_THAT(HintText(Aws("GetObject", "InternalError", 500, "We encountered an internal error"),
                       Context(AwsOperation::kGetObject)),
              HasSubstr("retries"));
}

// ---- store and decoding ----

TEST(Hints, AStoreThatCannotWriteNamesTheDisk) {
  for (const Status& status : {Status::IoError("write /var/lib/trailhound/wal/000001.log: ENOSPC"),
                               Status::ResourceExhausted("disk full")}) {
    std::string hint = HintText(status, Context(AwsOperation::kStore));
    EXPECT_THAT(hint, AllOf(HasSubstr("data_dir"), HasSubstr("disk")));
  }
}

TEST(Hints, AStoreThatIsBehindIsNotANetworkProblem) {
  std::string hint =
      HintText(Status::Unavailable("the store is flushing"), Context(AwsOperation::kStore));
  EXPECT_THAT(hint, AllOf(HasSubstr("store"), Not(HasSubstr("proxy"))));
}

TEST(Hints, ACorruptObjectStaysAndGoesToTheDlq) {
  std::string hint =
      HintText(Status::Corruption("Failed to read s3://org-trail-logs/k: truncated gzip stream"),
               Context(AwsOperation::kDecode));
  EXPECT_THAT(hint, AllOf(HasSubstr("not a readable CloudTrail"), HasSubstr("stays"),
                          HasSubstr("DLQ"), HasSubstr("maxReceiveCount")));
}

TEST(Hints, AnOversizedObjectNamesTheLimits) {
  EXPECT_THAT(HintText(Status::ResourceExhausted("k is larger than max_object_mb"),
                       Context(AwsOperation::kDecode)),
              HasSubstr("max_object_mb"));
}

TEST(Hints, ANotificationNobodyUnderstandsPointsAtTheDlq) {
  EXPECT_THAT(HintText(Status::InvalidArgument("message 'm' is not a notification"),
                       Context(AwsOperation::kDecode)),
              HasSubstr("DLQ"));
}

// ---- nothing to add ----

TEST(Hints, OkAndUnknownErrorsHaveNoHint) {
  EXPECT_EQ(HintText(Status::OK(), Context(AwsOperation::kGetObject)), "");
  EXPECT_EQ(HintText(Status::Internal("a bug"), Context(AwsOperation::kReceiveMessage)), "");
}

}  // namespace
}  // namespace trailhound::sources
