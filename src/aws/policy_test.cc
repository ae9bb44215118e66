#include "aws/policy.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace trailhound::aws {
namespace {

using json = PolicyJson;

PolicyOptions Options(const std::string& partition = "aws",
                      const std::string& region = "us-east-1") {
  PolicyOptions options;
  options.bucket = "org-trail-logs";
  options.queue_arn = "arn:" + partition + ":sqs:" + region + ":123456789012:cloudtrail-siem";
  return options;
}

const json* FindStatement(const json& document, const std::string& sid) {
  for (const auto& statement : document["Statement"]) {
    if (statement["Sid"] == sid) return &statement;
  }
  return nullptr;
}

std::set<std::string> Actions(const json& document) {
  std::set<std::string> actions;
  for (const auto& statement : document["Statement"]) {
    if (statement["Action"].is_string()) {
      actions.insert(statement["Action"].get<std::string>());
    } else {
      for (const auto& a : statement["Action"]) actions.insert(a.get<std::string>());
    }
  }
  return actions;
}

TEST(Policy, TheCollectorGetsExactlyWhatItNeeds) {
  auto inputs = CheckPolicyOptions(Options());
  ASSERT_TRUE(inputs.ok()) << inputs.status().ToString();
  json policy = CollectorIamPolicy(*inputs);
  EXPECT_EQ(policy["Version"], "2012-10-17");
  EXPECT_EQ(Actions(policy),
            (std::set<std::string>{"sqs:ReceiveMessage", "sqs:DeleteMessage",
                                   "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes",
                                   "s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"}));
  for (const auto& statement : policy["Statement"]) {
    EXPECT_EQ(statement["Effect"], "Allow");
    EXPECT_FALSE(statement.contains("Principal"));  // an identity policy
    EXPECT_NE(statement["Resource"], "*");
  }
  EXPECT_EQ((*FindStatement(policy, "ReceiveCloudTrailNotifications"))["Resource"],
            "arn:aws:sqs:us-east-1:123456789012:cloudtrail-siem");
  EXPECT_EQ((*FindStatement(policy, "ReadCloudTrailLogFiles"))["Resource"],
            "arn:aws:s3:::org-trail-logs/AWSLogs/*");
  const json& list = *FindStatement(policy, "ListCloudTrailLogFiles");
  EXPECT_EQ(list["Resource"], "arn:aws:s3:::org-trail-logs");
  EXPECT_FALSE(list.contains("Condition"));  // without a trail prefix the bucket is CloudTrail's
  // GetBucketLocation has no s3:prefix: a condition would deny it.
  EXPECT_FALSE(FindStatement(policy, "LocateCloudTrailBucket")->contains("Condition"));
}

TEST(Policy, APrefixAndAKeyNarrowAndExtend) {
  PolicyOptions options = Options();
  options.prefix = "org-trail";
  options.kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234";
  auto inputs = CheckPolicyOptions(options);
  ASSERT_TRUE(inputs.ok());
  json policy = CollectorIamPolicy(*inputs);
  EXPECT_EQ((*FindStatement(policy, "ReadCloudTrailLogFiles"))["Resource"],
            "arn:aws:s3:::org-trail-logs/org-trail/AWSLogs/*");
  EXPECT_EQ(
      (*FindStatement(policy, "ListCloudTrailLogFiles"))["Condition"]["StringLike"]["s3:prefix"],
      json::array({"org-trail/*"}));
  const json* decrypt = FindStatement(policy, "DecryptCloudTrailLogFiles");
  ASSERT_NE(decrypt, nullptr);
  EXPECT_EQ((*decrypt)["Action"], "kms:Decrypt");
  EXPECT_EQ((*decrypt)["Resource"], options.kms_key_arn);
}

TEST(Policy, EveryPartitionGetsItsOwnArns) {
  for (auto [partition, region] :
       {std::pair{"aws", "ap-northeast-3"}, std::pair{"aws-cn", "cn-north-1"},
        std::pair{"aws-us-gov", "us-gov-west-1"}}) {
    PolicyOptions options = Options(partition, region);
    options.principal_arn = std::string("arn:") + partition + ":iam::123456789012:user/siem";
    options.topic_arn = std::string("arn:") + partition + ":sns:" + region + ":123456789012:ct";
    auto inputs = CheckPolicyOptions(options);
    ASSERT_TRUE(inputs.ok()) << partition;
    const std::string s3 = std::string("arn:") + partition + ":s3:::org-trail-logs";
    EXPECT_EQ((*FindStatement(CollectorIamPolicy(*inputs), "ReadCloudTrailLogFiles"))["Resource"],
              s3 + "/AWSLogs/*");
    auto bucket = CollectorBucketPolicy(*inputs);
    ASSERT_TRUE(bucket.ok());
    EXPECT_EQ(Actions(*bucket),
              (std::set<std::string>{"s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"}));
    for (const auto& statement : (*bucket)["Statement"]) {
      EXPECT_EQ(statement["Principal"]["AWS"], options.principal_arn);
      EXPECT_TRUE(statement["Resource"].get<std::string>().starts_with(s3));
    }
    auto queue = QueueDeliveryPolicy(*inputs);
    ASSERT_TRUE(queue.ok());
    const json& deliver = (*queue)["Statement"][0];
    EXPECT_EQ(deliver["Principal"]["Service"], "sns.amazonaws.com");
    EXPECT_EQ(deliver["Action"], "sqs:SendMessage");
    EXPECT_EQ(deliver["Resource"], options.queue_arn);
    EXPECT_EQ(deliver["Condition"]["ArnEquals"]["aws:SourceArn"], options.topic_arn);
  }
}

TEST(Policy, BadInputsNameTheOption) {
  auto check = [](PolicyOptions options, const std::string& expected) {
    auto inputs = CheckPolicyOptions(options);
    ASSERT_FALSE(inputs.ok()) << expected;
    EXPECT_NE(inputs.status().message().find(expected), std::string::npos)
        << inputs.status().message();
  };
  PolicyOptions options = Options();
  options.bucket = "Bad_Bucket";
  check(options, "--bucket");
  options = Options();
  options.queue_arn = "https://sqs.us-east-1.amazonaws.com/123456789012/q";
  check(options, "--queue-arn");
  options.queue_arn = "arn:aws:sns:us-east-1:123456789012:q";
  check(options, "not an sqs ARN");
  options = Options();
  options.kms_key_arn = "arn:aws-cn:kms:cn-north-1:123456789012:key/1";
  check(options, "partition");
  options = Options();
  options.principal_arn = "arn:aws:sqs:us-east-1:123456789012:q";
  check(options, "IAM user or role");
  options = Options();
  options.prefix = "logs/*";
  check(options, "--prefix");
  auto inputs = CheckPolicyOptions(Options());
  ASSERT_TRUE(inputs.ok());
  EXPECT_NE(CollectorBucketPolicy(*inputs).status().message().find("--principal-arn"),
            std::string::npos);
  EXPECT_NE(QueueDeliveryPolicy(*inputs).status().message().find("--topic-arn"), std::string::npos);
}

TEST(Policy, TheTemplateHasTheWholeClassicSetUp) {
  auto inputs = CheckPolicyOptions(Options());
  ASSERT_TRUE(inputs.ok());
  json tmpl = ClassicSetupTemplate(*inputs);
  std::set<std::string> types;
  for (const auto& [name, resource] : tmpl["Resources"].items()) {
    types.insert(resource["Type"].get<std::string>());
  }
  EXPECT_EQ(types, (std::set<std::string>{
                       "AWS::S3::Bucket", "AWS::S3::BucketPolicy", "AWS::CloudTrail::Trail",
                       "AWS::SNS::Topic", "AWS::SNS::TopicPolicy", "AWS::SQS::Queue",
                       "AWS::SQS::QueuePolicy", "AWS::SNS::Subscription", "AWS::IAM::User"}));
  const json& queue = tmpl["Resources"]["Queue"]["Properties"];
  EXPECT_EQ(queue["QueueName"], "cloudtrail-siem");
  EXPECT_EQ(queue["RedrivePolicy"]["deadLetterTargetArn"]["Fn::GetAtt"][0], "DeadLetterQueue");
  EXPECT_EQ(tmpl["Resources"]["Trail"]["Properties"]["SnsTopicName"]["Fn::GetAtt"][0],
            "NotificationTopic");
  // The collector user's inline policy is the IAM policy with the template's own ARNs.
  const json& user_policy =
      tmpl["Resources"]["CollectorUser"]["Properties"]["Policies"][0]["PolicyDocument"];
  EXPECT_EQ(Actions(user_policy), Actions(CollectorIamPolicy(*inputs)));
  // Every ARN is partition-neutral.
  EXPECT_EQ(tmpl.dump().find("arn:aws:"), std::string::npos);
}

}  // namespace
}  // namespace trailhound::aws
