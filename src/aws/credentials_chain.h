// The default credentials chain of the AWS SDKs: environment variables → the shared
// profile (AWS_PROFILE or "default"; keys, role_arn + source_profile/credential_source,
// web identity) → web identity from the environment → ECS/EKS container credentials →
// EC2 instance metadata (IMDSv2). A link answering kNotFound ("not configured here")
// passes to the next; any other error stops the chain (a configured source that fails
// must be fixed, not skipped). The first link that yields credentials is kept for later
// calls. When nothing is found the error lists what each link looked for.
// Thread safety: GetCredentials() is concurrent-safe.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "aws/credentials_environment.h"

namespace trailhound::aws {

std::shared_ptr<CredentialsProvider> MakeDefaultCredentialsChain(const CredentialsEnvironment& env);

// A chain of `links` with the semantics above. `name` starts Describe() and errors.
std::shared_ptr<CredentialsProvider> MakeCredentialsChain(
    std::string name, std::vector<std::shared_ptr<CredentialsProvider>> links);

}  // namespace trailhound::aws
