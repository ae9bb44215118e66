#include "aws/credentials_environment.h"

#include <fmt/format.h>

#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace trailhound::aws {
namespace {

// Signs nothing: for a client used only for unsigned calls.
class AnonymousProvider final : public CredentialsProvider {
 public:
  Result<Credentials> GetCredentials() override {
    return Status::Unauthenticated("this STS client has no credentials (unsigned calls only)");
  }
  std::string Describe() const override { return "anonymous"; }
};

}  // namespace

CredentialsEnvironment ProcessCredentialsEnvironment() {
  CredentialsEnvironment env;
  env.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());  // NOLINT(concurrency-mt-unsafe)
    if (value == nullptr) return std::nullopt;
    return std::string(value);
  };
  if (const char* home = std::getenv("HOME")) env.home_dir = home;  // NOLINT
  env.transport = MakeCurlHttpTransport();
  env.clock = SystemClock();
  return env;
}

std::optional<std::string> GetEnv(const CredentialsEnvironment& env, const std::string& name) {
  if (!env.getenv) return std::nullopt;
  std::optional<std::string> value = env.getenv(name);
  if (value && value->empty()) return std::nullopt;
  return value;
}

bool EnvIsTrue(const CredentialsEnvironment& env, const std::string& name) {
  std::optional<std::string> value = GetEnv(env, name);
  if (!value) return false;
  std::string lower;
  for (char c : *value) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "true";
}

std::string ExpandHome(const CredentialsEnvironment& env, std::string_view path) {
  if (path == "~") return env.home_dir;
  if (path.starts_with("~/")) return env.home_dir + std::string(path.substr(1));
  return std::string(path);
}

Result<std::string> ReadSmallFile(std::string_view what, const std::string& path,
                                  size_t max_bytes) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    return Status::InvalidArgument(fmt::format("{} '{}' is a directory, not a file", what, path));
  }
  if (auto size = std::filesystem::file_size(path, ec); !ec && size > max_bytes) {
    return Status::InvalidArgument(
        fmt::format("{} '{}' is larger than {} bytes", what, path, max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    int error = errno;
    std::string message =
        fmt::format("{} '{}' cannot be read: {}", what, path, std::strerror(error));
    if (error == ENOENT) return Status::NotFound(std::move(message));
    if (error == EACCES) return Status::PermissionDenied(std::move(message));
    return Status::IoError(std::move(message));
  }
  std::ostringstream content;
  content << in.rdbuf();
  if (in.bad()) {
    return Status::IoError(
        fmt::format("{} '{}' cannot be read: {}", what, path, std::strerror(errno)));
  }
  std::string text = std::move(content).str();
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
  if (text.empty()) return Status::InvalidArgument(fmt::format("{} '{}' is empty", what, path));
  return text;
}

std::string StsRegion(const CredentialsEnvironment& env, std::string_view preferred) {
  if (!preferred.empty()) return std::string(preferred);
  if (!env.default_region.empty()) return env.default_region;
  if (auto region = GetEnv(env, "AWS_REGION")) return *region;
  if (auto region = GetEnv(env, "AWS_DEFAULT_REGION")) return *region;
  return "us-east-1";
}

Result<std::shared_ptr<StsClient>> MakeStsClient(const CredentialsEnvironment& env,
                                                 std::shared_ptr<CredentialsProvider> credentials,
                                                 std::string_view region) {
  if (env.transport == nullptr) {
    return Status::Internal("CredentialsEnvironment has no HTTP transport");
  }
  if (credentials == nullptr) credentials = std::make_shared<AnonymousProvider>();
  auto sender = std::make_shared<AwsRequestSender>(env.transport, std::move(credentials), env.retry,
                                                   env.clock);
  StsOptions options;
  options.region = std::string(region);
  options.endpoint_url = env.sts_endpoint_url;
  options.retry = env.retry;
  options.clock = env.clock;
  TH_ASSIGN_OR_RETURN(std::unique_ptr<StsClient> client,
                      StsClient::Create(std::move(sender), std::move(options)));
  return std::shared_ptr<StsClient>(std::move(client));
}

Status WithHint(const Status& status, std::string_view hint) {
  if (status.ok()) return status;
  Status out(status.code(), fmt::format("{} ({})", status.message(), hint));
  if (!status.aws_error_code().empty() || !status.request_id().empty() ||
      status.http_status() != 0) {
    out = out.WithAwsError(status.aws_error_code(), status.request_id(), status.http_status());
  }
  if (!status.resource().empty()) out = out.WithResource(status.resource());
  return out;
}

std::string DefaultRoleSessionName(const CredentialsEnvironment& env) {
  auto ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(env.clock->Now().time_since_epoch());
  return fmt::format("trailhound-{}", ms.count());
}

}  // namespace trailhound::aws
