#include "aws/s3.h"

#include <fmt/format.h>

#include <initializer_list>
#include <utility>

#include "aws/regions.h"
#include "aws/s3_response.h"
#include "aws/sigv4.h"

namespace trailhound::aws {
namespace {

bool IsSuccess(int status) { return status >= 200 && status < 300; }

Status Invalid(std::string_view operation, std::string_view resource, std::string_view reason) {
  return Status::InvalidArgument(fmt::format("Failed to {} {}: {}", operation, resource, reason))
      .WithResource(resource);
}

// `status` with " (the bucket is in region R)" appended, keeping its AWS context.
Status WithRegionHint(const Status& status, std::string_view region) {
  return Status(status.code(),
                fmt::format("{} (the bucket is in region '{}')", status.message(), region))
      .WithAwsError(status.aws_error_code(), status.request_id(), status.http_status())
      .WithResource(status.resource());
}

// "a=1&b=2" from (name, value) pairs already sorted by name; values are encoded, and
// parameters with an empty value are left out.
std::string BuildQuery(std::initializer_list<std::pair<std::string_view, std::string>> params) {
  std::string query;
  for (const auto& [name, value] : params) {
    if (value.empty()) continue;
    if (!query.empty()) query += '&';
    query += name;
    query += '=';
    query += UriEncode(value, /*keep_slash=*/false);
  }
  return query;
}

}  // namespace

// One S3 call before addressing and signing.
struct S3Client::Request {
  std::string operation;  // "GetObject"
  std::string bucket;
  std::string key;    // raw; "" for bucket operations
  std::string query;  // encoded, without '?'
  std::string method = "GET";
  HttpHeaders headers;
  std::string body;
  const BodySink* sink = nullptr;
  std::string region;  // "" = the bucket's known region, else S3Options::region
  bool follow_region_redirects = true;
};

S3Client::S3Client(std::shared_ptr<AwsRequestSender> sender, S3Options options)
    : sender_(std::move(sender)), options_(std::move(options)) {}

std::optional<std::string> S3Client::BucketRegion(std::string_view bucket) const {
  return regions_.Get(bucket);
}

void S3Client::SetBucketRegion(std::string_view bucket, std::string_view region) {
  regions_.Set(bucket, region);
}

Result<AwsCall> S3Client::BuildCall(const Request& request, const std::string& region) const {
  AwsCall call;
  call.operation = request.operation;
  call.resource = S3Uri(request.bucket, request.key);

  S3UrlRequest url;
  url.bucket = request.bucket;
  url.key = request.key;
  url.query = request.query;
  std::string endpoint;
  if (!options_.endpoint_url.empty()) {
    endpoint = options_.endpoint_url;
    url.path_style = true;
  } else {
    auto expanded = ExpandS3EndpointTemplate(options_.regional_endpoint_template, region);
    if (!expanded.ok()) return expanded.status().WithResource(call.resource);
    endpoint = std::move(*expanded);
    url.path_style = options_.force_path_style || !IsVirtualHostableBucket(request.bucket);
  }
  url.endpoint = endpoint;
  auto full_url = S3RequestUrl(url);
  if (!full_url.ok()) return full_url.status().WithResource(call.resource);

  call.request.method = request.method;
  call.request.url = std::move(*full_url);
  call.request.headers = request.headers;
  call.request.body = request.body;
  call.signing.region = region;
  call.signing.service = "s3";
  call.signing.normalize_path = false;
  call.signing.double_encode_path = false;
  call.signing.add_content_sha256_header = true;
  call.signing.payload =
      request.body.empty() && (request.method == "GET" || request.method == "HEAD")
          ? PayloadSigning::kUnsigned
          : PayloadSigning::kSignBody;
  call.errors = ErrorProtocol::kXml;
  call.sink = request.sink;
  return call;
}

Result<HttpResponse> S3Client::Execute(const Request& request) {
  std::string region = !request.region.empty()
                           ? request.region
                           : regions_.Get(request.bucket).value_or(options_.region);
  for (int attempt = 1;; ++attempt) {
    auto call = BuildCall(request, region);
    if (!call.ok()) return call.status();
    auto response = sender_->SendRaw(*call);
    if (!response.ok()) return response.status();
    if (IsSuccess(response->status)) return response;

    std::string right_region = WrongRegionHint(*response, region);
    if (!PartitionOfRegion(right_region).ok()) right_region.clear();  // not a region name
    if (!right_region.empty() && options_.follow_region_redirects &&
        request.follow_region_redirects && attempt == 1) {
      regions_.Set(request.bucket, right_region);
      region = std::move(right_region);
      continue;
    }
    Status status = StatusFromAwsError(*call, *response, ErrorProtocol::kXml);
    return right_region.empty() ? status : WithRegionHint(status, right_region);
  }
}

Result<S3ObjectInfo> S3Client::GetObject(std::string_view bucket, std::string_view key,
                                         const BodySink& sink, const S3GetOptions& options) {
  Request request;
  request.operation = "GetObject";
  request.bucket = std::string(bucket);
  request.key = std::string(key);
  if (key.empty()) return Invalid(request.operation, S3Uri(bucket, key), "the key is empty");
  if (options.range) {
    const S3ByteRange& range = *options.range;
    if (range.last && *range.last < range.first) {
      return Invalid(request.operation, S3Uri(bucket, key),
                     fmt::format("byte range {}-{} is empty", range.first, *range.last));
    }
    request.headers.push_back({"Range", range.last
                                            ? fmt::format("bytes={}-{}", range.first, *range.last)
                                            : fmt::format("bytes={}-", range.first)});
  }
  uint64_t received = 0;
  BodySink counting_sink = [&](std::string_view chunk) {
    received += chunk.size();
    return sink(chunk);
  };
  request.sink = &counting_sink;
  auto response = Execute(request);
  if (!response.ok()) return response.status();
  S3ObjectInfo info = ParseObjectInfo(*response);
  if (response->Header("Content-Length").empty()) {  // chunked: count what arrived
    info.content_length_bytes = received;
    if (response->Header("Content-Range").empty()) info.size_bytes = received;
  }
  return info;
}

Result<std::string> S3Client::GetObjectToString(std::string_view bucket, std::string_view key,
                                                size_t max_bytes) {
  std::string body;
  BodySink sink = [&](std::string_view chunk) {
    if (body.size() + chunk.size() > max_bytes) {
      return Status::ResourceExhausted(fmt::format("Failed to GetObject {}: larger than {} bytes",
                                                   S3Uri(bucket, key), max_bytes))
          .WithResource(S3Uri(bucket, key));
    }
    body.append(chunk);
    return Status::OK();
  };
  auto info = GetObject(bucket, key, sink);
  if (!info.ok()) return info.status();
  return body;
}

Result<S3ObjectInfo> S3Client::HeadObject(std::string_view bucket, std::string_view key) {
  Request request;
  request.operation = "HeadObject";
  request.method = "HEAD";
  request.bucket = std::string(bucket);
  request.key = std::string(key);
  if (key.empty()) return Invalid(request.operation, S3Uri(bucket, key), "the key is empty");
  auto response = Execute(request);
  if (!response.ok()) return response.status();
  return ParseObjectInfo(*response);
}

Result<S3ListPage> S3Client::ListObjectsV2(const S3ListRequest& list) {
  Request request;
  request.operation = "ListObjectsV2";
  request.bucket = list.bucket;
  const std::string resource = S3Uri(list.bucket, list.prefix);
  if (list.max_keys < 0 || list.max_keys > 1000) {
    return Invalid(request.operation, resource,
                   fmt::format("max-keys must be 0 to 1000, got {}", list.max_keys));
  }
  // Sorted by name, as SigV4 canonicalises them; encoding-type=url keeps keys with
  // characters XML cannot carry intact (the response says whether it was applied).
  request.query = BuildQuery({{"continuation-token", list.continuation_token},
                              {"delimiter", list.delimiter},
                              {"encoding-type", "url"},
                              {"list-type", "2"},
                              {"max-keys", list.max_keys ? std::to_string(list.max_keys) : ""},
                              {"prefix", list.prefix},
                              {"start-after", list.start_after}});
  auto response = Execute(request);
  if (!response.ok()) return response.status();
  auto page = ParseListObjectsV2(response->body);
  if (!page.ok()) {
    return Status::Corruption(
               fmt::format("Failed to ListObjectsV2 {}: {}", resource, page.status().message()))
        .WithResource(resource);
  }
  return page;
}

Status S3Client::ForEachListPage(S3ListRequest request,
                                 const std::function<Status(const S3ListPage&)>& on_page) {
  while (true) {
    auto page = ListObjectsV2(request);
    if (!page.ok()) return page.status();
    TH_RETURN_IF_ERROR(on_page(*page));
    if (!page->is_truncated) return Status::OK();
    if (page->next_continuation_token == request.continuation_token) {
      const std::string resource = S3Uri(request.bucket, request.prefix);
      return Status::Corruption(
                 fmt::format("Failed to ListObjectsV2 {}: the same continuation token "
                             "came back twice",
                             resource))
          .WithResource(resource);
    }
    request.continuation_token = std::move(page->next_continuation_token);
    request.start_after.clear();  // the token carries the position from here on
  }
}

Result<std::vector<S3ListedObject>> S3Client::ListAllObjects(S3ListRequest request) {
  std::vector<S3ListedObject> objects;
  TH_RETURN_IF_ERROR(ForEachListPage(std::move(request), [&](const S3ListPage& page) {
    objects.insert(objects.end(), page.objects.begin(), page.objects.end());
    return Status::OK();
  }));
  return objects;
}

Result<std::string> S3Client::GetBucketLocation(std::string_view bucket) {
  Request request;
  request.operation = "GetBucketLocation";
  request.bucket = std::string(bucket);
  request.query = "location";
  auto response = Execute(request);
  if (!response.ok()) return response.status();
  auto region = ParseBucketLocation(response->body);
  if (!region.ok()) {
    return Status::Corruption(fmt::format("Failed to GetBucketLocation {}: {}", S3Uri(bucket),
                                          region.status().message()))
        .WithResource(S3Uri(bucket));
  }
  regions_.Set(bucket, *region);
  return region;
}

Result<std::string> S3Client::PutObject(std::string_view bucket, std::string_view key,
                                        std::string body, const S3PutOptions& options) {
  Request request;
  request.operation = "PutObject";
  request.method = "PUT";
  request.bucket = std::string(bucket);
  request.key = std::string(key);
  if (key.empty()) return Invalid(request.operation, S3Uri(bucket, key), "the key is empty");
  request.headers.push_back({"Content-Type", options.content_type.empty()
                                                 ? std::string("application/octet-stream")
                                                 : options.content_type});
  if (!options.content_encoding.empty()) {
    request.headers.push_back({"Content-Encoding", options.content_encoding});
  }
  request.body = std::move(body);
  auto response = Execute(request);
  if (!response.ok()) return response.status();
  std::string_view etag = response->Header("ETag");
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') {
    etag = etag.substr(1, etag.size() - 2);
  }
  return std::string(etag);
}

Status S3Client::CreateBucket(std::string_view bucket, std::string_view region) {
  Request request;
  request.operation = "CreateBucket";
  request.method = "PUT";
  request.bucket = std::string(bucket);
  const std::string target_region(region.empty() ? std::string_view(options_.region) : region);
  // us-east-1 is the default location and must not be named.
  if (target_region != "us-east-1") {
    request.body = fmt::format(
        "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        "<LocationConstraint>{}</LocationConstraint></CreateBucketConfiguration>",
        target_region);
  }
  request.headers.push_back({"Content-Type", "application/xml"});
  request.region = target_region;
  request.follow_region_redirects = false;  // the bucket is created where we say
  auto response = Execute(request);
  if (!response.ok()) return response.status();
  SetBucketRegion(bucket, target_region);
  return Status::OK();
}

}  // namespace trailhound::aws
