#include "aws/credentials_config.h"

#include <fmt/format.h>

#include "aws/credentials_assume_role.h"
#include "aws/credentials_chain.h"
#include "aws/credentials_profile.h"
#include "aws/credentials_web_identity.h"

namespace trailhound::aws {
namespace {

class ConfigStaticProvider final : public CredentialsProvider {
 public:
  ConfigStaticProvider(Credentials credentials, std::string secret_origin)
      : credentials_(std::move(credentials)), secret_origin_(std::move(secret_origin)) {}
  Result<Credentials> GetCredentials() override { return credentials_; }
  std::string Describe() const override {
    return fmt::format("static key {} (secret {})", MaskAccessKeyId(credentials_.access_key_id),
                       secret_origin_);
  }

 private:
  const Credentials credentials_;
  const std::string secret_origin_;
};

int CountSet(bool a, bool b, bool c) { return int{a} + int{b} + int{c}; }

// Where a secret comes from: inline, `<name>_file` or `<name>_env`. `origin` describes it.
Result<Secret> ReadSecretField(const CredentialsEnvironment& env, std::string_view name,
                               const Secret& inline_value, const std::string& file,
                               const std::string& variable, std::string* origin) {
  if (!inline_value.empty()) {
    *origin = "inline in the config";
    return inline_value;
  }
  if (!file.empty()) {
    *origin = fmt::format("from file '{}'", file);
    TH_ASSIGN_OR_RETURN(std::string text,
                        ReadSmallFile(fmt::format("{}_file", name), ExpandHome(env, file)));
    return Secret(std::move(text));
  }
  if (!variable.empty()) {
    *origin = fmt::format("from environment variable {}", variable);
    std::optional<std::string> value = GetEnv(env, variable);
    if (!value) {
      return Status::InvalidArgument(fmt::format(
          "{}_env '{}': environment variable {} is not set or empty", name, variable, variable));
    }
    return Secret(std::move(*value));
  }
  return Secret();
}

bool LooksLikeAccessKeyId(std::string_view id) {
  if (id.size() < 16 || id.size() > 128) return false;
  for (char c : id) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

Result<std::shared_ptr<CredentialsProvider>> MakeBase(const CredentialsConfig& config,
                                                      const CredentialsEnvironment& env) {
  if (!config.access_key_id.empty()) {
    Credentials credentials;
    credentials.access_key_id = config.access_key_id;
    credentials.source = "config";
    std::string secret_origin, token_origin;
    TH_ASSIGN_OR_RETURN(credentials.secret_access_key,
                        ReadSecretField(env, "secret_access_key", config.secret_access_key,
                                        config.secret_access_key_file, config.secret_access_key_env,
                                        &secret_origin));
    TH_ASSIGN_OR_RETURN(
        credentials.session_token,
        ReadSecretField(env, "session_token", config.session_token, config.session_token_file,
                        config.session_token_env, &token_origin));
    return std::shared_ptr<CredentialsProvider>(
        std::make_shared<ConfigStaticProvider>(std::move(credentials), secret_origin));
  }
  if (!config.profile.empty()) {
    auto provider = MakeProfileCredentialsProvider(env, config.profile);
    if (!provider.ok() && provider.status().code() == StatusCode::kNotFound) {
      // In the config, a missing profile is a mistake, not a reason to look elsewhere.
      return Status::InvalidArgument(provider.status().message());
    }
    return provider;
  }
  return MakeDefaultCredentialsChain(env);
}

}  // namespace

Status ValidateCredentialsConfig(const CredentialsConfig& c) {
  int secrets = CountSet(!c.secret_access_key.empty(), !c.secret_access_key_file.empty(),
                         !c.secret_access_key_env.empty());
  int tokens = CountSet(!c.session_token.empty(), !c.session_token_file.empty(),
                        !c.session_token_env.empty());
  if (secrets > 1) {
    return Status::InvalidArgument(
        "credentials: set only one of secret_access_key, secret_access_key_file and "
        "secret_access_key_env");
  }
  if (tokens > 1) {
    return Status::InvalidArgument(
        "credentials: set only one of session_token, session_token_file and "
        "session_token_env");
  }
  if (c.access_key_id.empty() && (secrets > 0 || tokens > 0)) {
    return Status::InvalidArgument(
        "credentials: a secret_access_key or session_token needs access_key_id");
  }
  if (!c.access_key_id.empty()) {
    if (secrets == 0) {
      return Status::InvalidArgument(
          "credentials: access_key_id needs one of secret_access_key, secret_access_key_file "
          "or secret_access_key_env");
    }
    if (!LooksLikeAccessKeyId(c.access_key_id)) {
      // Not quoted: a secret pasted into the wrong field must not reach the logs.
      return Status::InvalidArgument(
          "credentials: access_key_id does not look like an access key id (16+ upper-case "
          "letters and digits, e.g. AKIA...); is the secret key in the wrong field?");
    }
    if (!c.profile.empty()) {
      return Status::InvalidArgument(
          "credentials: access_key_id and profile are exclusive; keep one");
    }
  }
  if (!c.web_identity_token_file.empty()) {
    if (c.role_arn.empty()) {
      return Status::InvalidArgument(
          "credentials: web_identity_token_file needs role_arn, the role to assume");
    }
    if (!c.access_key_id.empty() || !c.profile.empty()) {
      return Status::InvalidArgument(
          "credentials: web_identity_token_file cannot be combined with access_key_id or "
          "profile");
    }
    if (!c.external_id.empty()) {
      return Status::InvalidArgument(
          "credentials: external_id does not apply to web_identity_token_file "
          "(AssumeRoleWithWebIdentity has no external ID)");
    }
  }
  if (c.role_arn.empty()) {
    if (!c.external_id.empty() || !c.role_session_name.empty() || c.duration_secs != 0) {
      return Status::InvalidArgument(
          "credentials: external_id, role_session_name and duration_secs need role_arn");
    }
    return Status::OK();
  }
  TH_RETURN_IF_ERROR(ValidateRoleArn("credentials: role_arn", c.role_arn));
  if (!c.role_session_name.empty()) {
    TH_RETURN_IF_ERROR(
        ValidateRoleSessionName("credentials: role_session_name", c.role_session_name));
  }
  if (!c.external_id.empty()) {
    TH_RETURN_IF_ERROR(ValidateExternalId("credentials: external_id", c.external_id));
  }
  return ValidateDurationSecs("credentials: duration_secs", c.duration_secs);
}

Result<std::shared_ptr<CredentialsProvider>> MakeCredentialsProvider(
    const CredentialsConfig& config, const CredentialsEnvironment& env) {
  TH_RETURN_IF_ERROR(ValidateCredentialsConfig(config));
  if (!config.web_identity_token_file.empty()) {
    WebIdentityOptions options;
    options.role_arn = config.role_arn;
    options.token_file = config.web_identity_token_file;
    options.role_session_name = config.role_session_name;
    options.duration_secs = config.duration_secs;
    return MakeWebIdentityCredentialsProvider(env, std::move(options));
  }
  auto base = MakeBase(config, env);
  if (!base.ok()) return base.status().Annotate("credentials");
  if (config.role_arn.empty()) return base;
  AssumeRoleOptions options;
  options.role_arn = config.role_arn;
  options.role_session_name = config.role_session_name;
  options.external_id = config.external_id;
  options.duration_secs = config.duration_secs;
  return MakeAssumeRoleCredentialsProvider(env, *std::move(base), std::move(options));
}

}  // namespace trailhound::aws
