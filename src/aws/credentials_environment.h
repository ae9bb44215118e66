// CredentialsEnvironment: everything credential providers read from outside the
// process' own config — environment variables, the home directory, HTTP, time, and
// where STS is — bundled so that tests substitute every piece and never touch the real
// environment. Helpers here read env variables and small files with errors that name
// the variable or file (never its content).
// Thread safety: a value; `getenv` and `transport` must be safe for concurrent use.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "aws/credentials_refresh.h"
#include "aws/http.h"
#include "aws/retry.h"
#include "aws/sts.h"
#include "core/clock.h"
#include "core/result.h"

namespace trailhound::aws {

struct CredentialsEnvironment {
  // Returns an environment variable's value, or nullopt when it is unset.
  std::function<std::optional<std::string>(const std::string& name)> getenv;
  // The user's home directory: "~/.aws/credentials" lives under it ("" when unknown).
  std::string home_dir;
  // Sends STS, ECS container and EC2 instance metadata requests. REQUIRES: non-null.
  std::shared_ptr<HttpTransport> transport;
  // Wall time for expirations and refresh, sleeps between retries. Outlives providers.
  Clock* clock = SystemClock();
  // Region of STS calls; "" falls back to AWS_REGION, AWS_DEFAULT_REGION, then us-east-1.
  std::string default_region;
  // STS endpoint URL (emulators, VPC endpoints); "" for the regional endpoint.
  std::string sts_endpoint_url;
  // Retries of STS calls.
  RetryOptions retry;
  // When temporary credentials are refreshed.
  RefreshOptions refresh;
};

// The running process: getenv(3), $HOME, the libcurl transport, the system clock.
CredentialsEnvironment ProcessCredentialsEnvironment();

// env.getenv(name), with an empty value treated as unset (as the AWS SDKs do).
std::optional<std::string> GetEnv(const CredentialsEnvironment& env, const std::string& name);

// True when the variable is "true" (any case).
bool EnvIsTrue(const CredentialsEnvironment& env, const std::string& name);

// "~/x" → "<home_dir>/x"; other paths unchanged.
std::string ExpandHome(const CredentialsEnvironment& env, std::string_view path);

// Reads a small file (a key, a token) and strips trailing whitespace. Errors:
// "<what> '<path>' cannot be read: <strerror>" (kNotFound / kPermissionDenied /
// kIoError); "... is empty", "... is a directory", "... is larger than N bytes"
// (kInvalidArgument). Never quotes the content.
Result<std::string> ReadSmallFile(std::string_view what, const std::string& path,
                                  size_t max_bytes = 1 << 20);

// The region for STS calls: `preferred` when set, else env.default_region,
// AWS_REGION, AWS_DEFAULT_REGION, then "us-east-1".
std::string StsRegion(const CredentialsEnvironment& env, std::string_view preferred = "");

// An STS client at env's endpoint that signs with `credentials`; pass null for a client
// used only for unsigned calls (AssumeRoleWithWebIdentity).
Result<std::shared_ptr<StsClient>> MakeStsClient(const CredentialsEnvironment& env,
                                                 std::shared_ptr<CredentialsProvider> credentials,
                                                 std::string_view region);

// Returns `status` with " (<hint>)" appended to its message, AWS context kept.
Status WithHint(const Status& status, std::string_view hint);

// "trailhound-<unix milliseconds>", the session name used when none is configured.
std::string DefaultRoleSessionName(const CredentialsEnvironment& env);

}  // namespace trailhound::aws
