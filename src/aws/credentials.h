// AWS credentials and the providers that produce them. A CredentialsProvider
// returns the credentials to sign the next request with; providers of temporary
// credentials (AssumeRole, web identity, ECS, IMDS) refresh them before they
// expire. The default chain follows the AWS SDKs (see credentials_chain.h).
// Secrets are held in Secret and never appear in logs, errors or Describe().
// Thread safety: GetCredentials() may be called from many threads at once.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "core/result.h"
#include "core/secret.h"

namespace trailhound::aws {

struct Credentials {
  std::string access_key_id;
  Secret secret_access_key;
  Secret session_token;  // empty for long-term IAM user keys
  // When temporary credentials stop working; nullopt for long-term keys.
  std::optional<std::chrono::system_clock::time_point> expiration;
  // Where they came from, for status pages: "config", "environment", "profile default",
  // "assume-role arn:aws:iam::1:role/x", "web-identity", "container", "instance-metadata".
  std::string source;
};

class CredentialsProvider {
 public:
  virtual ~CredentialsProvider() = default;
  // Credentials valid for at least a few more minutes, or the reason there are none
  // (kUnauthenticated / kNotFound / kUnavailable, naming the provider and what to fix).
  virtual Result<Credentials> GetCredentials() = 0;
  // A one-line description without secrets, e.g. "static key AKIA...WXYZ".
  virtual std::string Describe() const = 0;
};

// A provider that always returns the same credentials (config keys, tests).
std::shared_ptr<CredentialsProvider> MakeStaticCredentialsProvider(Credentials credentials);

// "AKIA****WXYZ": enough to tell keys apart in logs, not enough to use.
std::string MaskAccessKeyId(std::string_view access_key_id);

}  // namespace trailhound::aws
