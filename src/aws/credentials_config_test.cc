#include "aws/credentials_config.h"

#include <gtest/gtest.h>

#include "aws/credentials_test_util.h"

namespace trailhound::aws {
namespace {

class ConfigTest : public ::testing::Test {
 protected:
  ConfigTest()
      : vars_(std::make_shared<std::map<std::string, std::string>>()),
        sts_(&clock_),
        env_(test::TestEnvironment(vars_, &clock_, home_.path())) {
    env_.sts_endpoint_url = sts_.url();
    (*vars_)["AWS_EC2_METADATA_DISABLED"] = "true";
  }

  static CredentialsConfig Keys() {
    CredentialsConfig config;
    config.access_key_id = "AKIACONFIG000000";
    return config;
  }

  Result<Credentials> Get(const CredentialsConfig& config) {
    auto provider = MakeCredentialsProvider(config, env_);
    if (!provider.ok()) return provider.status();
    return (*provider)->GetCredentials();
  }

  std::string Error(const CredentialsConfig& config) {
    auto provider = MakeCredentialsProvider(config, env_);
    return provider.ok() ? "OK" : provider.status().message();
  }

  testing::FakeClock clock_;
  test::TempDir home_;
  test::EnvVars vars_;
  test::FakeSts sts_;
  CredentialsEnvironment env_;
};

TEST_F(ConfigTest, SecretInlineFromFileOrFromEnvironment) {
  auto inline_config = Keys();
  inline_config.secret_access_key = Secret("inline-secret");
  EXPECT_EQ(Get(inline_config)->secret_access_key.Reveal(), "inline-secret");

  auto file_config = Keys();
  file_config.secret_access_key_file = home_.Write("secret", "file-secret\n");
  file_config.session_token_file = home_.Write("token", "file-token\n");
  auto from_file = Get(file_config);
  ASSERT_TRUE(from_file.ok()) << from_file.status().ToString();
  EXPECT_EQ(from_file->secret_access_key.Reveal(), "file-secret");
  EXPECT_EQ(from_file->session_token.Reveal(), "file-token");
  EXPECT_EQ(from_file->access_key_id, "AKIACONFIG000000");
  EXPECT_EQ(from_file->source, "config");

  auto env_config = Keys();
  env_config.secret_access_key_env = "TH_SECRET";
  (*vars_)["TH_SECRET"] = "env-secret";
  EXPECT_EQ(Get(env_config)->secret_access_key.Reveal(), "env-secret");
  EXPECT_EQ((*MakeCredentialsProvider(env_config, env_))->Describe(),
            "static key AKIA****0000 (secret from environment variable TH_SECRET)");
}

TEST_F(ConfigTest, UnreadableSecretNamesTheFieldTheFileAndTheReason) {
  auto config = Keys();
  config.secret_access_key_file = "/etc/x";
  EXPECT_EQ(Error(config),
            "credentials: secret_access_key_file '/etc/x' cannot be read: No such file or "
            "directory");
  config.secret_access_key_file = home_.Write("empty", "\n");
  EXPECT_NE(Error(config).find("is empty"), std::string::npos);
  config.secret_access_key_file.clear();
  config.secret_access_key_env = "TH_UNSET";
  EXPECT_EQ(Error(config),
            "credentials: secret_access_key_env 'TH_UNSET': environment variable TH_UNSET is "
            "not set or empty");
}

TEST_F(ConfigTest, CombinationsAreCheckedWithTheFieldNames) {
  auto keys_only = Keys();
  EXPECT_NE(Error(keys_only).find("access_key_id needs one of secret_access_key"),
            std::string::npos);
  auto two_secrets = Keys();
  two_secrets.secret_access_key = Secret("a");
  two_secrets.secret_access_key_env = "B";
  EXPECT_NE(Error(two_secrets).find("only one of secret_access_key"), std::string::npos);
  CredentialsConfig secret_only;
  secret_only.secret_access_key_file = "/x";
  EXPECT_NE(Error(secret_only).find("needs access_key_id"), std::string::npos);
  auto with_profile = Keys();
  with_profile.secret_access_key = Secret("a");
  with_profile.profile = "prod";
  EXPECT_NE(Error(with_profile).find("exclusive"), std::string::npos);
  CredentialsConfig external_only;
  external_only.external_id = "ext-1";
  EXPECT_NE(Error(external_only).find("need role_arn"), std::string::npos);
  CredentialsConfig token_only;
  token_only.web_identity_token_file = "/t";
  EXPECT_NE(Error(token_only).find("web_identity_token_file needs role_arn"), std::string::npos);
  CredentialsConfig bad_duration;
  bad_duration.role_arn = "arn:aws:iam::123456789012:role/r";
  bad_duration.duration_secs = 60;
  EXPECT_NE(Error(bad_duration).find("duration_secs 60 is out of range"), std::string::npos);
  CredentialsConfig bad_arn;
  bad_arn.role_arn = "reader";
  EXPECT_NE(Error(bad_arn).find("role_arn 'reader' is not an IAM role ARN"), std::string::npos);
}

TEST_F(ConfigTest, MissingProfileIsAConfigurationError) {
  CredentialsConfig config;
  config.profile = "prod";
  auto provider = MakeCredentialsProvider(config, env_);
  EXPECT_EQ(provider.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(provider.status().message(),
            "credentials: profile 'prod' not found in ~/.aws/credentials or ~/.aws/config");
}

TEST_F(ConfigTest, ProfileFromTheSharedFiles) {
  home_.Write(".aws/credentials",
              "[prod]\naws_access_key_id = AKIAPROFILE00000\naws_secret_access_key = ps\n");
  CredentialsConfig config;
  config.profile = "prod";
  EXPECT_EQ(Get(config)->access_key_id, "AKIAPROFILE00000");
}

TEST_F(ConfigTest, RoleOnTopOfStaticKeys) {
  auto config = Keys();
  config.secret_access_key = Secret("basesecret");
  config.role_arn = "arn:aws:iam::210987654321:role/trail-reader";
  config.external_id = "partner-7";
  config.role_session_name = "trailhound-prod";
  config.duration_secs = 7200;
  auto credentials = Get(config);
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAFAKE1");
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].form["Action"], "AssumeRole");
  EXPECT_EQ(calls[0].form["RoleArn"], config.role_arn);
  EXPECT_EQ(calls[0].form["ExternalId"], "partner-7");
  EXPECT_EQ(calls[0].form["RoleSessionName"], "trailhound-prod");
  EXPECT_EQ(calls[0].form["DurationSeconds"], "7200");
  EXPECT_NE(calls[0].authorization.find("Credential=AKIACONFIG000000/"), std::string::npos);
  auto describe = (*MakeCredentialsProvider(config, env_))->Describe();
  EXPECT_EQ(describe,
            "assume-role arn:aws:iam::210987654321:role/trail-reader (external id set) via "
            "static key AKIA****0000 (secret inline in the config)");
}

TEST_F(ConfigTest, RoleOnTopOfTheDefaultChain) {
  (*vars_)["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT0";
  (*vars_)["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  CredentialsConfig config;
  config.role_arn = "arn:aws:iam::210987654321:role/trail-reader";
  ASSERT_TRUE(Get(config).ok());
  EXPECT_NE(sts_.calls()[0].authorization.find("Credential=AKIAENVIRONMENT0/"), std::string::npos);
}

TEST_F(ConfigTest, WebIdentityTokenFile) {
  CredentialsConfig config;
  config.role_arn = "arn:aws:iam::210987654321:role/irsa";
  config.web_identity_token_file = home_.Write("token", "jwt");
  ASSERT_TRUE(Get(config).ok());
  auto calls = sts_.calls();
  EXPECT_EQ(calls[0].form["Action"], "AssumeRoleWithWebIdentity");
  EXPECT_TRUE(calls[0].authorization.empty());
}

TEST_F(ConfigTest, EmptyConfigIsTheDefaultChain) {
  auto provider = MakeCredentialsProvider(CredentialsConfig{}, env_);
  ASSERT_TRUE(provider.ok());
  EXPECT_EQ((*provider)->Describe(), "default credentials chain");
  (*vars_)["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT0";
  (*vars_)["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  EXPECT_EQ((*provider)->GetCredentials()->access_key_id, "AKIAENVIRONMENT0");
}

}  // namespace
}  // namespace trailhound::aws
