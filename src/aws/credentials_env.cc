#include "aws/credentials_env.h"

#include <fmt/format.h>

#include "aws/credentials_document.h"

namespace trailhound::aws {
namespace {

class EnvironmentProvider final : public CredentialsProvider {
 public:
  explicit EnvironmentProvider(CredentialsEnvironment env) : env_(std::move(env)) {}

  Result<Credentials> GetCredentials() override {
    std::optional<std::string> key_id = GetEnv(env_, "AWS_ACCESS_KEY_ID");
    if (!key_id) key_id = GetEnv(env_, "AWS_ACCESS_KEY");
    std::optional<std::string> secret = GetEnv(env_, "AWS_SECRET_ACCESS_KEY");
    if (!secret) secret = GetEnv(env_, "AWS_SECRET_KEY");
    if (!key_id && !secret) {
      return Status::NotFound("environment: AWS_ACCESS_KEY_ID is not set");
    }
    if (!key_id) {
      return Status::InvalidArgument(
          "environment: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both "
          "or neither");
    }
    if (!secret) {
      return Status::InvalidArgument(
          fmt::format("environment: AWS_ACCESS_KEY_ID ({}) is set but AWS_SECRET_ACCESS_KEY "
                      "is not; set both or neither",
                      MaskAccessKeyId(*key_id)));
    }
    Credentials credentials;
    credentials.access_key_id = std::move(*key_id);
    credentials.secret_access_key = Secret(std::move(*secret));
    if (auto token = GetEnv(env_, "AWS_SESSION_TOKEN")) {
      credentials.session_token = Secret(std::move(*token));
    }
    if (auto expiration = GetEnv(env_, "AWS_CREDENTIAL_EXPIRATION")) {
      auto time = ParseAwsTimestamp(*expiration);
      if (!time.ok()) {
        return Status::InvalidArgument(
            fmt::format("environment: AWS_CREDENTIAL_EXPIRATION: {}", time.status().message()));
      }
      credentials.expiration = *time;
    }
    credentials.source = "environment";
    return credentials;
  }

  std::string Describe() const override {
    std::optional<std::string> key_id = GetEnv(env_, "AWS_ACCESS_KEY_ID");
    if (!key_id) key_id = GetEnv(env_, "AWS_ACCESS_KEY");
    if (!key_id) return "environment variables (AWS_ACCESS_KEY_ID not set)";
    return fmt::format("environment variables, key {}", MaskAccessKeyId(*key_id));
  }

 private:
  const CredentialsEnvironment env_;
};

}  // namespace

std::shared_ptr<CredentialsProvider> MakeEnvironmentCredentialsProvider(
    CredentialsEnvironment env) {
  return std::make_shared<EnvironmentProvider>(std::move(env));
}

}  // namespace trailhound::aws
