// Credentials of an ECS task role (also EKS Pod Identity and other container hosts):
// GET http://169.254.170.2<AWS_CONTAINER_CREDENTIALS_RELATIVE_URI>, or
// AWS_CONTAINER_CREDENTIALS_FULL_URI (https, or http only to loopback and the ECS/EKS
// link-local hosts), with an Authorization header from AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE
// (re-read per fetch) or AWS_CONTAINER_AUTHORIZATION_TOKEN. Variables are read per fetch.
// Errors: kNotFound when neither URI variable is set; the token never appears in them.
// Thread safety: GetCredentials() is concurrent-safe. Results are cached and refreshed.
#pragma once

#include <memory>
#include <string_view>

#include "aws/credentials.h"
#include "aws/credentials_environment.h"

namespace trailhound::aws {

std::shared_ptr<CredentialsProvider> MakeContainerCredentialsProvider(
    const CredentialsEnvironment& env);

// Whether `url` may be used as AWS_CONTAINER_CREDENTIALS_FULL_URI; the error names why.
Status ValidateContainerFullUri(std::string_view url);

}  // namespace trailhound::aws
