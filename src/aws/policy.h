// The AWS side of the classic set-up, as documents (`trailhound policy`): the collector's
// least-privilege IAM policy, the bucket-policy statements that let it read the logs, the SQS
// queue policy that lets the SNS topic deliver, and a CloudFormation template of the whole
// set-up (bucket, trail, topic, queue with DLQ, subscription, collector user). ARNs use the
// partition of the queue ARN (aws, aws-cn, aws-us-gov); the template uses ${AWS::Partition}
// so that it deploys in any partition. Thread safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "aws/arn.h"
#include "core/result.h"

namespace trailhound::aws {

struct PolicyOptions {
  std::string bucket;         // the log bucket's name
  std::string prefix;         // key prefix of the logs ("" or e.g. "org/"; "AWSLogs/" follows)
  std::string queue_arn;      // the collector's SQS queue
  std::string kms_key_arn;    // the key of SSE-KMS log files; "" when none
  std::string principal_arn;  // the collector's user or role (bucket policy); "" when unknown
  std::string topic_arn;      // the SNS topic CloudTrail notifies (queue policy)
};

// The parsed, checked inputs; kInvalidArgument naming the option that is wrong.
struct PolicyInputs {
  PolicyOptions options;
  Arn queue;
  std::string partition;
  std::string trail_prefix;  // the prefix with a trailing '/', or ""
  std::string log_prefix;    // trail_prefix + "AWSLogs/"
};
Result<PolicyInputs> CheckPolicyOptions(const PolicyOptions& options);

using PolicyJson = nlohmann::ordered_json;

// The collector's IAM policy: sqs:ReceiveMessage, DeleteMessage, ChangeMessageVisibility and
// GetQueueAttributes on the queue; s3:GetObject on <bucket>/<prefix>AWSLogs/*; s3:ListBucket
// on the bucket (limited to the prefix when there is one) and s3:GetBucketLocation for
// backfill and doctor; kms:Decrypt
// on the key when one is given.
PolicyJson CollectorIamPolicy(const PolicyInputs& inputs);
// Bucket-policy statements for principal_arn (required: kInvalidArgument without it).
Result<PolicyJson> CollectorBucketPolicy(const PolicyInputs& inputs);
// The queue policy letting topic_arn deliver (aws:SourceArn condition; kInvalidArgument
// without a topic).
Result<PolicyJson> QueueDeliveryPolicy(const PolicyInputs& inputs);
// The whole classic set-up as a CloudFormation template (JSON).
PolicyJson ClassicSetupTemplate(const PolicyInputs& inputs);

}  // namespace trailhound::aws
