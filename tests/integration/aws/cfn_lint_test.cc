// The CloudFormation template of `trailhound policy --format cloudformation`, checked by
// cfn-lint (the AWS CloudFormation linter, on the machine) in a region of every partition,
// with and without a KMS key, a prefix and an existing collector principal.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "core/temp_dir.h"
#include "testing/command.h"

namespace trailhound {
namespace {

using testing::CommandRun;
using testing::RunCommand;

TEST(CfnLint, TheClassicSetUpTemplateIsCleanInEveryPartition) {
  ASSERT_EQ(RunCommand("cfn-lint --version").status, 0)
      << "cfn-lint is not installed (it comes with the machine image; there is no PyPI here)";
  TempDir dir("trailhound-cfn");
  struct Case {
    const char* partition;
    const char* region;
    std::string extra;
  };
  const Case cases[] = {
      {"aws", "ap-northeast-3", ""},
      {"aws", "us-east-1",
       "--prefix org --kms-key-arn arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-"
       "1234567890ab"},
      {"aws-cn", "cn-north-1", "--principal-arn arn:aws-cn:iam::123456789012:role/siem"},
      {"aws-us-gov", "us-gov-west-1", "--prefix gov/"},
  };
  // One cfn-lint run (it starts slowly) checks every template in a region of every partition;
  // the templates name their partition through ${AWS::Partition}.
  std::string files, regions;
  int i = 0;
  for (const Case& c : cases) {
    const std::string file = dir.Path("template" + std::to_string(i++) + ".json");
    const std::string policy = std::string(TRAILHOUND_BINARY) +
                               " policy --format cloudformation --bucket org-trail-logs " +
                               "--queue-arn arn:" + c.partition + ":sqs:" + c.region +
                               ":123456789012:cloudtrail-siem " + c.extra;
    CommandRun made = RunCommand(policy + " > " + file);
    ASSERT_EQ(made.status, 0) << made.out;
    files += " " + file;
    regions += " " + std::string(c.region);
  }
  CommandRun lint = RunCommand("cfn-lint --regions" + regions + " --" + files);
  EXPECT_EQ(lint.status, 0) << lint.out;
}

TEST(CfnLint, PolicyDocumentsAreValidJson) {
  for (const std::string format : {"iam", "bucket", "queue"}) {
    CommandRun run = RunCommand(
        std::string(TRAILHOUND_BINARY) + " policy --format " + format +
        " --bucket b-logs --queue-arn arn:aws:sqs:eu-west-1:123456789012:q"
        " --principal-arn arn:aws:iam::123456789012:user/siem"
        " --topic-arn arn:aws:sns:eu-west-1:123456789012:t | python3 -c 'import json,sys; "
        "d=json.load(sys.stdin); assert d[\"Version\"]==\"2012-10-17\" and d[\"Statement\"]'");
    EXPECT_EQ(run.status, 0) << format << ": " << run.out;
  }
  CommandRun bad =
      RunCommand(std::string(TRAILHOUND_BINARY) + " policy --bucket b-logs --queue-arn not-an-arn");
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.out.find("--queue-arn 'not-an-arn' is not an ARN"), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace trailhound
