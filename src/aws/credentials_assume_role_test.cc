#include "aws/credentials_assume_role.h"

#include <gtest/gtest.h>

#include "aws/credentials_test_util.h"

namespace trailhound::aws {
namespace {

using std::chrono::minutes;

class AssumeRoleTest : public ::testing::Test {
 protected:
  AssumeRoleTest()
      : vars_(std::make_shared<std::map<std::string, std::string>>()),
        sts_(&clock_),
        env_(test::TestEnvironment(vars_, &clock_)) {
    env_.sts_endpoint_url = sts_.url();
    Credentials base;
    base.access_key_id = "AKIABASE00000000";
    base.secret_access_key = Secret("basesecret");
    base_ = MakeStaticCredentialsProvider(base);
  }

  AssumeRoleOptions Options() {
    AssumeRoleOptions options;
    options.role_arn = "arn:aws:iam::123456789012:role/reader";
    return options;
  }

  testing::FakeClock clock_;
  test::EnvVars vars_;
  test::FakeSts sts_;
  CredentialsEnvironment env_;
  std::shared_ptr<CredentialsProvider> base_;
};

TEST_F(AssumeRoleTest, RefreshesTheRoleBeforeItExpires) {
  sts_.set_lifetime(std::chrono::seconds(900));
  auto provider = MakeAssumeRoleCredentialsProvider(env_, base_, Options());
  ASSERT_TRUE(provider.ok()) << provider.status().ToString();
  EXPECT_EQ((*provider)->GetCredentials()->access_key_id, "ASIAFAKE1");
  clock_.Advance(minutes(9));
  EXPECT_EQ((*provider)->GetCredentials()->access_key_id, "ASIAFAKE1");
  clock_.Advance(minutes(2));  // 4 minutes left
  EXPECT_EQ((*provider)->GetCredentials()->access_key_id, "ASIAFAKE2");
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_TRUE(calls[0].form["RoleSessionName"].starts_with("trailhound-"));
  EXPECT_NE(calls[1].authorization.find("Credential=AKIABASE00000000/"), std::string::npos);
  EXPECT_NE(calls[1].authorization.find("/eu-west-1/sts/"), std::string::npos);
}

TEST_F(AssumeRoleTest, FailedRefreshServesTheValidRoleThenFails) {
  sts_.set_lifetime(std::chrono::seconds(900));
  auto provider = *MakeAssumeRoleCredentialsProvider(env_, base_, Options());
  ASSERT_TRUE(provider->GetCredentials().ok());
  sts_.FailWith(403, "AccessDenied");
  clock_.Advance(minutes(11));
  EXPECT_EQ(provider->GetCredentials()->access_key_id, "ASIAFAKE1");
  clock_.Advance(minutes(4));
  auto expired = provider->GetCredentials();
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(expired.status().message().find("expired at"), std::string::npos);
  EXPECT_NE(expired.status().message().find("trust policy"), std::string::npos)
      << expired.status().message();
}

TEST_F(AssumeRoleTest, AccessDeniedNamesTheRoleTheSourceAndTheFix) {
  sts_.FailWith(403, "AccessDenied");
  auto options = Options();
  options.external_id = "ext-1";
  auto credentials = (*MakeAssumeRoleCredentialsProvider(env_, base_, options))->GetCredentials();
  ASSERT_FALSE(credentials.ok());
  const std::string& message = credentials.status().message();
  EXPECT_NE(message.find("arn:aws:iam::123456789012:role/reader"), std::string::npos);
  EXPECT_NE(message.find("static key AKIA****0000"), std::string::npos) << message;
  EXPECT_NE(message.find("with this external_id"), std::string::npos);
  EXPECT_EQ(credentials.status().request_id(), "req-fail");
}

TEST(AssumeRoleValidation, NamesTheFieldAndTheRule) {
  EXPECT_TRUE(ValidateRoleArn("role_arn", "arn:aws:iam::123456789012:role/path/name").ok());
  EXPECT_TRUE(ValidateRoleArn("role_arn", "arn:aws-cn:iam::123456789012:role/x").ok());
  EXPECT_EQ(ValidateRoleArn("role_arn", "reader").message(),
            "role_arn 'reader' is not an IAM role ARN (it must start with 'arn:'); expected "
            "arn:aws:iam::123456789012:role/name");
  EXPECT_FALSE(ValidateRoleArn("role_arn", "arn:aws:iam::12345:role/x").ok());
  EXPECT_FALSE(ValidateRoleArn("role_arn", "arn:aws:iam::123456789012:user/x").ok());
  EXPECT_FALSE(ValidateRoleArn("role_arn", "arn:aws:s3:::bucket").ok());
  EXPECT_TRUE(ValidateRoleSessionName("n", "trailhound-1@host").ok());
  EXPECT_FALSE(ValidateRoleSessionName("n", "has space").ok());
  EXPECT_FALSE(ValidateExternalId("e", "x").ok());
  EXPECT_TRUE(ValidateDurationSecs("d", 0).ok());
  EXPECT_TRUE(ValidateDurationSecs("d", 900).ok());
  EXPECT_FALSE(ValidateDurationSecs("d", 60).ok());
  EXPECT_FALSE(ValidateDurationSecs("d", 50000).ok());
}

}  // namespace
}  // namespace trailhound::aws
