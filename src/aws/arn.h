// Amazon Resource Names: "arn:<partition>:<service>:<region>:<account>:<resource>".
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace trailhound::aws {

struct Arn {
  std::string partition;  // "aws", "aws-cn", "aws-us-gov"
  std::string service;    // "sqs", "sns", "kms", "iam", "s3"
  std::string region;     // "" for global services (iam, s3)
  std::string account;    // "" for S3 buckets
  std::string resource;   // "cloudtrail-siem", "key/1234...", "user/trailhound"
  std::string text;       // the ARN as given
};

// kInvalidArgument naming `field` and what is wrong. When `service` is not empty the ARN must
// be of that service; partition must be aws, aws-cn, aws-us-gov or an isolated one (aws-iso*).
Result<Arn> ParseArn(std::string_view field, std::string_view text, std::string_view service = "");

}  // namespace trailhound::aws
