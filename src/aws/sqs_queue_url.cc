#include "aws/sqs_queue_url.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "aws/regions.h"

namespace trailhound::aws {
namespace {

constexpr std::string_view kExpectedForm =
    "expected https://sqs.<region>.amazonaws.com/<account id>/<queue name>";

struct UrlParts {
  std::string_view scheme;     // "http" or "https"
  std::string_view authority;  // host[:port]
  std::string_view host;
  std::string_view path;  // from the first '/', may be empty
};

Status Invalid(std::string_view url, std::string_view reason) {
  return Status::InvalidArgument(fmt::format("Invalid SQS queue URL '{}': {}", url, reason));
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool LooksLikeRegion(std::string_view label) { return PartitionOfRegion(label).ok(); }

// Splits "scheme://host[:port][/path]". `what` names the string in errors.
Result<UrlParts> SplitUrl(std::string_view url, std::string_view what) {
  UrlParts parts;
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) {
    return Status::InvalidArgument(
        fmt::format("Invalid {} '{}': it must start with https:// or http://", what, url));
  }
  parts.scheme = url.substr(0, scheme_end);
  if (parts.scheme != "https" && parts.scheme != "http") {
    return Status::InvalidArgument(
        fmt::format("Invalid {} '{}': scheme '{}' is not https or http", what, url, parts.scheme));
  }
  std::string_view rest = url.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  parts.authority = rest.substr(0, slash);
  parts.path = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return Status::InvalidArgument(
        fmt::format("Invalid {} '{}': it must not have a query or fragment", what, url));
  }
  if (parts.authority.find('@') != std::string_view::npos) {
    return Status::InvalidArgument(
        fmt::format("Invalid {} '{}': it must not contain user information", what, url));
  }
  parts.host = parts.authority;
  if (!parts.host.starts_with('[')) {  // not an IPv6 literal: strip ":port"
    size_t colon = parts.host.rfind(':');
    if (colon != std::string_view::npos) {
      if (!IsDigits(parts.host.substr(colon + 1))) {
        return Status::InvalidArgument(
            fmt::format("Invalid {} '{}': the port is not a number", what, url));
      }
      parts.host = parts.host.substr(0, colon);
    }
  }
  if (parts.host.empty()) {
    return Status::InvalidArgument(fmt::format("Invalid {} '{}': the host is empty", what, url));
  }
  return parts;
}

std::vector<std::string_view> SplitLabels(std::string_view host) {
  std::vector<std::string_view> labels;
  size_t start = 0;
  while (true) {
    size_t dot = host.find('.', start);
    labels.push_back(host.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return labels;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The legacy hosts: queue.amazonaws.com and <region>.queue.amazonaws.com[.cn].
bool IsLegacyQueueHost(std::string_view host) {
  return host == "queue.amazonaws.com" || host.ends_with(".queue.amazonaws.com") ||
         host.ends_with(".queue.amazonaws.com.cn");
}

// Queue names: 1 to 80 characters of [A-Za-z0-9_-], FIFO queues ending in ".fifo".
bool IsValidQueueName(std::string_view name) {
  if (name.empty() || name.size() > 80) return false;
  std::string_view base = name;
  if (base.ends_with(".fifo")) base.remove_suffix(5);
  if (base.empty()) return false;
  return std::all_of(base.begin(), base.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
}

}  // namespace

std::string RegionOfSqsHost(std::string_view host_in) {
  std::string host = Lower(host_in);
  if (host == "queue.amazonaws.com") return "us-east-1";
  std::vector<std::string_view> labels = SplitLabels(host);
  for (size_t i = 0; i < labels.size(); ++i) {
    if ((labels[i] == "sqs" || labels[i] == "sqs-fips") && i + 1 < labels.size() &&
        LooksLikeRegion(labels[i + 1])) {
      return std::string(labels[i + 1]);
    }
    if (labels[i] == "queue" && i > 0 && LooksLikeRegion(labels[i - 1])) {
      return std::string(labels[i - 1]);
    }
  }
  return "";
}

Result<SqsQueueUrl> ParseSqsQueueUrl(std::string_view url, const SqsQueueUrlOptions& options) {
  auto parts = SplitUrl(url, "SQS queue URL");
  if (!parts.ok()) return parts.status();
  const std::string host = Lower(parts->host);
  const bool aws_host = PartitionOfHost(host).ok();

  // Path: "/<account id>/<queue name>".
  std::string_view path = parts->path;
  if (path.size() < 2)
    return Invalid(url, fmt::format("it has no account id and queue name; {}", kExpectedForm));
  path.remove_prefix(1);
  size_t slash = path.find('/');
  if (slash == std::string_view::npos || path.find('/', slash + 1) != std::string_view::npos) {
    return Invalid(url,
                   fmt::format("the path must be /<account id>/<queue name>; {}", kExpectedForm));
  }
  SqsQueueUrl result;
  result.url = std::string(url);
  result.account_id = std::string(path.substr(0, slash));
  result.queue_name = std::string(path.substr(slash + 1));
  if (result.account_id.empty() ||
      (aws_host && (result.account_id.size() != 12 || !IsDigits(result.account_id)))) {
    return Invalid(url, fmt::format("'{}' is not a 12-digit AWS account id", result.account_id));
  }
  if (!IsValidQueueName(result.queue_name)) {
    return Invalid(url, fmt::format("'{}' is not a queue name (1 to 80 letters, digits, '-' "
                                    "and '_', optionally ending in '.fifo')",
                                    result.queue_name));
  }

  // Region: the override, else the host's, else the fallback.
  const std::string host_region = RegionOfSqsHost(host);
  if (!options.region.empty()) {
    result.region = options.region;
  } else if (!host_region.empty()) {
    result.region = host_region;
  } else if (!options.fallback_region.empty()) {
    result.region = options.fallback_region;
  } else {
    return Invalid(url, "its host does not name a region; set the region explicitly");
  }
  if (!LooksLikeRegion(result.region)) {
    return Invalid(url, fmt::format("'{}' is not an AWS region name", result.region));
  }

  // Endpoint: the override, else the modern regional endpoint for legacy hosts, else the
  // URL's own scheme and host (regional, FIPS, VPC endpoints and emulators alike).
  if (!options.endpoint_url.empty()) {
    std::string_view endpoint = options.endpoint_url;
    while (endpoint.ends_with('/')) endpoint.remove_suffix(1);
    auto endpoint_parts = SplitUrl(endpoint, "SQS endpoint URL");
    if (!endpoint_parts.ok()) return endpoint_parts.status();
    if (!endpoint_parts->path.empty()) {
      return Status::InvalidArgument(fmt::format(
          "Invalid SQS endpoint URL '{}': it must not have a path", options.endpoint_url));
    }
    result.endpoint = std::string(endpoint);
  } else if (IsLegacyQueueHost(host) && !host_region.empty()) {
    auto endpoint = DefaultEndpoint("sqs", host_region);
    if (!endpoint.ok()) return Invalid(url, endpoint.status().message());
    result.endpoint = std::move(*endpoint);
  } else {
    result.endpoint = fmt::format("{}://{}", parts->scheme, parts->authority);
  }
  return result;
}

}  // namespace trailhound::aws
