// Credentials named by a profile of the shared files (credentials_profile_file.h),
// resolved like the AWS SDKs: static keys (aws_access_key_id, aws_secret_access_key,
// aws_session_token); role_arn with source_profile (chains followed, loops rejected) or
// credential_source (Environment, Ec2InstanceMetadata, EcsContainer), with external_id,
// role_session_name and duration_seconds; role_arn with web_identity_token_file.
// Errors: kNotFound when the profile is absent or holds no credentials (the default
// chain moves on); kInvalidArgument naming profile, file and key for one that cannot
// work; kUnimplemented for credential_process, SSO and mfa_serial.
// Thread safety: providers are concurrent-safe; role credentials are cached and refreshed.
#pragma once

#include <memory>
#include <string>

#include "aws/credentials.h"
#include "aws/credentials_environment.h"
#include "aws/credentials_profile_file.h"
#include "core/result.h"

namespace trailhound::aws {

// The profile the environment selects: AWS_PROFILE, else AWS_DEFAULT_PROFILE, else "default".
std::string SelectedProfileName(const CredentialsEnvironment& env);

// Resolves `profile` in `files` now, so that configuration mistakes surface at start-up.
Result<std::shared_ptr<CredentialsProvider>> ResolveProfile(const CredentialsEnvironment& env,
                                                            const ProfileFiles& files,
                                                            const std::string& profile);

// Reads the files of `env` and resolves `profile` now.
Result<std::shared_ptr<CredentialsProvider>> MakeProfileCredentialsProvider(
    const CredentialsEnvironment& env, const std::string& profile);

// For the default chain: reads the files and resolves the selected profile on first use
// (kNotFound until they exist), then keeps the resolved provider.
std::shared_ptr<CredentialsProvider> MakeLazyProfileCredentialsProvider(
    const CredentialsEnvironment& env);

}  // namespace trailhound::aws
