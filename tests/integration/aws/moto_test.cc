// The AWS client layer against a real moto server that enforces SigV4 signatures
// and IAM policies (testing::Moto): the SQS and S3 calls also run on fauxqs
// (fauxqs_test.cc), plus STS (GetCallerIdentity, AssumeRole with an external ID,
// temporary credentials used for S3 and SQS, CredentialsConfig role_arn), what a
// wrong secret, an unknown key and a missing policy permission turn into, and
// retried throttling. One moto serves the whole binary: it is started by the first
// suite that needs it (from the main test thread) and stopped after the last test.
//
// What moto 5.2.1 answers (observed):
// - wrong secret: HTTP 403 SignatureDoesNotMatch. S3 sends an <Error> body with a
//   <RequestId>; SQS (even over the JSON protocol, as text/html) and STS send
//   <ErrorResponse><Errors><Error> without one. All three send x-amzn-RequestId, which
//   becomes Status::request_id().
// - unknown access key: S3 403 InvalidAccessKeyId; SQS and STS 403 InvalidClientTokenId.
// - missing permission: S3 403 AccessDenied "Access Denied" (HEAD: 403 without a body);
//   SQS 403 AccessDenied "User: arn:... is not authorized to perform: sqs:ReceiveMessage".
#include "testing/moto.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/credentials_config.h"
#include "aws/credentials_environment.h"
#include "aws/http.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "aws/sts.h"
#include "emulator_checks.h"
#include "testing/fault_injection.h"

namespace trailhound::testing {
namespace {

constexpr char kAccount[] = "123456789012";  // moto's account id

std::string Policy(const std::string& actions_json) {
  return R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":)" + actions_json +
         R"(,"Resource":"*"}]})";
}

// Every suite shares one moto (checks::MotoSuite), stopped after the last test; clients and
// users on it.
class OnMoto : public checks::MotoSuite {
 protected:
  // Clients that sign as `credentials`.
  static aws::SqsClient Sqs(const aws::Credentials& credentials) {
    return aws::SqsClient(checks::MakeSender(credentials), checks::SqsOptionsFor(endpoint()));
  }
  static aws::S3Client S3(const aws::Credentials& credentials) {
    return aws::S3Client(checks::MakeSender(credentials), checks::S3OptionsFor(endpoint()));
  }

  static std::unique_ptr<aws::StsClient> Sts(const aws::Credentials& credentials,
                                             std::shared_ptr<aws::HttpTransport> transport = {}) {
    aws::StsOptions options;
    options.endpoint_url = endpoint();
    auto sts =
        aws::StsClient::Create(checks::MakeSender(credentials, std::move(transport)), options);
    EXPECT_TRUE(sts.ok()) << sts.status().ToString();
    return sts.ok() ? std::move(*sts) : nullptr;
  }

  // An IAM user with `actions_json` allowed on every resource.
  static aws::Credentials User(const std::string& name, const std::string& actions_json) {
    auto user = moto().CreateUser(name, Policy(actions_json));
    EXPECT_TRUE(user.ok()) << user.status().ToString();
    return user.ok() ? *user : aws::Credentials{};
  }
};

// Stops the shared moto after the last test, on the main thread.
[[maybe_unused]] ::testing::Environment* const kMotoEnvironment =
    ::testing::AddGlobalTestEnvironment(new checks::MotoEnvironment);

// moto 5.2.1 checks an S3 signature against the path and query as werkzeug re-quotes them,
// not as sent, so a key with '+', '=' or non-ASCII characters, or a listing with a prefix,
// would fail with SignatureDoesNotMatch (boto3's too). Our scripts/services/moto-server.py
// makes moto check the request target as received, as AWS does: every test below runs with
// signatures checked, awkward keys included.

// A permanent error of moto's with the AWS context we promise (code, request id, HTTP status).
void ExpectPermanentAwsError(const Status& status, StatusCode code,
                             const std::string& aws_error_code) {
  EXPECT_EQ(status.code(), code) << status.ToString();
  EXPECT_FALSE(status.IsRetriable()) << status.ToString();
  EXPECT_EQ(status.aws_error_code(), aws_error_code) << status.ToString();
  EXPECT_FALSE(status.request_id().empty()) << status.ToString();
  EXPECT_EQ(status.http_status(), 403) << status.ToString();
}

// ---------------------------------------------------------------------------------------------

class SqsOnMoto : public OnMoto {};

TEST_F(SqsOnMoto, LongPollOnAnEmptyQueueWaitsAndReturnsNothing) {
  aws::SqsClient sqs = AdminSqs();
  checks::LongPollOnAnEmptyQueueWaitsAndReturnsNothing(sqs, "empty-long-poll");
}

TEST_F(SqsOnMoto, LongPollReturnsAMessageSentDuringTheWait) {
  aws::SqsClient sqs = AdminSqs();
  checks::LongPollReturnsAMessageSentDuringTheWait(sqs, "sent-during-wait");
}

TEST_F(SqsOnMoto, VisibilityZeroRedeliversWithReceiveCountTwo) {
  aws::SqsClient sqs = AdminSqs();
  checks::VisibilityZeroRedeliversWithReceiveCountTwo(sqs, "visibility-zero");
}

TEST_F(SqsOnMoto, VisibilityBatchRedeliversEveryEntry) {
  aws::SqsClient sqs = AdminSqs();
  checks::ExpectOnlyTheBogusEntryFailed(checks::VisibilityBatchRedeliversEveryEntry(sqs, "vb"));
}

TEST_F(SqsOnMoto, LongPollReceivesThenBatchDeletes) {
  aws::SqsClient sqs = AdminSqs();
  checks::ExpectOnlyTheBogusEntryFailed(checks::BatchDeletedMessagesDoNotComeBack(sqs, "bd"));
}

TEST_F(SqsOnMoto, GetQueueAttributesAndGetQueueUrl) {
  aws::SqsClient sqs = AdminSqs();
  checks::QueueAttributesAndUrl(sqs, "attributes");
}

TEST_F(SqsOnMoto, ThrottledReceiveSucceedsOnTheThirdAttempt) {
  checks::ThrottledReceiveSucceedsOnTheThirdAttempt(endpoint(), moto().admin(), "throttled");
}

// ---------------------------------------------------------------------------------------------

class S3OnMoto : public OnMoto {};

TEST_F(S3OnMoto, AwkwardKeysRoundTripByteForByte) {
  aws::S3Client s3 = AdminS3();
  checks::KeysRoundTripByteForByte(s3, "awkward-keys", checks::AwkwardKeys());
}

TEST_F(S3OnMoto, ListObjectsV2PaginatesWithPrefixAndStartAfter) {
  aws::S3Client s3 = AdminS3();
  checks::KeysRoundTripByteForByte(s3, "listing", checks::AwkwardKeys());
  checks::ListingPaginates(s3, "listing", checks::AwkwardKeys());
  checks::ListingHonoursPrefixStartAfterAndDelimiter(s3, "listing", checks::AwkwardKeys(),
                                                     "AWSLogs/a b+c%d/");
}

TEST_F(S3OnMoto, GetObjectStreamsAndHonoursRanges) {
  aws::S3Client s3 = AdminS3();
  checks::StreamedAndRangedGetObject(s3, "streamed", "AWSLogs/big object.bin");
}

TEST_F(S3OnMoto, ThrottledGetObjectSucceedsOnTheThirdAttempt) {
  checks::ThrottledGetObjectSucceedsOnTheThirdAttempt(endpoint(), moto().admin(), "throttled");
}

// ---------------------------------------------------------------------------------------------

class StsOnMoto : public OnMoto {
 protected:
  static constexpr char kExternalId[] = "trailhound-external-id-42";

  // A role "<name>" that user "<name>-assumer" may assume with kExternalId, allowed to read
  // S3 and to use SQS but not to write S3; returns its ARN and the user's keys.
  static std::pair<std::string, aws::Credentials> RoleAndAssumer(const std::string& name) {
    const std::string assumer = name + "-assumer";
    const std::string trust =
        std::string(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)") +
        R"("Principal":{"AWS":"arn:aws:iam::)" + kAccount + ":user/" + assumer + R"("},)" +
        R"("Action":"sts:AssumeRole","Condition":{"StringEquals":{"sts:ExternalId":")" +
        kExternalId + R"("}}}]})";
    auto role = moto().CreateRole(
        name, trust,
        Policy(R"(["s3:GetObject","s3:ListBucket","sqs:SendMessage","sqs:ReceiveMessage",)"
               R"("sqs:DeleteMessage","sqs:GetQueueUrl"])"));
    EXPECT_TRUE(role.ok()) << role.status().ToString();
    aws::Credentials user = User(assumer, R"(["sts:AssumeRole"])");
    return {role.ok() ? *role : std::string(), user};
  }

  // The admin's bucket with one object and queue, for the role to use.
  static void MakeBucketAndQueue(const std::string& bucket, const std::string& queue,
                                 std::string* queue_url) {
    aws::S3Client s3 = AdminS3();
    ASSERT_TRUE(s3.CreateBucket(bucket).ok());
    ASSERT_TRUE(s3.PutObject(bucket, "AWSLogs/role.json", "{\"role\":1}").ok());
    aws::SqsClient sqs = AdminSqs();
    auto url = sqs.CreateQueue(queue);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    *queue_url = *url;
  }

  // The role's permissions, exercised with `credentials`: S3 reads and SQS work, S3 writes
  // do not (so they are the role's, not the assumer's or the admin's).
  static void ExpectRolePermissions(std::shared_ptr<aws::CredentialsProvider> credentials,
                                    const std::string& bucket, const std::string& queue_url) {
    auto sender = std::make_shared<aws::AwsRequestSender>(
        aws::MakeCurlHttpTransport(), std::move(credentials), checks::FastRetries());
    aws::S3Client s3(sender, checks::S3OptionsFor(endpoint()));
    auto body = s3.GetObjectToString(bucket, "AWSLogs/role.json");
    ASSERT_TRUE(body.ok()) << body.status().ToString();
    EXPECT_EQ(*body, "{\"role\":1}");
    aws::S3ListRequest list;
    list.bucket = bucket;
    auto listed = s3.ListAllObjects(list);
    ASSERT_TRUE(listed.ok()) << listed.status().ToString();
    EXPECT_EQ(listed->size(), 1u);
    auto put = s3.PutObject(bucket, "AWSLogs/not-allowed.json", "{}");
    EXPECT_EQ(put.status().code(), StatusCode::kPermissionDenied) << put.status().ToString();

    aws::SqsClient sqs(sender, checks::SqsOptionsFor(endpoint()));
    auto id = sqs.SendMessage(queue_url, "from the role");
    ASSERT_TRUE(id.ok()) << id.status().ToString();
    auto received = checks::ReceiveAtLeast(sqs, queue_url, 1);
    ASSERT_EQ(received.size(), 1u);
    EXPECT_EQ(received[0].message_id, *id);
    Status deleted = sqs.DeleteMessage(queue_url, received[0].receipt_handle);
    EXPECT_TRUE(deleted.ok()) << deleted.ToString();
  }
};

TEST_F(StsOnMoto, GetCallerIdentityNamesTheUser) {
  aws::Credentials user = User("identity", R"(["s3:ListAllMyBuckets"])");
  auto sts = Sts(user);
  ASSERT_NE(sts, nullptr);
  EXPECT_EQ(sts->endpoint(), endpoint() + "/");
  auto identity = sts->GetCallerIdentity();
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_EQ(identity->account, kAccount);
  EXPECT_EQ(identity->arn, std::string("arn:aws:iam::") + kAccount + ":user/identity");
  EXPECT_FALSE(identity->user_id.empty());
}

TEST_F(StsOnMoto, AssumeRoleWithExternalIdGivesCredentialsThatWorkForS3AndSqs) {
  auto [role_arn, assumer] = RoleAndAssumer("reader");
  ASSERT_FALSE(role_arn.empty());
  std::string queue_url;
  ASSERT_NO_FATAL_FAILURE(MakeBucketAndQueue("role-bucket", "role-queue", &queue_url));

  auto sts = Sts(assumer);
  ASSERT_NE(sts, nullptr);
  aws::AssumeRoleRequest request;
  request.role_arn = role_arn;
  request.role_session_name = "trailhound-it";
  request.external_id = kExternalId;
  request.duration_secs = 900;
  auto credentials = sts->AssumeRole(request);
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_TRUE(credentials->access_key_id.starts_with("ASIA")) << credentials->access_key_id;
  EXPECT_FALSE(credentials->secret_access_key.empty());
  EXPECT_FALSE(credentials->session_token.empty());
  ASSERT_TRUE(credentials->expiration.has_value());
  EXPECT_GT(*credentials->expiration, std::chrono::system_clock::now());
  EXPECT_EQ(credentials->source, "assume-role " + role_arn);

  auto as_role = Sts(*credentials);
  ASSERT_NE(as_role, nullptr);
  auto identity = as_role->GetCallerIdentity();
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_EQ(identity->arn,
            std::string("arn:aws:sts::") + kAccount + ":assumed-role/reader/trailhound-it");

  ExpectRolePermissions(aws::MakeStaticCredentialsProvider(*credentials), "role-bucket", queue_url);

  // The session token is part of the credentials: without it the key is not accepted.
  aws::Credentials without_token = *credentials;
  without_token.session_token = Secret();
  aws::S3Client s3 = S3(without_token);
  auto denied = s3.GetObjectToString("role-bucket", "AWSLogs/role.json");
  ASSERT_FALSE(denied.ok());
  EXPECT_EQ(denied.status().code(), StatusCode::kUnauthenticated) << denied.status().ToString();
  EXPECT_FALSE(denied.status().IsRetriable());
}

TEST_F(StsOnMoto, AssumeRoleWithAWrongExternalIdIsDenied) {
  auto [role_arn, assumer] = RoleAndAssumer("guarded");
  ASSERT_FALSE(role_arn.empty());
  auto sts = Sts(assumer);
  ASSERT_NE(sts, nullptr);
  aws::AssumeRoleRequest request;
  request.role_arn = role_arn;
  request.role_session_name = "trailhound-it";
  request.external_id = "not-the-external-id";
  auto credentials = sts->AssumeRole(request);
  ASSERT_FALSE(credentials.ok());
  ExpectPermanentAwsError(credentials.status(), StatusCode::kPermissionDenied, "AccessDenied");
  EXPECT_EQ(credentials.status().resource(), role_arn);
}

TEST_F(StsOnMoto, CredentialsConfigWithRoleArnAssumesTheRoleThroughMoto) {
  auto [role_arn, assumer] = RoleAndAssumer("configured");
  ASSERT_FALSE(role_arn.empty());
  std::string queue_url;
  ASSERT_NO_FATAL_FAILURE(MakeBucketAndQueue("config-bucket", "config-queue", &queue_url));

  aws::CredentialsConfig config;
  config.access_key_id = assumer.access_key_id;
  config.secret_access_key = assumer.secret_access_key;
  config.role_arn = role_arn;
  config.external_id = kExternalId;
  config.role_session_name = "from-config";
  aws::CredentialsEnvironment env;
  env.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  env.transport = aws::MakeCurlHttpTransport();
  env.default_region = checks::kRegion;
  env.sts_endpoint_url = endpoint();
  env.retry = checks::FastRetries();
  auto provider = aws::MakeCredentialsProvider(config, env);
  ASSERT_TRUE(provider.ok()) << provider.status().ToString();

  auto credentials = (*provider)->GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_TRUE(credentials->access_key_id.starts_with("ASIA")) << credentials->access_key_id;
  EXPECT_FALSE(credentials->session_token.empty());
  EXPECT_NE(credentials->source.find(role_arn), std::string::npos) << credentials->source;
  ExpectRolePermissions(*provider, "config-bucket", queue_url);

  // The same configuration with a wrong external ID fails every call, naming the denial.
  config.external_id = "not-the-external-id";
  auto wrong = aws::MakeCredentialsProvider(config, env);
  ASSERT_TRUE(wrong.ok()) << wrong.status().ToString();
  auto wrong_credentials = (*wrong)->GetCredentials();
  ASSERT_FALSE(wrong_credentials.ok());
  EXPECT_EQ(wrong_credentials.status().code(), StatusCode::kPermissionDenied)
      << wrong_credentials.status().ToString();
  EXPECT_EQ(wrong_credentials.status().aws_error_code(), "AccessDenied")
      << wrong_credentials.status().ToString();
}

// ---------------------------------------------------------------------------------------------

class SignaturesOnMoto : public OnMoto {};

TEST_F(SignaturesOnMoto, WrongSecretIsAPermanentSignatureDoesNotMatch) {
  aws::S3Client admin_s3 = AdminS3();
  ASSERT_TRUE(admin_s3.CreateBucket("signatures").ok());
  ASSERT_TRUE(admin_s3.PutObject("signatures", "AWSLogs/x.json", "{}").ok());
  auto queue_url = AdminSqs().CreateQueue("signatures");
  ASSERT_TRUE(queue_url.ok()) << queue_url.status().ToString();

  aws::Credentials wrong = moto().admin();
  wrong.secret_access_key = Secret("not-the-secret-access-key");
  // A transport that only counts: each failure must be a single attempt (not retried).
  auto counter = std::make_shared<FaultInjectingTransport>(aws::MakeCurlHttpTransport());
  auto sender = checks::MakeSender(wrong, counter);

  aws::S3Client s3(sender, checks::S3OptionsFor(endpoint()));
  auto object = s3.GetObjectToString("signatures", "AWSLogs/x.json");
  ASSERT_FALSE(object.ok());
  ExpectPermanentAwsError(object.status(), StatusCode::kUnauthenticated, "SignatureDoesNotMatch");
  EXPECT_EQ(object.status().resource(), "s3://signatures/AWSLogs/x.json");
  EXPECT_EQ(counter->calls(), 1);

  aws::SqsClient sqs(sender, checks::SqsOptionsFor(endpoint()));
  aws::SqsReceiveOptions no_wait;
  no_wait.wait_time_secs = 0;
  auto messages = sqs.ReceiveMessage(*queue_url, no_wait);
  ASSERT_FALSE(messages.ok());
  ExpectPermanentAwsError(messages.status(), StatusCode::kUnauthenticated, "SignatureDoesNotMatch");
  EXPECT_EQ(messages.status().resource(), *queue_url);
  EXPECT_EQ(counter->calls(), 2);

  auto sts = Sts(wrong, counter);
  ASSERT_NE(sts, nullptr);
  auto identity = sts->GetCallerIdentity();
  ASSERT_FALSE(identity.ok());
  ExpectPermanentAwsError(identity.status(), StatusCode::kUnauthenticated, "SignatureDoesNotMatch");
  EXPECT_EQ(counter->calls(), 3);
}

TEST_F(SignaturesOnMoto, UnknownAccessKeyIsRejectedAsInvalid) {
  aws::S3Client admin_s3 = AdminS3();
  ASSERT_TRUE(admin_s3.CreateBucket("unknown-key").ok());
  auto queue_url = AdminSqs().CreateQueue("unknown-key");
  ASSERT_TRUE(queue_url.ok()) << queue_url.status().ToString();

  aws::Credentials unknown;
  unknown.access_key_id = "AKIAUNKNOWNKEY000000";
  unknown.secret_access_key = Secret("whatever");
  auto counter = std::make_shared<FaultInjectingTransport>(aws::MakeCurlHttpTransport());
  auto sender = checks::MakeSender(unknown, counter);

  aws::S3Client s3(sender, checks::S3OptionsFor(endpoint()));
  auto object = s3.GetObjectToString("unknown-key", "AWSLogs/x.json");
  ASSERT_FALSE(object.ok());
  ExpectPermanentAwsError(object.status(), StatusCode::kUnauthenticated, "InvalidAccessKeyId");

  // SQS and STS name an unknown key InvalidClientTokenId, as AWS does.
  aws::SqsClient sqs(sender, checks::SqsOptionsFor(endpoint()));
  auto sent = sqs.SendMessage(*queue_url, "never");
  ASSERT_FALSE(sent.ok());
  ExpectPermanentAwsError(sent.status(), StatusCode::kUnauthenticated, "InvalidClientTokenId");

  auto sts = Sts(unknown, counter);
  ASSERT_NE(sts, nullptr);
  auto identity = sts->GetCallerIdentity();
  ASSERT_FALSE(identity.ok());
  ExpectPermanentAwsError(identity.status(), StatusCode::kUnauthenticated, "InvalidClientTokenId");
  EXPECT_EQ(counter->calls(), 3) << "an authentication failure was retried";
}

// ---------------------------------------------------------------------------------------------

class PermissionsOnMoto : public OnMoto {};

TEST_F(PermissionsOnMoto, UserWithoutGetObjectIsDeniedNamingTheObject) {
  aws::S3Client admin_s3 = AdminS3();
  ASSERT_TRUE(admin_s3.CreateBucket("no-get").ok());
  ASSERT_TRUE(admin_s3.PutObject("no-get", "AWSLogs/secret.json", "{}").ok());
  aws::Credentials lister = User("lister", R"(["s3:ListBucket"])");

  aws::S3Client s3 = S3(lister);
  aws::S3ListRequest list;
  list.bucket = "no-get";
  auto listed = s3.ListAllObjects(list);
  ASSERT_TRUE(listed.ok()) << "the user may list: " << listed.status().ToString();
  ASSERT_EQ(listed->size(), 1u);

  auto object = s3.GetObjectToString("no-get", "AWSLogs/secret.json");
  ASSERT_FALSE(object.ok());
  ExpectPermanentAwsError(object.status(), StatusCode::kPermissionDenied, "AccessDenied");
  EXPECT_EQ(object.status().resource(), "s3://no-get/AWSLogs/secret.json");
  EXPECT_NE(object.status().message().find("s3://no-get/AWSLogs/secret.json"), std::string::npos)
      << object.status().ToString();

  // HEAD responses have no body: the denial is known from the HTTP status alone.
  auto head = s3.HeadObject("no-get", "AWSLogs/secret.json");
  ASSERT_FALSE(head.ok());
  EXPECT_EQ(head.status().code(), StatusCode::kPermissionDenied) << head.status().ToString();
  EXPECT_FALSE(head.status().IsRetriable());
  EXPECT_EQ(head.status().resource(), "s3://no-get/AWSLogs/secret.json");
}

TEST_F(PermissionsOnMoto, SameUserReadsOnceItsPolicyGrantsGetObject) {
  aws::S3Client admin_s3 = AdminS3();
  ASSERT_TRUE(admin_s3.CreateBucket("granted").ok());
  ASSERT_TRUE(admin_s3.PutObject("granted", "AWSLogs/log.json", "{\"read\":true}").ok());
  aws::Credentials reader = User("reader-later", R"(["s3:ListBucket"])");
  aws::S3Client s3 = S3(reader);

  auto before = s3.GetObjectToString("granted", "AWSLogs/log.json");
  ASSERT_FALSE(before.ok());
  EXPECT_EQ(before.status().code(), StatusCode::kPermissionDenied) << before.status().ToString();

  ASSERT_TRUE(
      moto().PutUserPolicy("reader-later", Policy(R"(["s3:ListBucket","s3:GetObject"])")).ok());
  auto after = s3.GetObjectToString("granted", "AWSLogs/log.json");
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  EXPECT_EQ(*after, "{\"read\":true}");
}

TEST_F(PermissionsOnMoto, UserWithoutReceiveMessageIsDeniedNamingTheQueue) {
  auto queue_url = AdminSqs().CreateQueue("no-receive");
  ASSERT_TRUE(queue_url.ok()) << queue_url.status().ToString();
  aws::Credentials sender = User("sender-only", R"(["sqs:SendMessage","sqs:GetQueueUrl"])");
  aws::SqsClient sqs = Sqs(sender);

  auto sent = sqs.SendMessage(*queue_url, "can send");
  ASSERT_TRUE(sent.ok()) << "the user may send: " << sent.status().ToString();

  aws::SqsReceiveOptions no_wait;
  no_wait.wait_time_secs = 0;
  auto messages = sqs.ReceiveMessage(*queue_url, no_wait);
  ASSERT_FALSE(messages.ok());
  ExpectPermanentAwsError(messages.status(), StatusCode::kPermissionDenied, "AccessDenied");
  EXPECT_EQ(messages.status().resource(), *queue_url);
  EXPECT_NE(messages.status().message().find(*queue_url), std::string::npos)
      << messages.status().ToString();
  EXPECT_NE(messages.status().message().find("sqs:ReceiveMessage"), std::string::npos)
      << messages.status().ToString();
}

}  // namespace
}  // namespace trailhound::testing
