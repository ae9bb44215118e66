// Credentials from environment variables, the first link of the AWS SDKs' default chain:
// AWS_ACCESS_KEY_ID (or AWS_ACCESS_KEY), AWS_SECRET_ACCESS_KEY (or AWS_SECRET_KEY),
// AWS_SESSION_TOKEN and AWS_CREDENTIAL_EXPIRATION, read on every call.
// Errors: kNotFound when no key id is set (the chain moves on), kInvalidArgument when
// only half of a key pair is set. Thread safety: GetCredentials() is concurrent-safe.
#pragma once

#include <memory>

#include "aws/credentials.h"
#include "aws/credentials_environment.h"

namespace trailhound::aws {

std::shared_ptr<CredentialsProvider> MakeEnvironmentCredentialsProvider(CredentialsEnvironment env);

}  // namespace trailhound::aws
