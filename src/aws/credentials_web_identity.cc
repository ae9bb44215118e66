#include "aws/credentials_web_identity.h"

#include <fmt/format.h>

#include "aws/credentials_assume_role.h"
#include "aws/credentials_refresh.h"

namespace trailhound::aws {
namespace {

class WebIdentityProvider final : public CredentialsProvider {
 public:
  WebIdentityProvider(std::shared_ptr<StsClient> sts, std::string token_file,
                      WebIdentityRequest request)
      : sts_(std::move(sts)), token_file_(std::move(token_file)), request_(std::move(request)) {}

  Result<Credentials> GetCredentials() override {
    auto token = ReadSmallFile("web identity token file", token_file_);
    if (!token.ok()) return token.status();
    WebIdentityRequest request = request_;
    request.web_identity_token = Secret(std::move(token).value());
    Result<Credentials> credentials = sts_->AssumeRoleWithWebIdentity(request);
    if (credentials.ok()) return credentials;
    Status status =
        credentials.status().Annotate(fmt::format("With the token in '{}'", token_file_));
    const std::string& code = status.aws_error_code();
    if (code == "AccessDenied") {
      return WithHint(status,
                      "the role's trust policy must allow sts:AssumeRoleWithWebIdentity "
                      "for this OIDC provider, audience and subject");
    }
    if (code == "InvalidIdentityToken" || code == "ExpiredTokenException") {
      return WithHint(status,
                      "the token file must hold a current token of an OIDC provider "
                      "registered in IAM");
    }
    return status;
  }

  std::string Describe() const override {
    return fmt::format("web-identity {} (token file {})", request_.role_arn, token_file_);
  }

 private:
  const std::shared_ptr<StsClient> sts_;
  const std::string token_file_;
  const WebIdentityRequest request_;
};

}  // namespace

Result<std::shared_ptr<CredentialsProvider>> MakeWebIdentityCredentialsProvider(
    const CredentialsEnvironment& env, WebIdentityOptions options) {
  TH_RETURN_IF_ERROR(ValidateRoleArn("web identity role_arn", options.role_arn));
  if (options.token_file.empty()) {
    return Status::InvalidArgument("web identity needs a token file");
  }
  if (options.role_session_name.empty()) options.role_session_name = DefaultRoleSessionName(env);
  TH_RETURN_IF_ERROR(ValidateRoleSessionName("role_session_name", options.role_session_name));
  TH_RETURN_IF_ERROR(ValidateDurationSecs("duration_secs", options.duration_secs));
  TH_ASSIGN_OR_RETURN(std::shared_ptr<StsClient> sts,
                      MakeStsClient(env, nullptr, StsRegion(env, options.region)));
  WebIdentityRequest request;
  request.role_arn = std::move(options.role_arn);
  request.role_session_name = std::move(options.role_session_name);
  request.duration_secs = options.duration_secs;
  auto provider = std::make_shared<WebIdentityProvider>(
      std::move(sts), ExpandHome(env, options.token_file), std::move(request));
  return MakeRefreshingCredentialsProvider(std::move(provider), env.clock, env.refresh);
}

Result<std::shared_ptr<CredentialsProvider>> MakeWebIdentityCredentialsProviderFromEnv(
    const CredentialsEnvironment& env) {
  std::optional<std::string> token_file = GetEnv(env, "AWS_WEB_IDENTITY_TOKEN_FILE");
  if (!token_file) return Status::NotFound("web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set");
  std::optional<std::string> role_arn = GetEnv(env, "AWS_ROLE_ARN");
  if (!role_arn) {
    return Status::InvalidArgument(
        "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is set but AWS_ROLE_ARN is not; set the "
        "role to assume");
  }
  WebIdentityOptions options;
  options.role_arn = *role_arn;
  options.token_file = *token_file;
  options.role_session_name = GetEnv(env, "AWS_ROLE_SESSION_NAME").value_or("");
  auto provider = MakeWebIdentityCredentialsProvider(env, std::move(options));
  if (!provider.ok()) return provider.status().Annotate("web identity (AWS_ROLE_ARN)");
  return provider;
}

}  // namespace trailhound::aws
