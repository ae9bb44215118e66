#include "aws/credentials_profile.h"

#include <gtest/gtest.h>

#include "aws/credentials_profile_file.h"
#include "aws/credentials_test_util.h"

namespace trailhound::aws {
namespace {

using test::FakeSts;
using test::TempDir;

TEST(ProfileFile, ConfigNeedsProfilePrefixAndCredentialsDoesNot) {
  auto files = ProfileFiles::FromText(
      "[default]\nregion = eu-west-1\n"
      "[profile prod]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
      "[sso-session corp]\nsso_region = us-east-1\n"
      "[staging]\nregion = us-east-2\n",
      "[default]\naws_access_key_id = AKIADEFAULT\n"
      "[prod]\naws_access_key_id = AKIAPROD\n"
      "[profile dev]\naws_access_key_id = AKIADEV\n");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_NE(files->Find("default"), nullptr);
  EXPECT_EQ(ProfileGet(*files->Find("default"), "region"), "eu-west-1");
  EXPECT_EQ(ProfileGet(*files->Find("default"), "aws_access_key_id"), "AKIADEFAULT");
  ASSERT_NE(files->Find("prod"), nullptr);
  EXPECT_EQ(ProfileGet(*files->Find("prod"), "role_arn"), "arn:aws:iam::123456789012:role/r");
  EXPECT_EQ(ProfileGet(*files->Find("prod"), "aws_access_key_id"), "AKIAPROD");
  EXPECT_EQ(files->Find("corp"), nullptr);
  EXPECT_EQ(files->Find("staging"), nullptr);  // config without "profile " prefix
  EXPECT_EQ(files->Find("dev"), nullptr);      // credentials with "profile " prefix
  EXPECT_NE(files->NotFoundMessage("staging").find("write [profile staging] in ~/.aws/config"),
            std::string::npos)
      << files->NotFoundMessage("staging");
  EXPECT_NE(files->NotFoundMessage("dev").find("[dev] in ~/.aws/credentials"), std::string::npos);
  EXPECT_EQ(files->NotFoundMessage("nope"),
            "profile 'nope' not found in ~/.aws/credentials or ~/.aws/config");
}

TEST(ProfileFile, CommentsCaseWhitespaceAndContinuations) {
  auto files = ProfileFiles::FromText(
      "# leading comment\n"
      "; another\n"
      "[ profile   spaced ]   # comment after a section\n"
      "  Region=ap-northeast-3   ; inline comment\n"
      "s3 =\n"
      "  max_concurrent_requests = 20\n"
      "AWS_ACCESS_KEY_ID = AKIA#NOTACOMMENT\r\n"
      "role_session_name=\n",
      "");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  const ProfileSettings* p = files->Find("spaced");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(ProfileGet(*p, "region"), "ap-northeast-3");
  EXPECT_EQ(ProfileGet(*p, "aws_access_key_id"), "AKIA#NOTACOMMENT");
  EXPECT_EQ(ProfileGet(*p, "max_concurrent_requests"), "");
  EXPECT_EQ(ProfileGet(*p, "role_session_name"), "");
}

TEST(ProfileFile, CredentialsFileWinsOverConfig) {
  auto files = ProfileFiles::FromText("[profile a]\nregion = us-east-1\nk = config\n",
                                      "[a]\nk = credentials\n");
  ASSERT_TRUE(files.ok());
  EXPECT_EQ(ProfileGet(*files->Find("a"), "k"), "credentials");
  EXPECT_EQ(ProfileGet(*files->Find("a"), "region"), "us-east-1");
  EXPECT_EQ(files->Find("a")->at("k").file, "~/.aws/credentials");
}

TEST(ProfileFile, SyntaxErrorsNameFileAndLineButNotContent) {
  auto no_section = ProfileFiles::FromText("", "aws_secret_access_key = topsecret\n");
  ASSERT_FALSE(no_section.ok());
  EXPECT_EQ(no_section.status().message(),
            "~/.aws/credentials line 1: setting before the first [section]");
  auto no_equals = ProfileFiles::FromText("", "[a]\n\nwJalrXUtnFEMI topsecret\n");
  ASSERT_FALSE(no_equals.ok());
  EXPECT_NE(no_equals.status().message().find("line 3"), std::string::npos);
  EXPECT_EQ(no_equals.status().message().find("topsecret"), std::string::npos);
  EXPECT_FALSE(ProfileFiles::FromText("[broken\n", "").ok());
}

class ProfileTest : public ::testing::Test {
 protected:
  ProfileTest()
      : vars_(std::make_shared<std::map<std::string, std::string>>()),
        sts_(&clock_),
        env_(test::TestEnvironment(vars_, &clock_, home_.path())) {
    env_.sts_endpoint_url = sts_.url();
  }

  void WriteFiles(const std::string& config, const std::string& credentials) {
    home_.Write(".aws/config", config);
    home_.Write(".aws/credentials", credentials);
  }

  Result<Credentials> Get(const std::string& profile) {
    auto provider = MakeProfileCredentialsProvider(env_, profile);
    if (!provider.ok()) return provider.status();
    return (*provider)->GetCredentials();
  }

  testing::FakeClock clock_;
  TempDir home_;
  test::EnvVars vars_;
  FakeSts sts_;
  CredentialsEnvironment env_;
};

TEST_F(ProfileTest, StaticKeysFromTheCredentialsFile) {
  WriteFiles("",
             "[default]\naws_access_key_id = AKIADEFAULT\naws_secret_access_key = s1\n"
             "aws_session_token = t1\n");
  auto credentials = Get("default");
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "AKIADEFAULT");
  EXPECT_EQ(credentials->secret_access_key.Reveal(), "s1");
  EXPECT_EQ(credentials->session_token.Reveal(), "t1");
  EXPECT_EQ(credentials->source, "profile default");
}

TEST_F(ProfileTest, FileLocationsComeFromTheEnvironment) {
  TempDir elsewhere;
  (*vars_)["AWS_SHARED_CREDENTIALS_FILE"] = elsewhere.Write(
      "creds", "[x]\naws_access_key_id = AKIAELSEWHERE\naws_secret_access_key = s\n");
  (*vars_)["AWS_CONFIG_FILE"] = elsewhere.Write("conf", "[profile y]\nregion = eu-west-1\n");
  auto credentials = Get("x");
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "AKIAELSEWHERE");
  auto missing = Get("z");
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(
      missing.status().message().find(elsewhere.path() + "/creds or " + elsewhere.path() + "/conf"),
      std::string::npos)
      << missing.status().message();
}

TEST_F(ProfileTest, MissingProfileNamesBothFiles) {
  WriteFiles("[default]\nregion = eu-west-1\n", "");
  auto credentials = Get("prod");
  EXPECT_EQ(credentials.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(credentials.status().message(),
            "profile 'prod' not found in ~/.aws/credentials or ~/.aws/config");
  // A profile with only settings has no credentials: the default chain moves on.
  EXPECT_EQ(Get("default").status().code(), StatusCode::kNotFound);
}

TEST_F(ProfileTest, HalfAKeyPairIsAConfigurationError) {
  WriteFiles("", "[a]\naws_access_key_id = AKIAHALF\n[b]\naws_secret_access_key = s\n");
  auto a = Get("a");
  EXPECT_EQ(a.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(a.status().message(),
            "profile 'a' (~/.aws/credentials) sets aws_access_key_id but not "
            "aws_secret_access_key");
  EXPECT_EQ(Get("b").status().code(), StatusCode::kInvalidArgument);
}

TEST_F(ProfileTest, RoleArnWithSourceProfileAssumesTheRoleSignedWithTheSource) {
  WriteFiles(
      "[profile reader]\nrole_arn = arn:aws:iam::210987654321:role/trail-reader\n"
      "source_profile = base\nexternal_id = ext-1234\nrole_session_name = th-test\n"
      "duration_seconds = 1800\nregion = ap-northeast-3\n",
      "[base]\naws_access_key_id = AKIABASE00000000\naws_secret_access_key = basesecret\n");
  auto credentials = Get("reader");
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAFAKE1");
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].form["Action"], "AssumeRole");
  EXPECT_EQ(calls[0].form["RoleArn"], "arn:aws:iam::210987654321:role/trail-reader");
  EXPECT_EQ(calls[0].form["ExternalId"], "ext-1234");
  EXPECT_EQ(calls[0].form["RoleSessionName"], "th-test");
  EXPECT_EQ(calls[0].form["DurationSeconds"], "1800");
  EXPECT_NE(calls[0].authorization.find("Credential=AKIABASE00000000/"), std::string::npos);
  EXPECT_NE(calls[0].authorization.find("/ap-northeast-3/sts/"), std::string::npos);
}

TEST_F(ProfileTest, RoleChainsAreFollowed) {
  WriteFiles(
      "[profile second]\nrole_arn = arn:aws:iam::222222222222:role/b\nsource_profile = first\n"
      "[profile first]\nrole_arn = arn:aws:iam::111111111111:role/a\nsource_profile = base\n",
      "[base]\naws_access_key_id = AKIABASE00000000\naws_secret_access_key = basesecret\n");
  auto credentials = Get("second");
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].form["RoleArn"], "arn:aws:iam::111111111111:role/a");
  EXPECT_NE(calls[0].authorization.find("Credential=AKIABASE00000000/"), std::string::npos);
  EXPECT_EQ(calls[1].form["RoleArn"], "arn:aws:iam::222222222222:role/b");
  EXPECT_NE(calls[1].authorization.find("Credential=ASIAFAKE1/"), std::string::npos);
  EXPECT_EQ(calls[1].security_token, "ststoken1");
  EXPECT_EQ(credentials->access_key_id, "ASIAFAKE2");
}

TEST_F(ProfileTest, SourceProfileWithOwnKeysUsesThemEvenIfItNamesItself) {
  WriteFiles("",
             "[self]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = self\n"
             "aws_access_key_id = AKIASELF00000000\naws_secret_access_key = selfsecret\n");
  auto credentials = Get("self");
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAFAKE1");
  EXPECT_NE(sts_.calls()[0].authorization.find("Credential=AKIASELF00000000/"), std::string::npos);
}

TEST_F(ProfileTest, SourceProfileLoopsAreRejected) {
  WriteFiles(
      "[profile a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = b\n"
      "[profile b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = a\n",
      "");
  auto credentials = Get("a");
  EXPECT_EQ(credentials.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(credentials.status().message().find("loops: a -> b -> a"), std::string::npos)
      << credentials.status().message();
  EXPECT_TRUE(sts_.calls().empty());
}

TEST_F(ProfileTest, CredentialSourceEnvironment) {
  (*vars_)["AWS_ACCESS_KEY_ID"] = "AKIAENV000000000";
  (*vars_)["AWS_SECRET_ACCESS_KEY"] = "envsecret";
  WriteFiles(
      "[profile r]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
      "credential_source = Environment\n",
      "");
  auto credentials = Get("r");
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_NE(sts_.calls()[0].authorization.find("Credential=AKIAENV000000000/"), std::string::npos);
}

TEST_F(ProfileTest, CredentialSourceEc2InstanceMetadataAndEcsContainer) {
  testing::LocalHttpServer metadata;
  metadata.server().Put("/latest/api/token", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("tok", "text/plain");
  });
  metadata.server().Get("/latest/meta-data/iam/security-credentials/",
                        [](const httplib::Request&, httplib::Response& res) {
                          res.set_content("ec2role", "text/plain");
                        });
  metadata.server().Get("/latest/meta-data/iam/security-credentials/ec2role",
                        [this](const httplib::Request&, httplib::Response& res) {
                          res.set_content(
                              R"({"Code":"Success","AccessKeyId":"ASIAIMDS","SecretAccessKey":"x",)"
                              R"("Token":"y","Expiration":")" +
                                  FormatAwsTimestamp(clock_.Now() + std::chrono::hours(6)) + "\"}",
                              "application/json");
                        });
  metadata.server().Get("/ecs", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"AccessKeyId":"ASIAECS","SecretAccessKey":"x","Token":"y",)"
                    R"("Expiration":")" +
                        FormatAwsTimestamp(clock_.Now() + std::chrono::hours(6)) + "\"}",
                    "application/json");
  });
  ASSERT_TRUE(test::StartServer(metadata).ok());
  (*vars_)["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = metadata.url();
  (*vars_)["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = metadata.url() + "/ecs";
  WriteFiles(
      "[profile ec2]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
      "credential_source = Ec2InstanceMetadata\n"
      "[profile ecs]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
      "credential_source = EcsContainer\n"
      "[profile bad]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
      "credential_source = Lambda\n",
      "");
  ASSERT_TRUE(Get("ec2").ok());
  ASSERT_TRUE(Get("ecs").ok());
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_NE(calls[0].authorization.find("Credential=ASIAIMDS/"), std::string::npos);
  EXPECT_NE(calls[1].authorization.find("Credential=ASIAECS/"), std::string::npos);
  auto bad = Get("bad");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find(
                "credential_source 'Lambda' must be Environment, Ec2InstanceMetadata or "
                "EcsContainer"),
            std::string::npos);
}

TEST_F(ProfileTest, ConflictingOrIncompleteRoleProfiles) {
  WriteFiles(
      "[profile both]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
      "source_profile = base\ncredential_source = Environment\n"
      "[profile nosource]\nrole_arn = arn:aws:iam::123456789012:role/r\n"
      "[profile badarn]\nrole_arn = trail-reader\nsource_profile = base\n"
      "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/r\nsource_profile = base\n"
      "mfa_serial = arn:aws:iam::123456789012:mfa/me\n"
      "[profile process]\ncredential_process = /bin/creds\n"
      "[profile sso]\nsso_start_url = https://corp.awsapps.com/start\n",
      "[base]\naws_access_key_id = AKIABASE00000000\naws_secret_access_key = s\n");
  EXPECT_NE(Get("both").status().message().find("both source_profile and credential_source"),
            std::string::npos);
  EXPECT_NE(Get("nosource")
                .status()
                .message()
                .find("none of source_profile, credential_source or web_identity_token_file"),
            std::string::npos);
  EXPECT_NE(Get("badarn").status().message().find("is not an IAM role ARN"), std::string::npos);
  EXPECT_EQ(Get("mfa").status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(Get("process").status().code(), StatusCode::kUnimplemented);
  EXPECT_EQ(Get("sso").status().code(), StatusCode::kUnimplemented);
  EXPECT_TRUE(sts_.calls().empty());
}

TEST_F(ProfileTest, WebIdentityTokenFileInAProfile) {
  std::string token = home_.Write("token", "header.payload.sig\n");
  WriteFiles(
      "[profile irsa]\nrole_arn = arn:aws:iam::123456789012:role/irsa\n"
      "web_identity_token_file = " +
          token + "\nrole_session_name = pod-1\n",
      "");
  auto credentials = Get("irsa");
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  auto calls = sts_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].form["Action"], "AssumeRoleWithWebIdentity");
  EXPECT_EQ(calls[0].form["WebIdentityToken"], "header.payload.sig");
  EXPECT_EQ(calls[0].form["RoleSessionName"], "pod-1");
  EXPECT_TRUE(calls[0].authorization.empty());
}

TEST_F(ProfileTest, SelectedProfileFollowsAwsProfile) {
  EXPECT_EQ(SelectedProfileName(env_), "default");
  (*vars_)["AWS_DEFAULT_PROFILE"] = "legacy";
  EXPECT_EQ(SelectedProfileName(env_), "legacy");
  (*vars_)["AWS_PROFILE"] = "prod";
  EXPECT_EQ(SelectedProfileName(env_), "prod");
}

}  // namespace
}  // namespace trailhound::aws
