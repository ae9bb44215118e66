#include "aws/s3_addressing.h"

#include <fmt/format.h>

#include <algorithm>

#include "aws/regions.h"
#include "aws/sigv4.h"

namespace trailhound::aws {
namespace {

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
}

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

}  // namespace

Result<std::string> ExpandS3EndpointTemplate(std::string_view endpoint_template,
                                             std::string_view region) {
  auto partition = PartitionOfRegion(region);
  if (!partition.ok()) return partition.status();
  std::string endpoint(endpoint_template);
  ReplaceAll(endpoint, "{region}", region);
  ReplaceAll(endpoint, "{dns_suffix}", partition->dns_suffix);
  if (!endpoint.starts_with("https://") && !endpoint.starts_with("http://")) {
    return Status::InvalidArgument(
        fmt::format("Invalid S3 endpoint template '{}': it must start with https:// or http://",
                    endpoint_template));
  }
  return endpoint;
}

bool IsVirtualHostableBucket(std::string_view bucket) {
  if (bucket.size() < 3 || bucket.size() > 63) return false;
  if (!IsLowerAlnum(bucket.front()) || !IsLowerAlnum(bucket.back())) return false;
  return std::all_of(bucket.begin(), bucket.end(),
                     [](char c) { return IsLowerAlnum(c) || c == '-'; });
}

std::string EncodeS3Key(std::string_view key) { return UriEncode(key, /*keep_slash=*/true); }

Result<std::string> S3RequestUrl(const S3UrlRequest& request) {
  if (request.bucket.empty()) return Status::InvalidArgument("S3 request without a bucket name");
  std::string_view endpoint = request.endpoint;
  while (endpoint.ends_with('/')) endpoint.remove_suffix(1);
  size_t scheme_end = endpoint.find("://");
  if (scheme_end == std::string_view::npos || scheme_end + 3 >= endpoint.size()) {
    return Status::InvalidArgument(
        fmt::format("Invalid S3 endpoint '{}': expected scheme://host[:port]", request.endpoint));
  }
  std::string url;
  if (request.path_style) {
    url = fmt::format("{}/{}", endpoint, UriEncode(request.bucket, /*keep_slash=*/false));
  } else {
    if (!IsVirtualHostableBucket(request.bucket)) {
      return Status::InvalidArgument(fmt::format(
          "Bucket '{}' cannot be addressed virtual-hosted style; use path style", request.bucket));
    }
    url = fmt::format("{}{}.{}", endpoint.substr(0, scheme_end + 3), request.bucket,
                      endpoint.substr(scheme_end + 3));
  }
  url += '/';
  url += EncodeS3Key(request.key);
  if (!request.query.empty()) {
    url += '?';
    url += request.query;
  }
  return url;
}

std::string S3Uri(std::string_view bucket, std::string_view key) {
  return key.empty() ? fmt::format("s3://{}", bucket) : fmt::format("s3://{}/{}", bucket, key);
}

}  // namespace trailhound::aws
