// Credentials of the EC2 instance profile from the instance metadata service, IMDSv2
// only: PUT /latest/api/token (TTL header) for a session token, then with that token
// GET /latest/meta-data/iam/security-credentials/ (the role) and .../<role>. The endpoint
// is http://169.254.169.254 unless AWS_EC2_METADATA_SERVICE_ENDPOINT (or
// AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6) says otherwise; AWS_EC2_METADATA_DISABLED=true
// turns it off; AWS_METADATA_SERVICE_TIMEOUT / _NUM_ATTEMPTS tune the (short) timeouts.
// Errors: kNotFound when disabled or no role is attached; kUnavailable when unreachable.
// Thread safety: GetCredentials() is concurrent-safe. Results are cached and refreshed.
#pragma once

#include <memory>

#include "aws/credentials.h"
#include "aws/credentials_environment.h"

namespace trailhound::aws {

std::shared_ptr<CredentialsProvider> MakeInstanceMetadataCredentialsProvider(
    const CredentialsEnvironment& env);

}  // namespace trailhound::aws
