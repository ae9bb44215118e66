#include "cli/policy_command.h"

#include <fmt/format.h>

#include <memory>
#include <string>

#include "aws/policy.h"

namespace trailhound::cli {

namespace {

struct PolicyArgs {
  aws::PolicyOptions options;
  std::string format = "iam";
};

[[noreturn]] void Fail(const Status& status) {
  fmt::print(stderr, "trailhound: {}\n", status.message());
  throw CLI::RuntimeError(1);
}

void Print(const aws::PolicyJson& document) { fmt::print("{}\n", document.dump(2)); }

void RunPolicy(const PolicyArgs& args) {
  auto inputs = aws::CheckPolicyOptions(args.options);
  if (!inputs.ok()) Fail(inputs.status());
  if (args.format == "iam") return Print(aws::CollectorIamPolicy(*inputs));
  if (args.format == "cloudformation") return Print(aws::ClassicSetupTemplate(*inputs));
  auto document = args.format == "bucket" ? aws::CollectorBucketPolicy(*inputs)
                                          : aws::QueueDeliveryPolicy(*inputs);
  if (!document.ok()) Fail(document.status());
  Print(*document);
}

}  // namespace

void AddPolicyCommand(CLI::App& app) {
  auto args = std::make_shared<PolicyArgs>();
  auto* cmd = app.add_subcommand(
      "policy",
      "Print the least-privilege IAM policy for the collector, its bucket-policy statements, "
      "the SQS queue policy for the SNS topic, or a CloudFormation template of the whole "
      "classic set-up (valid JSON; ARNs in the queue's partition)");
  cmd->add_option("--bucket", args->options.bucket, "The CloudTrail log bucket")->required();
  cmd->add_option("--prefix", args->options.prefix,
                  "The trail's S3 key prefix, if any (the logs are under <prefix>/AWSLogs/)");
  cmd->add_option("--queue-arn", args->options.queue_arn,
                  "ARN of the SQS queue the collector reads")
      ->required();
  cmd->add_option("--kms-key-arn", args->options.kms_key_arn,
                  "KMS key of SSE-KMS log files: adds kms:Decrypt");
  cmd->add_option("--principal-arn", args->options.principal_arn,
                  "The collector's IAM user or role (for --format bucket and cloudformation)");
  cmd->add_option("--topic-arn", args->options.topic_arn,
                  "The SNS topic CloudTrail notifies (for --format queue)");
  cmd->add_option("--format", args->format, "iam (default), bucket, queue or cloudformation")
      ->check(CLI::IsMember({"iam", "bucket", "queue", "cloudformation"}));
  cmd->callback([args] { RunPolicy(*args); });
}

}  // namespace trailhound::cli
