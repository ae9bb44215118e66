// S3 addressing: which URL a request for (bucket, key) goes to. Virtual-hosted style
// (https://<bucket>.s3.<region>.amazonaws.com/<key>) is the default on AWS; path style
// (<endpoint>/<bucket>/<key>) is used with a custom endpoint, when forced, or for
// bucket names that cannot be a TLS host label (dots, upper case, underscores).
// Keys are percent-encoded once, byte by byte, keeping '/' (as S3 signs them).
// Errors: kInvalidArgument naming the bucket or endpoint. Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace trailhound::aws {

// AWS's regional S3 endpoint; {region} and {dns_suffix} are replaced.
inline constexpr std::string_view kS3RegionalEndpointTemplate = "https://s3.{region}.{dns_suffix}";

// "https://s3.eu-west-1.amazonaws.com" for the default template and "eu-west-1".
// Fails for a region that is not shaped like one or a template that is not a URL.
Result<std::string> ExpandS3EndpointTemplate(std::string_view endpoint_template,
                                             std::string_view region);

// True when `bucket` can be the first label of a TLS host name: 3 to 63 characters of
// [a-z0-9-], starting and ending with a letter or digit, no dots.
bool IsVirtualHostableBucket(std::string_view bucket);

// Each byte except A-Za-z0-9-_.~ and '/' as %XX: "a b+c%d/ü" → "a%20b%2Bc%25d/%C3%BC".
std::string EncodeS3Key(std::string_view key);

struct S3UrlRequest {
  std::string_view endpoint;  // scheme://host[:port][/base], trailing '/' ignored
  bool path_style = false;
  std::string_view bucket;
  std::string_view key;    // raw (not encoded); "" for bucket operations
  std::string_view query;  // already encoded, without '?', e.g. "list-type=2&prefix=a%2F"
};

// The request URL, e.g. "https://b.s3.eu-west-1.amazonaws.com/k?x" or
// "http://127.0.0.1:9000/b/k?x". REQUIRES: virtual-hosted only for hostable buckets.
Result<std::string> S3RequestUrl(const S3UrlRequest& request);

// "s3://bucket/key" (or "s3://bucket" without a key): how errors name an object.
std::string S3Uri(std::string_view bucket, std::string_view key = "");

}  // namespace trailhound::aws
