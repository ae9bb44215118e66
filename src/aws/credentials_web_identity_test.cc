#include "aws/credentials_web_identity.h"

#include <gtest/gtest.h>

#include "aws/credentials_test_util.h"

namespace trailhound::aws {
namespace {

using std::chrono::minutes;

class WebIdentityTest : public ::testing::Test {
 protected:
  WebIdentityTest()
      : vars_(std::make_shared<std::map<std::string, std::string>>()),
        sts_(&clock_),
        env_(test::TestEnvironment(vars_, &clock_)) {
    env_.sts_endpoint_url = sts_.url();
  }

  testing::FakeClock clock_;
  test::TempDir dir_;
  test::EnvVars vars_;
  test::FakeSts sts_;
  CredentialsEnvironment env_;
};

TEST_F(WebIdentityTest, FromEnvironmentSendsTheTokenUnsigned) {
  (*vars_)["AWS_WEB_IDENTITY_TOKEN_FILE"] = dir_.Write("token", "jwt-one\n");
  (*vars_)["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/irsa";
  (*vars_)["AWS_ROLE_SESSION_NAME"] = "pod-abc";
  auto provider = MakeWebIdentityCredentialsProviderFromEnv(env_);
  ASSERT_TRUE(provider.ok()) << provider.status().ToString();
  auto credentials = (*provider)->GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAFAKE1");
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].form["Action"], "AssumeRoleWithWebIdentity");
  EXPECT_EQ(calls[0].form["RoleArn"], "arn:aws:iam::123456789012:role/irsa");
  EXPECT_EQ(calls[0].form["RoleSessionName"], "pod-abc");
  EXPECT_EQ(calls[0].form["WebIdentityToken"], "jwt-one");
  EXPECT_TRUE(calls[0].authorization.empty());
}

TEST_F(WebIdentityTest, RotatedTokenIsReadAtRefresh) {
  (*vars_)["AWS_WEB_IDENTITY_TOKEN_FILE"] = dir_.Write("token", "jwt-one");
  (*vars_)["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/irsa";
  auto provider = MakeWebIdentityCredentialsProviderFromEnv(env_);
  ASSERT_TRUE(provider.ok());
  ASSERT_TRUE((*provider)->GetCredentials().ok());
  dir_.Write("token", "jwt-two");
  clock_.Advance(minutes(30));
  EXPECT_EQ((*provider)->GetCredentials()->access_key_id, "ASIAFAKE1");  // cached
  clock_.Advance(minutes(26));
  EXPECT_EQ((*provider)->GetCredentials()->access_key_id, "ASIAFAKE2");
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1].form["WebIdentityToken"], "jwt-two");
  EXPECT_TRUE(calls[0].form["RoleSessionName"].starts_with("trailhound-"));
}

TEST_F(WebIdentityTest, EnvironmentNotSetIsNotFoundAndHalfSetIsAnError) {
  EXPECT_EQ(MakeWebIdentityCredentialsProviderFromEnv(env_).status().code(), StatusCode::kNotFound);
  (*vars_)["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/var/run/token";
  auto half = MakeWebIdentityCredentialsProviderFromEnv(env_);
  EXPECT_EQ(half.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(half.status().message().find("AWS_ROLE_ARN is not"), std::string::npos);
}

TEST_F(WebIdentityTest, MissingTokenFileNamesTheFile) {
  WebIdentityOptions options;
  options.role_arn = "arn:aws:iam::123456789012:role/irsa";
  options.token_file = dir_.path() + "/missing";
  auto provider = MakeWebIdentityCredentialsProvider(env_, options);
  ASSERT_TRUE(provider.ok());
  auto credentials = (*provider)->GetCredentials();
  EXPECT_EQ(credentials.status().message(), "web identity token file '" + options.token_file +
                                                "' cannot be read: No such file or directory");
  EXPECT_TRUE(sts_.calls().empty());
}

TEST_F(WebIdentityTest, RejectedTokenExplainsWhatToCheck) {
  sts_.FailWith(400, "InvalidIdentityToken");
  WebIdentityOptions options;
  options.role_arn = "arn:aws:iam::123456789012:role/irsa";
  options.token_file = dir_.Write("token", "jwt-bad");
  auto credentials = (*MakeWebIdentityCredentialsProvider(env_, options))->GetCredentials();
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.status().aws_error_code(), "InvalidIdentityToken");
  EXPECT_NE(credentials.status().message().find("OIDC provider registered in IAM"),
            std::string::npos)
      << credentials.status().message();
  EXPECT_EQ(credentials.status().ToString().find("jwt-bad"), std::string::npos);
}

}  // namespace
}  // namespace trailhound::aws
