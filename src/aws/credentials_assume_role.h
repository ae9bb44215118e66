// Credentials of an IAM role obtained with STS AssumeRole, signed by base credentials
// (static keys, a profile, the environment, the default chain...). The result is cached
// and refreshed before it expires (credentials_refresh.h). Errors from STS keep their
// AWS code and request id and add what to check (trust policy, external ID).
// The Validate* helpers check the fields STS would reject, naming the field.
// Thread safety: GetCredentials() is concurrent-safe; base must be too.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "aws/credentials.h"
#include "aws/credentials_environment.h"
#include "core/result.h"

namespace trailhound::aws {

struct AssumeRoleOptions {
  std::string role_arn;           // "arn:aws:iam::123456789012:role/trailhound"
  std::string role_session_name;  // "" for "trailhound-<unix ms>"
  std::string external_id;        // "" for none
  int duration_secs = 0;          // 0 for the STS default (3600); else 900..43200
  std::string region;             // STS region; "" for StsRegion(env)
};

// REQUIRES: base != nullptr. Fails with kInvalidArgument for invalid options.
Result<std::shared_ptr<CredentialsProvider>> MakeAssumeRoleCredentialsProvider(
    const CredentialsEnvironment& env, std::shared_ptr<CredentialsProvider> base,
    AssumeRoleOptions options);

// `field` names the setting in the message ("role_arn", "profile 'x' role_arn").
Status ValidateRoleArn(std::string_view field, std::string_view arn);
Status ValidateRoleSessionName(std::string_view field, std::string_view name);
Status ValidateExternalId(std::string_view field, std::string_view external_id);
Status ValidateDurationSecs(std::string_view field, int duration_secs);

}  // namespace trailhound::aws
