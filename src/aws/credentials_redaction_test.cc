// Contract 1 of the AWS layer: no secret value reaches a Status message or Describe(),
// on success or error paths, for every provider. Every secret below contains "SEKRET".
#include <gtest/gtest.h>

#include "aws/credentials_assume_role.h"
#include "aws/credentials_chain.h"
#include "aws/credentials_config.h"
#include "aws/credentials_container.h"
#include "aws/credentials_env.h"
#include "aws/credentials_imds.h"
#include "aws/credentials_profile.h"
#include "aws/credentials_test_util.h"
#include "aws/credentials_web_identity.h"

namespace trailhound::aws {
namespace {

constexpr std::string_view kMarker = "SEKRET";

class RedactionTest : public ::testing::Test {
 protected:
  RedactionTest()
      : vars_(std::make_shared<std::map<std::string, std::string>>()),
        sts_(&clock_),
        env_(test::TestEnvironment(vars_, &clock_, home_.path())) {
    env_.sts_endpoint_url = sts_.url();
    (*vars_)["AWS_EC2_METADATA_DISABLED"] = "true";
    auto& s = leaky_.server();
    // Endpoints that answer with documents full of secrets but not quite right.
    s.Put("/latest/api/token", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("SEKRET-imds-session", "text/plain");
    });
    s.Get("/latest/meta-data/iam/security-credentials/",
          [](const httplib::Request&, httplib::Response& res) {
            res.set_content("role", "text/plain");
          });
    s.Get("/latest/meta-data/iam/security-credentials/role",
          [](const httplib::Request&, httplib::Response& res) {
            res.set_content(R"({"Code":"Success","SecretAccessKey":"SEKRET-imds","Token":)",
                            "application/json");
          });
    s.Get("/ecs-denied", [](const httplib::Request&, httplib::Response& res) {
      res.status = 403;
      res.set_content(R"({"code":"Denied","message":"no"})", "application/json");
    });
    s.Get("/ecs-bad-expiration", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"AccessKeyId":"ASIA1","SecretAccessKey":"SEKRET-ecs",)"
                      R"("Token":"SEKRET-ecs-session","Expiration":"soon"})",
                      "application/json");
    });
    EXPECT_TRUE(test::StartServer(leaky_).ok());
  }

  // Records a provider's Describe() before and after GetCredentials(), and the Status.
  void Check(const std::string& what, const std::shared_ptr<CredentialsProvider>& provider) {
    Observe(what + " Describe()", provider->Describe());
    auto credentials = provider->GetCredentials();
    if (credentials.ok()) {
      Observe(what + " source", credentials->source);
    } else {
      Observe(what + " status", credentials.status().ToString());
    }
    Observe(what + " Describe() after", provider->Describe());
  }
  void Check(const std::string& what, const Result<std::shared_ptr<CredentialsProvider>>& made) {
    if (!made.ok()) {
      Observe(what + " status", made.status().ToString());
      return;
    }
    Check(what, *made);
  }
  void Observe(const std::string& what, const std::string& text) {
    ++observed_;
    EXPECT_EQ(text.find(kMarker), std::string::npos) << what << " leaks a secret: " << text;
  }

  testing::FakeClock clock_;
  test::TempDir home_;
  test::EnvVars vars_;
  test::FakeSts sts_;
  CredentialsEnvironment env_;
  testing::LocalHttpServer leaky_;
  int observed_ = 0;
};

TEST_F(RedactionTest, ConfigProvidersOnEveryPath) {
  CredentialsConfig wrong_field;
  wrong_field.access_key_id = "SEKRETwJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY";
  wrong_field.secret_access_key = Secret("SEKRET-inline");
  Check("secret in access_key_id", MakeCredentialsProvider(wrong_field, env_));

  CredentialsConfig unreadable;
  unreadable.access_key_id = "AKIACONFIG000000";
  unreadable.secret_access_key_file = home_.path();  // a directory
  Check("directory as secret file", MakeCredentialsProvider(unreadable, env_));

  CredentialsConfig missing_token;
  missing_token.access_key_id = "AKIACONFIG000000";
  missing_token.secret_access_key_file = home_.Write("secret", "SEKRET-file");
  missing_token.session_token_env = "TH_TOKEN";
  Check("unset token variable", MakeCredentialsProvider(missing_token, env_));
  missing_token.session_token_env.clear();
  Check("secret file", MakeCredentialsProvider(missing_token, env_));

  CredentialsConfig two_tokens = missing_token;
  two_tokens.session_token = Secret("SEKRET-token-a");
  two_tokens.session_token_file = "/b";
  Check("two tokens", MakeCredentialsProvider(two_tokens, env_));

  CredentialsConfig role = missing_token;
  role.role_arn = "arn:aws:iam::123456789012:role/r";
  role.external_id = "ext-1";
  Check("assumed role", MakeCredentialsProvider(role, env_));
  sts_.FailWith(403, "AccessDenied");
  Check("denied role", MakeCredentialsProvider(role, env_));
  sts_.FailWith(0, "");
  EXPECT_GT(observed_, 10);
}

TEST_F(RedactionTest, EnvironmentAndProfiles) {
  (*vars_)["AWS_SECRET_ACCESS_KEY"] = "SEKRET-env";
  (*vars_)["AWS_SESSION_TOKEN"] = "SEKRET-env-token";
  Check("env without key id", MakeEnvironmentCredentialsProvider(env_));
  Check("chain with broken env", MakeDefaultCredentialsChain(env_));
  (*vars_)["AWS_ACCESS_KEY_ID"] = "AKIAENVIRONMENT0";
  (*vars_)["AWS_CREDENTIAL_EXPIRATION"] = "not-a-time";
  Check("env with bad expiration", MakeEnvironmentCredentialsProvider(env_));
  vars_->erase("AWS_CREDENTIAL_EXPIRATION");
  Check("env", MakeEnvironmentCredentialsProvider(env_));
  Check("chain", MakeDefaultCredentialsChain(env_));
  vars_->clear();
  (*vars_)["AWS_EC2_METADATA_DISABLED"] = "true";

  home_.Write(".aws/credentials",
              "[good]\naws_access_key_id = AKIAPROFILE00000\naws_secret_access_key = "
              "SEKRET-profile\naws_session_token = SEKRET-profile-token\n"
              "[half]\naws_secret_access_key = SEKRET-half\n"
              "[role]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = good\n");
  for (const char* profile : {"good", "half", "role", "missing"}) {
    Check(std::string("profile ") + profile, MakeProfileCredentialsProvider(env_, profile));
  }
  home_.Write(".aws/credentials", "[broken]\nSEKRET-pasted-without-equals\n");
  Check("broken file", MakeProfileCredentialsProvider(env_, "broken"));
  Check("chain with broken file", MakeDefaultCredentialsChain(env_));
}

TEST_F(RedactionTest, WebIdentityContainerAndInstanceMetadata) {
  WebIdentityOptions web;
  web.role_arn = "arn:aws:iam::123456789012:role/irsa";
  web.token_file = home_.Write("jwt", "SEKRET-jwt");
  Check("web identity", MakeWebIdentityCredentialsProvider(env_, web));
  sts_.FailWith(400, "InvalidIdentityToken");
  Check("rejected web identity", MakeWebIdentityCredentialsProvider(env_, web));
  sts_.FailWith(0, "");

  (*vars_)["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "SEKRET-ecs-auth";
  (*vars_)["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = leaky_.url() + "/ecs-denied";
  Check("denied container", MakeContainerCredentialsProvider(env_));
  (*vars_)["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = leaky_.url() + "/ecs-bad-expiration";
  Check("container bad expiration", MakeContainerCredentialsProvider(env_));
  (*vars_)["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "SEKRET\nwith-newline";
  Check("container token with newline", MakeContainerCredentialsProvider(env_));
  vars_->erase("AWS_CONTAINER_AUTHORIZATION_TOKEN");
  vars_->erase("AWS_CONTAINER_CREDENTIALS_FULL_URI");

  vars_->erase("AWS_EC2_METADATA_DISABLED");
  (*vars_)["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = leaky_.url();
  Check("truncated instance metadata", MakeInstanceMetadataCredentialsProvider(env_));
  Check("chain ending in instance metadata", MakeDefaultCredentialsChain(env_));
}

TEST_F(RedactionTest, ExpiredRoleWhoseRefreshFails) {
  Credentials base;
  base.access_key_id = "AKIABASE00000000";
  base.secret_access_key = Secret("SEKRET-base");
  AssumeRoleOptions options;
  options.role_arn = "arn:aws:iam::123456789012:role/r";
  auto provider =
      MakeAssumeRoleCredentialsProvider(env_, MakeStaticCredentialsProvider(base), options);
  ASSERT_TRUE(provider.ok());
  Check("role", *provider);
  sts_.FailWith(403, "AccessDenied");
  clock_.Advance(std::chrono::hours(2));
  Check("expired role", *provider);
}

}  // namespace
}  // namespace trailhound::aws
