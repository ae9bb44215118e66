// S3Client: the S3 calls Trailhound makes (GetObject streamed, HeadObject,
// ListObjectsV2, GetBucketLocation; PutObject and CreateBucket for tests and the
// demo), signed with S3's SigV4 rules and addressed as s3_addressing.h describes.
// Buckets in another region than expected are found by themselves: a wrong-region
// answer (301 PermanentRedirect, 400 AuthorizationHeaderMalformed, any error with
// x-amz-bucket-region) is retried once in the region it names, which is remembered
// per bucket. Errors name s3://bucket/key ("Failed to GetObject s3://b/k: Access Denied").
// Thread safety: all methods may be called from many threads at once.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.h"
#include "aws/http.h"
#include "aws/s3_addressing.h"
#include "aws/s3_region_cache.h"
#include "aws/s3_types.h"
#include "core/result.h"

namespace trailhound::aws {

struct S3Options {
  // One endpoint for every bucket and region instead of AWS's (emulators, S3-compatible
  // stores, VPC endpoints); buckets are then addressed path style. "" = AWS.
  std::string endpoint_url{};
  // AWS's endpoint per region, {region} and {dns_suffix} replaced; buckets are addressed
  // virtual-hosted on it. Tests point it at a local server ("http://s3.{region}.localhost:PORT").
  std::string regional_endpoint_template = std::string(kS3RegionalEndpointTemplate);
  // Region to sign for and send to while a bucket's region is not known.
  std::string region = "us-east-1";
  // Address buckets as <endpoint>/<bucket>/<key> on AWS too.
  bool force_path_style = false;
  // Retry once in the region a wrong-region answer names, and remember it for the bucket.
  bool follow_region_redirects = true;
};

class S3Client {
 public:
  // Shares `sender` (and so its transport, credentials and retry policy) with other clients.
  S3Client(std::shared_ptr<AwsRequestSender> sender, S3Options options = {});

  // Streams the object's body (or the requested range) into `sink`; returns its metadata.
  // A failure after bytes reached the sink leaves them there: the caller restarts.
  Result<S3ObjectInfo> GetObject(std::string_view bucket, std::string_view key,
                                 const BodySink& sink, const S3GetOptions& options = {});
  // The whole object in memory; kResourceExhausted beyond `max_bytes`.
  Result<std::string> GetObjectToString(std::string_view bucket, std::string_view key,
                                        size_t max_bytes = 64u << 20);
  Result<S3ObjectInfo> HeadObject(std::string_view bucket, std::string_view key);

  // One page of keys (up to 1000); pass page.next_continuation_token back for the next.
  Result<S3ListPage> ListObjectsV2(const S3ListRequest& request);
  // Every page from `request` on, in order; stops at the first non-OK `on_page` and returns it.
  Status ForEachListPage(S3ListRequest request,
                         const std::function<Status(const S3ListPage&)>& on_page);
  // Every object from `request` on (all pages); for small listings, tests and the demo.
  Result<std::vector<S3ListedObject>> ListAllObjects(S3ListRequest request);

  // The bucket's region ("us-east-1" for an empty LocationConstraint, "eu-west-1" for "EU");
  // remembered for later calls.
  Result<std::string> GetBucketLocation(std::string_view bucket);

  // For tests, the demo and simulations. PutObject returns the new object's ETag.
  Result<std::string> PutObject(std::string_view bucket, std::string_view key, std::string body,
                                const S3PutOptions& options = {});
  // Creates `bucket` in `region` ("" = S3Options::region).
  Status CreateBucket(std::string_view bucket, std::string_view region = "");

  // The region the bucket is known to be in (configured, located or learnt from a
  // redirect), or nullopt: for status pages and `trailhound doctor` hints.
  std::optional<std::string> BucketRegion(std::string_view bucket) const;
  // Records the bucket's region (e.g. the source's configured bucket_region).
  void SetBucketRegion(std::string_view bucket, std::string_view region);

 private:
  struct Request;
  // Builds, sends and (on a wrong-region answer) re-sends `request`; a 2xx response or
  // the failure.
  Result<HttpResponse> Execute(const Request& request);
  Result<AwsCall> BuildCall(const Request& request, const std::string& region) const;

  std::shared_ptr<AwsRequestSender> sender_;
  S3Options options_;
  S3BucketRegionCache regions_;
};

}  // namespace trailhound::aws
