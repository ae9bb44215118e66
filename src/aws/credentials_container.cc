#include "aws/credentials_container.h"

#include <fmt/format.h>

#include "aws/credentials_document.h"
#include "aws/credentials_refresh.h"

namespace trailhound::aws {
namespace {

constexpr std::string_view kEcsHost = "http://169.254.170.2";
constexpr int kAttempts = 3;

// The host of "scheme://host[:port]/..." ("[fd00:ec2::23]" keeps its brackets).
std::string_view HostOf(std::string_view url) {
  size_t start = url.find("://");
  if (start == std::string_view::npos) return {};
  std::string_view rest = url.substr(start + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (size_t at = rest.rfind('@'); at != std::string_view::npos) rest = rest.substr(at + 1);
  if (rest.starts_with('[')) return rest.substr(0, rest.find(']') + 1);
  return rest.substr(0, rest.find(':'));
}

bool IsAllowedHttpHost(std::string_view host) {
  if (host == "localhost" || host == "[::1]" || host == "169.254.170.2" ||
      host == "169.254.170.23" || host == "[fd00:ec2::23]") {
    return true;
  }
  if (!host.starts_with("127.")) return false;
  return host.find_first_not_of("0123456789.") == std::string_view::npos;
}

Status StatusForHttp(int http_status, std::string message) {
  if (http_status == 429) return Status::Throttled(std::move(message));
  if (http_status >= 500) return Status::Unavailable(std::move(message));
  if (http_status == 401 || http_status == 403) {
    return Status::PermissionDenied(std::move(message));
  }
  return Status::FailedPrecondition(std::move(message));
}

class ContainerProvider final : public CredentialsProvider {
 public:
  explicit ContainerProvider(CredentialsEnvironment env) : env_(std::move(env)) {}

  Result<Credentials> GetCredentials() override {
    TH_ASSIGN_OR_RETURN(std::string url, Url());
    HttpRequest request;
    request.method = "GET";
    request.url = url;
    request.headers.push_back({"Accept", "application/json"});
    TH_ASSIGN_OR_RETURN(std::optional<Secret> token, AuthorizationToken());
    if (token) request.headers.push_back({"Authorization", token->Reveal()});

    HttpOptions options;
    options.connect_timeout_ms = 2000;
    options.read_timeout_ms = 5000;
    options.total_timeout_ms = 10000;
    options.max_response_bytes = 64 << 10;
    std::string what = fmt::format("container credentials from {}", url);
    Status status;
    for (int attempt = 1; attempt <= kAttempts; ++attempt) {
      if (attempt > 1) env_.clock->SleepFor(std::chrono::milliseconds(100 << attempt));
      Result<HttpResponse> response = env_.transport->Send(request, nullptr, &options);
      if (!response.ok()) {
        status = response.status().Annotate(fmt::format("Failed to fetch {}", what));
      } else if (response->status == 200) {
        return ParseCredentialsJson(response->body, what, "container");
      } else {
        std::string hint = response->status == 401 || response->status == 403
                               ? "; check AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE / "
                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN"
                               : "";
        status = StatusForHttp(response->status, fmt::format("Failed to fetch {}: HTTP {}{}", what,
                                                             response->status, hint));
      }
      if (!status.IsRetriable()) break;
    }
    return status;
  }

  std::string Describe() const override {
    auto url = Url();
    return url.ok() ? fmt::format("container credentials {}", *url)
                    : "container credentials (not configured)";
  }

 private:
  Result<std::string> Url() const {
    if (auto relative = GetEnv(env_, "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI")) {
      if (!relative->starts_with('/')) {
        return Status::InvalidArgument(fmt::format(
            "container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI '{}' must start with '/'",
            *relative));
      }
      return fmt::format("{}{}", kEcsHost, *relative);
    }
    if (auto full = GetEnv(env_, "AWS_CONTAINER_CREDENTIALS_FULL_URI")) {
      Status valid = ValidateContainerFullUri(*full);
      if (!valid.ok()) return valid.Annotate("container: AWS_CONTAINER_CREDENTIALS_FULL_URI");
      return *full;
    }
    return Status::NotFound(
        "container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and "
        "AWS_CONTAINER_CREDENTIALS_FULL_URI are not set");
  }

  Result<std::optional<Secret>> AuthorizationToken() const {
    std::optional<std::string> value;
    if (auto file = GetEnv(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE")) {
      auto text = ReadSmallFile("container: AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", *file);
      if (!text.ok()) return text.status();
      value = std::move(text).value();
    } else {
      value = GetEnv(env_, "AWS_CONTAINER_AUTHORIZATION_TOKEN");
    }
    if (!value) return std::optional<Secret>();
    if (value->find_first_of("\r\n") != std::string::npos) {
      return Status::InvalidArgument(
          "container: the authorization token contains a line break; it must be one line");
    }
    return std::optional<Secret>(Secret(std::move(*value)));
  }

  const CredentialsEnvironment env_;
};

}  // namespace

Status ValidateContainerFullUri(std::string_view url) {
  if (url.starts_with("https://")) {
    return HostOf(url).empty() ? Status::InvalidArgument(fmt::format("'{}' has no host", url))
                               : Status::OK();
  }
  if (!url.starts_with("http://")) {
    return Status::InvalidArgument(fmt::format("'{}' must start with http:// or https://", url));
  }
  std::string_view host = HostOf(url);
  if (!IsAllowedHttpHost(host)) {
    return Status::InvalidArgument(fmt::format(
        "'{}': plain http is allowed only to a loopback host, 169.254.170.2, 169.254.170.23 or "
        "[fd00:ec2::23]; use https for host '{}'",
        url, host));
  }
  return Status::OK();
}

std::shared_ptr<CredentialsProvider> MakeContainerCredentialsProvider(
    const CredentialsEnvironment& env) {
  return MakeRefreshingCredentialsProvider(std::make_shared<ContainerProvider>(env), env.clock,
                                           env.refresh);
}

}  // namespace trailhound::aws
