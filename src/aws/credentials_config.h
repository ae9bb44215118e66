// CredentialsConfig: what a source's `credentials:` YAML block can say, and
// MakeCredentialsProvider(), which turns it into a provider: static keys (the secret
// inline, from a file or from an environment variable), a profile, a role assumed on top
// of either (or of the default chain), a web identity token file, or — when empty — the
// default chain. Files and variables are read once, here. Errors name the field to fix
// and never contain a secret. Thread safety: a value; the provider is concurrent-safe.
#pragma once

#include <memory>
#include <string>

#include "aws/credentials.h"
#include "aws/credentials_environment.h"
#include "core/result.h"
#include "core/secret.h"

namespace trailhound::aws {

struct CredentialsConfig {
  // Access key id of an IAM user or temporary key ("AKIA..."); needs a secret below.
  std::string access_key_id;
  // The secret access key itself; prefer the _file or _env form, configs get shared.
  Secret secret_access_key;
  // A file holding the secret access key (surrounding whitespace ignored).
  std::string secret_access_key_file;
  // The name of an environment variable holding the secret access key.
  std::string secret_access_key_env;
  // Session token of temporary keys (ASIA...), inline.
  Secret session_token;
  // A file holding the session token.
  std::string session_token_file;
  // The name of an environment variable holding the session token.
  std::string session_token_env;
  // A profile of ~/.aws/credentials and ~/.aws/config (relocated by
  // AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE); exclusive with access_key_id.
  std::string profile;
  // An IAM role to assume with the credentials above (or the default chain when none).
  std::string role_arn;
  // The external ID the role's trust policy requires (third-party access).
  std::string external_id;
  // Session name shown in the role's CloudTrail events; default "trailhound-<unix ms>".
  std::string role_session_name;
  // Lifetime of the role's credentials in seconds (900 to 43200); 0 for the STS default 3600.
  int duration_secs = 0;
  // An OIDC token file: assume role_arn with AssumeRoleWithWebIdentity (EKS IRSA and others).
  std::string web_identity_token_file;
};

// Checks the combination of fields without touching files, variables or the network.
Status ValidateCredentialsConfig(const CredentialsConfig& config);

// The provider `config` describes. Reads secret files and variables now; STS, container
// and instance-metadata calls happen on the first GetCredentials().
Result<std::shared_ptr<CredentialsProvider>> MakeCredentialsProvider(
    const CredentialsConfig& config, const CredentialsEnvironment& env);

}  // namespace trailhound::aws
