#include "aws/sts.h"

#include <gtest/gtest.h>

#include "aws/credentials_test_util.h"

namespace trailhound::aws {
namespace {

using std::chrono::seconds;

class StsTest : public ::testing::Test {
 protected:
  StsTest() : sts_(&clock_) {}

  std::unique_ptr<StsClient> Client(std::shared_ptr<CredentialsProvider> credentials) {
    RetryOptions retry;
    retry.max_attempts = 1;
    auto sender = std::make_shared<AwsRequestSender>(
        MakeCurlHttpTransport(), credentials ? credentials : MakeStaticCredentialsProvider({}),
        retry, &clock_);
    StsOptions options;
    options.region = "ap-northeast-3";
    options.endpoint_url = sts_.url();
    options.clock = &clock_;
    auto client = StsClient::Create(std::move(sender), options);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return std::move(client).value();
  }

  static std::shared_ptr<CredentialsProvider> SourceKeys() {
    Credentials source;
    source.access_key_id = "AKIASOURCE0000000001";
    source.secret_access_key = Secret("sourcesecret");
    return MakeStaticCredentialsProvider(source);
  }

  testing::FakeClock clock_;
  test::FakeSts sts_;
};

TEST_F(StsTest, GetCallerIdentityReadsAccountArnAndUserId) {
  auto identity = Client(SourceKeys())->GetCallerIdentity();
  ASSERT_TRUE(identity.ok()) << identity.status().ToString();
  EXPECT_EQ(identity->account, "123456789012");
  EXPECT_EQ(identity->arn, "arn:aws:iam::123456789012:user/collector");
  EXPECT_EQ(identity->user_id, "AIDAEXAMPLE");
  ASSERT_EQ(sts_.calls().size(), 1u);
  EXPECT_EQ(sts_.calls()[0].form.at("Version"), "2011-06-15");
}

TEST_F(StsTest, AssumeRoleSendsFormFieldsSignedWithSourceCredentials) {
  AssumeRoleRequest request;
  request.role_arn = "arn:aws:iam::123456789012:role/trail reader";
  request.role_session_name = "collector@host";
  request.external_id = "ext-42/x";
  request.duration_secs = 1800;
  auto credentials = Client(SourceKeys())->AssumeRole(request);
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAFAKE1");
  EXPECT_EQ(credentials->secret_access_key.Reveal(), "stssecret1");
  EXPECT_EQ(credentials->session_token.Reveal(), "ststoken1");
  ASSERT_TRUE(credentials->expiration.has_value());
  EXPECT_EQ(*credentials->expiration, clock_.Now() + seconds(3600));
  EXPECT_EQ(credentials->source, "assume-role arn:aws:iam::123456789012:role/trail reader");

  ASSERT_EQ(sts_.calls().size(), 1u);
  const auto call = sts_.calls()[0];
  EXPECT_EQ(call.form.at("Action"), "AssumeRole");
  EXPECT_EQ(call.form.at("RoleArn"), request.role_arn);
  EXPECT_EQ(call.form.at("RoleSessionName"), "collector@host");
  EXPECT_EQ(call.form.at("ExternalId"), "ext-42/x");
  EXPECT_EQ(call.form.at("DurationSeconds"), "1800");
  EXPECT_TRUE(call.authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIASOURCE0000000001/"))
      << call.authorization;
  EXPECT_NE(call.authorization.find("/ap-northeast-3/sts/aws4_request"), std::string::npos);
}

TEST_F(StsTest, AssumeRoleOmitsOptionalFields) {
  AssumeRoleRequest request;
  request.role_arn = "arn:aws:iam::123456789012:role/r";
  request.role_session_name = "s1";
  ASSERT_TRUE(Client(SourceKeys())->AssumeRole(request).ok());
  const auto form = sts_.calls()[0].form;
  EXPECT_EQ(form.count("ExternalId"), 0u);
  EXPECT_EQ(form.count("DurationSeconds"), 0u);
}

TEST_F(StsTest, AssumeRoleWithWebIdentityIsUnsigned) {
  WebIdentityRequest request;
  request.role_arn = "arn:aws:iam::123456789012:role/irsa";
  request.role_session_name = "pod";
  request.web_identity_token = Secret("eyJhbGciOi.jwt.token");
  auto credentials = Client(nullptr)->AssumeRoleWithWebIdentity(request);
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAFAKE1");
  EXPECT_EQ(credentials->source, "web-identity arn:aws:iam::123456789012:role/irsa");
  const auto call = sts_.calls()[0];
  EXPECT_EQ(call.form.at("Action"), "AssumeRoleWithWebIdentity");
  EXPECT_EQ(call.form.at("WebIdentityToken"), "eyJhbGciOi.jwt.token");
  EXPECT_EQ(call.form.at("RoleSessionName"), "pod");
  EXPECT_TRUE(call.authorization.empty()) << call.authorization;
  EXPECT_TRUE(call.security_token.empty());
}

TEST_F(StsTest, ErrorResponseBecomesStatusWithAwsCode) {
  sts_.FailWith(403, "AccessDenied");
  AssumeRoleRequest request;
  request.role_arn = "arn:aws:iam::123456789012:role/r";
  request.role_session_name = "s1";
  auto credentials = Client(SourceKeys())->AssumeRole(request);
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(credentials.status().aws_error_code(), "AccessDenied");
  EXPECT_EQ(credentials.status().request_id(), "req-fail");
}

TEST_F(StsTest, UnsignedCallRetriesServerErrors) {
  sts_.FailWith(503, "ServiceUnavailable");
  Credentials none;
  auto sender = std::make_shared<AwsRequestSender>(MakeCurlHttpTransport(),
                                                   MakeStaticCredentialsProvider(none));
  StsOptions options;
  options.endpoint_url = sts_.url();
  options.clock = &clock_;
  options.retry.max_attempts = 3;
  auto client = StsClient::Create(sender, options);
  ASSERT_TRUE(client.ok());
  WebIdentityRequest request;
  request.role_arn = "arn:aws:iam::123456789012:role/irsa";
  request.role_session_name = "pod";
  request.web_identity_token = Secret("tok");
  auto credentials = (*client)->AssumeRoleWithWebIdentity(request);
  EXPECT_EQ(credentials.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(sts_.calls().size(), 3u);
  EXPECT_EQ(clock_.sleeps().size(), 2u);
}

TEST_F(StsTest, MalformedSuccessIsCorruptionWithoutBody) {
  testing::LocalHttpServer server;
  server.server().Post("/", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(
        "<AssumeRoleResponse><AssumeRoleResult><Credentials><SecretAccessKey>leak"
        "</SecretAccessKey></Credentials></AssumeRoleResult></AssumeRoleResponse>",
        "text/xml");
  });
  ASSERT_TRUE(test::StartServer(server).ok());
  auto sender = std::make_shared<AwsRequestSender>(MakeCurlHttpTransport(), SourceKeys());
  StsOptions options;
  options.endpoint_url = server.url();
  auto client = StsClient::Create(sender, options);
  ASSERT_TRUE(client.ok());
  AssumeRoleRequest request;
  request.role_arn = "arn:aws:iam::123456789012:role/r";
  request.role_session_name = "s1";
  auto credentials = (*client)->AssumeRole(request);
  ASSERT_EQ(credentials.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(credentials.status().ToString().find("leak"), std::string::npos);
}

TEST(StsClient, UsesRegionalEndpointByDefault) {
  auto sender = std::make_shared<AwsRequestSender>(MakeCurlHttpTransport(),
                                                   MakeStaticCredentialsProvider({}));
  StsOptions options;
  options.region = "cn-north-1";
  auto client = StsClient::Create(sender, options);
  ASSERT_TRUE(client.ok());
  EXPECT_EQ((*client)->endpoint(), "https://sts.cn-north-1.amazonaws.com.cn/");
  options.endpoint_url = "http://127.0.0.1:4566";
  auto custom = StsClient::Create(sender, options);
  ASSERT_TRUE(custom.ok());
  EXPECT_EQ((*custom)->endpoint(), "http://127.0.0.1:4566/");
  options.endpoint_url = "sts.local";
  EXPECT_EQ(StsClient::Create(sender, options).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace trailhound::aws
