// Hints: for a failed AWS call of an event source, one or two sentences that name the fix —
// the missing permission and resource, the right region, the credential that is wrong
// (DESIGN.md "Every failure is explained"; the same texts back `trailhound doctor`).
// Pure functions of the Status (code, AWS error code, HTTP status, message) and what the
// source knows; never include a secret (access key ids are masked). Thread safety: pure
// functions. An OK status, or an error with nothing better to say, yields an empty hint.
#pragma once

#include <string>

#include "core/status.h"

namespace trailhound::sources {

enum class AwsOperation : uint8_t {
  kReceiveMessage,
  kDeleteMessageBatch,
  kChangeMessageVisibility,
  kGetQueueAttributes,
  kGetObject,
  kGetBucketLocation,
  kListObjectsV2,
  kGetCallerIdentity,
  kStore,   // the local store refused a write (disk full, ...)
  kDecode,  // the object was fetched but is not a readable CloudTrail file
};

struct HintContext {
  AwsOperation operation = AwsOperation::kReceiveMessage;
  std::string queue_url;
  std::string queue_arn;  // arn:<partition>:sqs:<region>:<account>:<name> when known
  std::string bucket;
  std::string key;
  std::string partition = "aws";     // aws, aws-cn, aws-us-gov: for ARNs in hints
  std::string access_key_id_masked;  // "AKIA…XAMPLE" when static keys are used
  std::string configured_bucket_region;
  std::string actual_bucket_region;  // when learnt (redirect, GetBucketLocation)
};

struct Hint {
  std::string text;  // "" when there is nothing better to say than the error itself
};

Hint HintFor(const Status& status, const HintContext& context);

}  // namespace trailhound::sources
