#include "aws/credentials_imds.h"

#include <fmt/format.h>

#include <charconv>
#include <mutex>

#include "aws/credentials_document.h"
#include "aws/credentials_refresh.h"

namespace trailhound::aws {
namespace {

constexpr std::chrono::seconds kTokenTtl{21600};
constexpr std::string_view kCredentialsPath = "/latest/meta-data/iam/security-credentials/";
constexpr std::string_view kHopLimitHint =
    "if Trailhound runs in a container on EC2, raise the instance's metadata hop limit to 2 "
    "(aws ec2 modify-instance-metadata-options --http-put-response-hop-limit 2)";

int EnvInt(const CredentialsEnvironment& env, const std::string& name, int fallback) {
  std::optional<std::string> text = GetEnv(env, name);
  int value = 0;
  if (!text) return fallback;
  auto [ptr, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || ptr != text->data() + text->size() || value <= 0) return fallback;
  return value;
}

class InstanceMetadataProvider final : public CredentialsProvider {
 public:
  explicit InstanceMetadataProvider(CredentialsEnvironment env) : env_(std::move(env)) {}

  Result<Credentials> GetCredentials() override {
    if (EnvIsTrue(env_, "AWS_EC2_METADATA_DISABLED")) {
      return Status::NotFound("instance metadata: disabled by AWS_EC2_METADATA_DISABLED=true");
    }
    std::lock_guard lock(mu_);
    std::string endpoint = Endpoint();
    TH_ASSIGN_OR_RETURN(std::string role, RoleName(endpoint));
    std::string path = fmt::format("{}{}", kCredentialsPath, role);
    TH_ASSIGN_OR_RETURN(HttpResponse response, Get(endpoint, path));
    if (response.status == 404) {
      role_.clear();  // the instance profile changed; look the role up again next time
      return Status::NotFound(fmt::format("instance metadata: role '{}' has no credentials at {}{}",
                                          role, endpoint, path));
    }
    if (response.status != 200) return HttpError(endpoint, path, response.status);
    return ParseCredentialsJson(
        response.body,
        fmt::format("instance metadata credentials of role '{}' from {}", role, endpoint),
        "instance-metadata");
  }

  std::string Describe() const override {
    return fmt::format("EC2 instance metadata (IMDSv2) at {}", Endpoint());
  }

 private:
  std::string Endpoint() const {
    std::string endpoint = GetEnv(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT").value_or("");
    if (endpoint.empty()) {
      std::string mode = GetEnv(env_, "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE").value_or("");
      endpoint =
          (mode == "IPv6" || mode == "ipv6") ? "http://[fd00:ec2::254]" : "http://169.254.169.254";
    }
    while (endpoint.ends_with('/')) endpoint.pop_back();
    return endpoint;
  }

  HttpOptions Options() const {
    HttpOptions options;
    int timeout_ms = 1000 * EnvInt(env_, "AWS_METADATA_SERVICE_TIMEOUT", 1);
    options.connect_timeout_ms = timeout_ms;
    options.read_timeout_ms = timeout_ms;
    options.total_timeout_ms = 2 * timeout_ms;
    options.max_response_bytes = 64 << 10;
    return options;
  }

  // One exchange, retried AWS_METADATA_SERVICE_NUM_ATTEMPTS times on network errors / 5xx.
  Result<HttpResponse> Exchange(const HttpRequest& request, std::string_view what) {
    HttpOptions options = Options();
    int attempts = EnvInt(env_, "AWS_METADATA_SERVICE_NUM_ATTEMPTS", 1);
    Status status;
    for (int attempt = 1; attempt <= attempts; ++attempt) {
      if (attempt > 1) env_.clock->SleepFor(std::chrono::milliseconds(100 << attempt));
      Result<HttpResponse> response = env_.transport->Send(request, nullptr, &options);
      if (response.ok() && response->status < 500) return response;
      status = response.ok()
                   ? Status::Unavailable(fmt::format("instance metadata: {} answered HTTP {}", what,
                                                     response->status))
                   : WithHint(response.status().Annotate(fmt::format(
                                  "instance metadata: {} is not reachable (not on EC2, or "
                                  "the metadata service is off)",
                                  what)),
                              kHopLimitHint);
    }
    return status;
  }

  Status RefreshToken(const std::string& endpoint) {
    HttpRequest request;
    request.method = "PUT";
    request.url = endpoint + "/latest/api/token";
    request.headers.push_back(
        {"X-aws-ec2-metadata-token-ttl-seconds", std::to_string(kTokenTtl.count())});
    TH_ASSIGN_OR_RETURN(HttpResponse response, Exchange(request, request.url));
    if (response.status != 200 || response.body.empty()) {
      std::string message =
          fmt::format("instance metadata: PUT {} for an IMDSv2 token answered HTTP {}", request.url,
                      response.status);
      if (response.status == 403) {
        return Status::PermissionDenied(message +
                                        " (the instance's metadata service is disabled, or the "
                                        "request came through a proxy)");
      }
      return WithHint(Status::Unavailable(message), kHopLimitHint);
    }
    token_ = Secret(std::move(response.body));
    token_expiry_ = env_.clock->Now() + kTokenTtl - std::chrono::seconds(60);
    return Status::OK();
  }

  // GET with the session token; a 401 (token expired) fetches a new token once.
  Result<HttpResponse> Get(const std::string& endpoint, std::string_view path) {
    for (int attempt = 0; attempt < 2; ++attempt) {
      if (token_.empty() || env_.clock->Now() >= token_expiry_) {
        TH_RETURN_IF_ERROR(RefreshToken(endpoint));
      }
      HttpRequest request;
      request.url = fmt::format("{}{}", endpoint, path);
      request.headers.push_back({"X-aws-ec2-metadata-token", token_.Reveal()});
      TH_ASSIGN_OR_RETURN(HttpResponse response, Exchange(request, request.url));
      if (response.status != 401) return response;
      token_ = Secret();
    }
    return Status::Unauthenticated(fmt::format(
        "instance metadata: {}{} rejected a fresh IMDSv2 token (HTTP 401)", endpoint, path));
  }

  Result<std::string> RoleName(const std::string& endpoint) {
    if (!role_.empty()) return role_;
    TH_ASSIGN_OR_RETURN(HttpResponse response, Get(endpoint, kCredentialsPath));
    if (response.status == 404) {
      return Status::NotFound(fmt::format(
          "instance metadata: no IAM role is attached to this EC2 instance ({}{} answered "
          "404); attach an instance profile",
          endpoint, kCredentialsPath));
    }
    if (response.status != 200) return HttpError(endpoint, kCredentialsPath, response.status);
    std::string_view body = response.body;
    std::string_view first = body.substr(0, body.find_first_of("\r\n"));
    while (!first.empty() && first.back() == ' ') first.remove_suffix(1);
    if (first.empty()) {
      return Status::NotFound(fmt::format(
          "instance metadata: no IAM role is attached to this EC2 instance ({}{} is empty)",
          endpoint, kCredentialsPath));
    }
    role_ = std::string(first);
    return role_;
  }

  static Status HttpError(const std::string& endpoint, std::string_view path, int status) {
    std::string message =
        fmt::format("instance metadata: GET {}{} answered HTTP {}", endpoint, path, status);
    if (status == 403) return Status::PermissionDenied(std::move(message));
    return Status::Unavailable(std::move(message));
  }

  const CredentialsEnvironment env_;
  std::mutex mu_;                                         // one metadata conversation at a time
  Secret token_;                                          // guarded by mu_
  std::chrono::system_clock::time_point token_expiry_{};  // guarded by mu_
  std::string role_;                                      // guarded by mu_
};

}  // namespace

std::shared_ptr<CredentialsProvider> MakeInstanceMetadataCredentialsProvider(
    const CredentialsEnvironment& env) {
  return MakeRefreshingCredentialsProvider(std::make_shared<InstanceMetadataProvider>(env),
                                           env.clock, env.refresh);
}

}  // namespace trailhound::aws
