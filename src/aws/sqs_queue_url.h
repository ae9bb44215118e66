// SQS queue URLs: ParseSqsQueueUrl() splits a queue URL into the endpoint to send
// calls to, the region to sign them for, the account id and the queue name. It
// knows every AWS form (regional, legacy, China, GovCloud, FIPS, VPC endpoints) and
// the emulators' (fauxqs, LocalStack, moto); when the URL does not name a region,
// the region must come from the options. Errors: kInvalidArgument naming the URL.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace trailhound::aws {

struct SqsQueueUrl {
  // The URL exactly as given; SQS matches it as a string, so it is sent verbatim.
  std::string url{};
  // scheme://host[:port] without a trailing slash, e.g. "https://sqs.us-east-1.amazonaws.com".
  std::string endpoint{};
  // The SigV4 signing region, e.g. "ap-northeast-3".
  std::string region{};
  // The owner's account id (12 digits on AWS; emulators use 000000000000 or 123456789012).
  std::string account_id{};
  // The queue name, e.g. "cloudtrail-siem" or "orders.fifo".
  std::string queue_name{};
};

struct SqsQueueUrlOptions {
  // Region to sign with instead of the one the URL names ("" = take it from the URL).
  std::string region{};
  // Region to use only when the URL names none (emulator URLs like http://127.0.0.1:4566/...).
  std::string fallback_region{};
  // Endpoint to send calls to instead of the URL's scheme and host ("" = derive it).
  std::string endpoint_url{};
};

// Parses `url`. The endpoint is the URL's scheme://host[:port], except for the legacy
// hosts (<region>.queue.amazonaws.com, queue.amazonaws.com), which map to the current
// regional endpoint https://sqs.<region>.<dns suffix>.
Result<SqsQueueUrl> ParseSqsQueueUrl(std::string_view url, const SqsQueueUrlOptions& options = {});

// The region named by an SQS host name, or "" when it names none:
// "sqs.eu-west-1.amazonaws.com", "sqs-fips.us-east-1.amazonaws.com",
// "vpce-0a1-b2.sqs.us-east-1.vpce.amazonaws.com", "eu-west-1.queue.amazonaws.com",
// "queue.amazonaws.com" (us-east-1), "sqs.us-east-1.localhost" (fauxqs).
std::string RegionOfSqsHost(std::string_view host);

}  // namespace trailhound::aws
