// `trailhound policy --bucket B [--prefix P] --queue-arn ARN [--kms-key-arn ARN]
// [--principal-arn ARN] [--topic-arn ARN] [--format iam|bucket|queue|cloudformation]`:
// prints, as JSON, the least-privilege documents of the classic set-up (aws/policy.h): the
// collector's IAM policy (default), its bucket-policy statements, the queue policy for the
// SNS topic, or a CloudFormation template of the whole set-up. Exit status 1 with the
// option named when an input is wrong.
#pragma once

#include <CLI/CLI.hpp>

namespace trailhound::cli {

void AddPolicyCommand(CLI::App& app);

}  // namespace trailhound::cli
