#include "aws/credentials_chain.h"

#include <gtest/gtest.h>

#include "aws/credentials_test_util.h"

namespace trailhound::aws {
namespace {

using std::chrono::hours;

// Answers IMDSv2, the ECS endpoint (/ecs) and STS, each with its own key id.
class ChainTest : public ::testing::Test {
 protected:
  ChainTest()
      : vars_(std::make_shared<std::map<std::string, std::string>>()),
        sts_(&clock_),
        env_(test::TestEnvironment(vars_, &clock_, home_.path())) {
    env_.sts_endpoint_url = sts_.url();
    auto& s = metadata_.server();
    s.Put("/latest/api/token", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("tok", "text/plain");
    });
    s.Get("/latest/meta-data/iam/security-credentials/",
          [](const httplib::Request& req, httplib::Response& res) {
            if (req.get_header_value("X-aws-ec2-metadata-token") != "tok") res.status = 401;
            res.set_content("role", "text/plain");
          });
    s.Get("/latest/meta-data/iam/security-credentials/role",
          [this](const httplib::Request&, httplib::Response& res) { Document(res, "ASIAIMDS"); });
    s.Get("/ecs",
          [this](const httplib::Request&, httplib::Response& res) { Document(res, "ASIAECS"); });
    EXPECT_TRUE(test::StartServer(metadata_).ok());
    (*vars_)["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = metadata_.url();
  }

  void Document(httplib::Response& res, const std::string& key) {
    res.set_content(R"({"AccessKeyId":")" + key +
                        R"(","SecretAccessKey":"x","Token":"y","Expiration":")" +
                        FormatAwsTimestamp(clock_.Now() + hours(6)) + "\"}",
                    "application/json");
  }

  std::string KeyFromChain() {
    auto credentials = MakeDefaultCredentialsChain(env_)->GetCredentials();
    return credentials.ok() ? credentials->access_key_id : credentials.status().ToString();
  }

  void SetEnvKeys() {
    (*vars_)["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT0";
    (*vars_)["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  }
  void SetProfile() {
    home_.Write(".aws/credentials",
                "[default]\naws_access_key_id = AKIAPROFILE00000\naws_secret_access_key = ps\n");
  }
  void SetWebIdentity() {
    (*vars_)["AWS_WEB_IDENTITY_TOKEN_FILE"] = home_.Write("token", "jwt");
    (*vars_)["AWS_ROLE_ARN"] = "arn:aws:iam::123456789012:role/irsa";
  }
  void SetContainer() { (*vars_)["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = metadata_.url() + "/ecs"; }

  testing::FakeClock clock_;
  test::TempDir home_;
  test::EnvVars vars_;
  test::FakeSts sts_;
  CredentialsEnvironment env_;
  testing::LocalHttpServer metadata_;
};

TEST_F(ChainTest, OrderIsEnvironmentProfileWebIdentityContainerInstanceMetadata) {
  EXPECT_EQ(KeyFromChain(), "ASIAIMDS");
  SetContainer();
  EXPECT_EQ(KeyFromChain(), "ASIAECS");
  SetWebIdentity();
  EXPECT_EQ(KeyFromChain(), "ASIAFAKE1");  // from STS AssumeRoleWithWebIdentity
  SetProfile();
  EXPECT_EQ(KeyFromChain(), "AKIAPROFILE00000");
  SetEnvKeys();
  EXPECT_EQ(KeyFromChain(), "AKIAENVIRONMENT0");
}

TEST_F(ChainTest, ProfileWithOnlySettingsPassesToTheNextLink) {
  home_.Write(".aws/config", "[default]\nregion = eu-west-1\n");
  SetContainer();
  EXPECT_EQ(KeyFromChain(), "ASIAECS");
}

TEST_F(ChainTest, AConfiguredButBrokenLinkStopsTheChain) {
  (*vars_)["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT0";  // no secret
  SetContainer();
  auto credentials = MakeDefaultCredentialsChain(env_)->GetCredentials();
  EXPECT_EQ(credentials.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(credentials.status().message().find("AWS_SECRET_ACCESS_KEY is not"), std::string::npos);
}

TEST_F(ChainTest, ExplicitAwsProfileMustExist) {
  (*vars_)["AWS_PROFILE"] = "prod";
  SetContainer();
  auto credentials = MakeDefaultCredentialsChain(env_)->GetCredentials();
  EXPECT_EQ(credentials.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(credentials.status().message().find(
                "AWS_PROFILE: profile 'prod' not found in ~/.aws/credentials or ~/.aws/config"),
            std::string::npos)
      << credentials.status().message();
}

TEST_F(ChainTest, NothingFoundListsWhatEachLinkLookedFor) {
  (*vars_)["AWS_EC2_METADATA_DISABLED"] = "true";
  auto credentials = MakeDefaultCredentialsChain(env_)->GetCredentials();
  EXPECT_EQ(credentials.status().code(), StatusCode::kNotFound);
  const std::string& message = credentials.status().message();
  for (const char* part :
       {"AWS_ACCESS_KEY_ID is not set", "profile 'default' not found",
        "AWS_WEB_IDENTITY_TOKEN_FILE is not set", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_EC2_METADATA_DISABLED", "credentials:"}) {
    EXPECT_NE(message.find(part), std::string::npos) << part << " missing from: " << message;
  }
}

TEST_F(ChainTest, UnreachableInstanceMetadataJoinsTheSummary) {
  (*vars_)["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:9";
  auto credentials = MakeDefaultCredentialsChain(env_)->GetCredentials();
  EXPECT_EQ(credentials.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(credentials.status().message().find("AWS_ACCESS_KEY_ID is not set"), std::string::npos);
  EXPECT_NE(credentials.status().message().find("127.0.0.1:9"), std::string::npos);
}

TEST_F(ChainTest, TheFirstLinkThatWorkedIsKept) {
  auto chain = MakeDefaultCredentialsChain(env_);
  EXPECT_EQ(chain->GetCredentials()->access_key_id, "ASIAIMDS");
  SetEnvKeys();
  EXPECT_EQ(chain->GetCredentials()->access_key_id, "ASIAIMDS");
  EXPECT_NE(chain->Describe().find("instance metadata"), std::string::npos) << chain->Describe();
}

}  // namespace
}  // namespace trailhound::aws
