#include "config/config_loader.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <string>

namespace trailhound::config {
namespace {

constexpr const char* kExample = R"(
data_dir: /var/lib/trailhound          # default ./data
server:
  listen: 127.0.0.1:8080
store:
  retention_days: 90
sources:
  - name: cloudtrail-main
    type: aws_cloudtrail
    method: sqs
    queue_url: https://sqs.ap-northeast-3.amazonaws.com/123456789012/cloudtrail-siem
    bucket_region: ap-northeast-3
    endpoint_url: http://127.0.0.1:4566
    credentials:
      access_key_id: AKIAIOSFODNN7EXAMPLE
      secret_access_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
  - name: org-trail
    queue_url: https://sqs.us-gov-west-1.amazonaws.com/123456789012/org
    pollers: 4
    credentials:
      role_arn: arn:aws-us-gov:iam::123456789012:role/siem
      external_id: x-123
)";

std::string ErrorOf(std::string_view yaml) {
  auto config = ParseConfig(yaml, "t.yaml");
  if (!config.ok()) return config.status().message();
  Status valid = ValidateConfig(*config);
  return valid.ok() ? "" : valid.message();
}

TEST(Config, TheDesignExampleLoadsWithEveryValue) {
  auto config = ParseConfig(kExample, "t.yaml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  ASSERT_TRUE(ValidateConfig(*config).ok()) << ValidateConfig(*config).ToString();
  EXPECT_EQ(config->data_dir, "/var/lib/trailhound");
  EXPECT_EQ(config->server.listen, "127.0.0.1:8080");
  EXPECT_EQ(config->store.retention_days, 90);
  EXPECT_EQ(config->store.flush_interval_secs, 300);  // default
  ASSERT_EQ(config->sources.size(), 2u);
  const SourceConfig& main = config->sources[0];
  EXPECT_EQ(main.name, "cloudtrail-main");
  EXPECT_EQ(main.bucket_region, "ap-northeast-3");
  EXPECT_EQ(main.endpoint_url, "http://127.0.0.1:4566");
  EXPECT_EQ(main.credentials.access_key_id, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(main.credentials.secret_access_key.Reveal(),
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  EXPECT_EQ(main.pollers, 2);
  const SourceConfig& org = config->sources[1];
  EXPECT_EQ(org.type, "aws_cloudtrail");
  EXPECT_EQ(org.pollers, 4);
  EXPECT_EQ(org.credentials.external_id, "x-123");
}

TEST(Config, AnEmptyFileIsAllDefaults) {
  auto config = ParseConfig("", "t.yaml");
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->data_dir, "./data");
  EXPECT_EQ(config->server.listen, "127.0.0.1:8080");
  EXPECT_TRUE(config->sources.empty());
}

TEST(Config, UnknownKeysAreRefusedByNameWithTheLineAndASuggestion) {
  EXPECT_EQ(ErrorOf("sources:\n  - name: a\n    queue_ur: x\n"),
            "t.yaml:3: unknown key 'queue_ur' in sources[0] (did you mean 'queue_url'?)");
  EXPECT_EQ(ErrorOf("server:\n  lisen: 1.2.3.4:1\n"),
            "t.yaml:2: unknown key 'lisen' in server (did you mean 'listen'?)");
  EXPECT_EQ(ErrorOf("sources:\n- name: a\n  credentials:\n    acess_key_id: A\n"),
            "t.yaml:4: unknown key 'acess_key_id' in sources[0].credentials (did you mean "
            "'access_key_id'?)");
  EXPECT_EQ(ErrorOf("datadir: x\n"),
            "t.yaml:1: unknown top-level key 'datadir' (did you mean 'data_dir'?); the keys "
            "are data_dir, server, store and sources");
  EXPECT_EQ(ErrorOf("sources:\n  - name: a\n    colour: red\n"),
            "t.yaml:3: unknown key 'colour' in sources[0]");
}

TEST(Config, BadValuesNameTheKeyAndWhatIsAllowed) {
  EXPECT_EQ(ErrorOf("store:\n  retention_days: forever\n"),
            "t.yaml:2: 'retention_days' must be a whole number from 0 to 36500");
  EXPECT_EQ(ErrorOf("sources:\n  - name: a\n    pollers: 0\n"),
            "t.yaml:3: 'pollers' must be a whole number from 1 to 64");
  EXPECT_EQ(ErrorOf("sources: {}\n"),
            "t.yaml:1: 'sources' must be a list (each item starts with '- ')");
  EXPECT_NE(ErrorOf("server: [\n").find("t.yaml:"), std::string::npos);
  EXPECT_NE(ErrorOf("server: [\n").find("not valid YAML"), std::string::npos);
}

TEST(Config, ValidationCatchesWhatOneKeyCannotSay) {
  EXPECT_EQ(
      ErrorOf("sources:\n  - queue_url: https://sqs.us-east-1.amazonaws.com/123456789012/q\n"),
      "sources[0] needs a 'name'");
  EXPECT_NE(ErrorOf("sources:\n  - name: a\n").find("needs a 'queue_url'"), std::string::npos);
  EXPECT_NE(
      ErrorOf("sources:\n"
              "  - {name: a, queue_url: 'https://sqs.us-east-1.amazonaws.com/123456789012/q'}\n"
              "  - {name: a, queue_url: 'https://sqs.us-east-1.amazonaws.com/123456789012/q'}\n")
          .find("another source has the same name"),
      std::string::npos);
  EXPECT_NE(ErrorOf("sources:\n  - {name: a, type: vpc_flow, queue_url: "
                    "'https://sqs.us-east-1.amazonaws.com/123456789012/q'}\n")
                .find("type 'vpc_flow' is not supported"),
            std::string::npos);
  EXPECT_NE(ErrorOf("sources:\n  - {name: a, queue_url: 'not a url'}\n").find("queue_url"),
            std::string::npos);
  std::string both = ErrorOf(
      "sources:\n  - name: a\n    queue_url: https://sqs.us-east-1.amazonaws.com/123456789012/q\n"
      "    credentials:\n      profile: p\n      access_key_id: AKIA\n"
      "      secret_access_key: s3cr3t-value\n");
  EXPECT_NE(both.find("credentials"), std::string::npos) << both;
  EXPECT_EQ(both.find("s3cr3t-value"), std::string::npos) << both;
}

TEST(Config, TheDescriptionRedactsSecrets) {
  auto config = ParseConfig(kExample, "t.yaml");
  ASSERT_TRUE(config.ok());
  std::string described = DescribeConfig(*config);
  EXPECT_EQ(described.find("wJalrXUtnFEMI"), std::string::npos) << described;
  EXPECT_NE(described.find("secret_access_key: <redacted>"), std::string::npos) << described;
  EXPECT_NE(described.find("  - name: cloudtrail-main"), std::string::npos) << described;
  auto bare = ParseConfig(
      "sources:\n  - {name: a, queue_url: 'https://sqs.us-east-1.amazonaws.com/123456789012/q'}\n",
      "t.yaml");
  ASSERT_TRUE(bare.ok());
  EXPECT_NE(DescribeConfig(*bare).find("credentials: (the default AWS chain)"), std::string::npos);
}

TEST(Config, TheReferenceDocumentsEveryKey) {
  std::string reference = ConfigReference();
  for (const char* key : {"data_dir", "listen", "retention_days", "queue_url", "bucket_region",
                          "endpoint_url", "pollers", "max_objects_in_flight", "access_key_id",
                          "secret_access_key_file", "role_arn", "web_identity_token_file"}) {
    EXPECT_NE(reference.find(std::string("`") + key + "`"), std::string::npos) << key;
  }
}

TEST(Config, AServerTokenComesFromOneOfThreePlaces) {
  auto both = ParseConfig("server:\n  token: a\n  token_env: B\n", "t.yaml");
  ASSERT_TRUE(both.ok());
  Status s = ValidateConfig(*both);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("only one of token"), std::string::npos);

  auto inline_token = ParseConfig("server:\n  token: s3cret\n", "t.yaml");
  ASSERT_TRUE(inline_token.ok());
  EXPECT_EQ(LoadServerToken(inline_token->server)->Reveal(), "s3cret");
  EXPECT_EQ(DescribeConfig(*inline_token).find("s3cret"), std::string::npos);

  char path[] = "/tmp/trailhound-token-XXXXXX";
  int fd = ::mkstemp(path);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, "from-file\n", 10), 10);
  ::close(fd);
  ServerConfig from_file;
  from_file.token_file = path;
  EXPECT_EQ(LoadServerToken(from_file)->Reveal(), "from-file");  // newline dropped
  ::unlink(path);
  auto missing = LoadServerToken(from_file);
  EXPECT_EQ(missing.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.status().message().find(path), std::string::npos);

  ServerConfig from_env;
  from_env.token_env = "TRAILHOUND_TEST_TOKEN_UNSET_VARIABLE";
  EXPECT_FALSE(LoadServerToken(from_env).ok());
  EXPECT_TRUE(LoadServerToken(ServerConfig{})->empty());
}

TEST(Config, SourceSettingsListEveryKeyAndRedactSecrets) {
  auto config = ParseConfig(kExample, "example.yaml");
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  auto settings = SourceSettings(config->sources[0]);
  auto find = [&](const std::string& key) -> std::string {
    for (const auto& [k, v] : settings) {
      if (k == key) return v;
    }
    return "(absent)";
  };
  EXPECT_EQ(find("queue_url"),
            "https://sqs.ap-northeast-3.amazonaws.com/123456789012/cloudtrail-siem");
  EXPECT_EQ(find("pollers"), "2");
  EXPECT_EQ(find("credentials.access_key_id"), "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(find("credentials.secret_access_key"), "<redacted>");
  EXPECT_EQ(find("credentials.profile"), "(absent)");  // unset credential keys are left out
  for (const auto& [key, value] : settings) {
    EXPECT_EQ(value.find("wJalrXUtnFEMI"), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace trailhound::config
