// Credentials of an IAM role obtained with STS AssumeRoleWithWebIdentity from an OIDC
// token file (EKS IRSA, GitHub Actions and other federated workloads). The call is
// unsigned; the token file is re-read on every refresh because its issuer rotates it.
// The environment form reads AWS_WEB_IDENTITY_TOKEN_FILE, AWS_ROLE_ARN and
// AWS_ROLE_SESSION_NAME. The token is a secret and never appears in errors.
// Thread safety: GetCredentials() is concurrent-safe. Results are cached and refreshed.
#pragma once

#include <memory>
#include <string>

#include "aws/credentials.h"
#include "aws/credentials_environment.h"
#include "core/result.h"

namespace trailhound::aws {

struct WebIdentityOptions {
  std::string role_arn;           // the role to assume
  std::string token_file;         // holds the OIDC token (JWT)
  std::string role_session_name;  // "" for "trailhound-<unix ms>"
  int duration_secs = 0;          // 0 for the STS default (3600)
  std::string region;             // STS region; "" for StsRegion(env)
};

// Fails with kInvalidArgument for invalid options (the token file is read per fetch).
Result<std::shared_ptr<CredentialsProvider>> MakeWebIdentityCredentialsProvider(
    const CredentialsEnvironment& env, WebIdentityOptions options);

// From the environment variables; kNotFound when AWS_WEB_IDENTITY_TOKEN_FILE is unset,
// kInvalidArgument when it is set without AWS_ROLE_ARN.
Result<std::shared_ptr<CredentialsProvider>> MakeWebIdentityCredentialsProviderFromEnv(
    const CredentialsEnvironment& env);

}  // namespace trailhound::aws
