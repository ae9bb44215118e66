#include "aws/policy.h"

#include <utility>

namespace trailhound::aws {

namespace {

using json = PolicyJson;

constexpr char kVersion[] = "2012-10-17";
constexpr char kCollectorSqsActions[][32] = {"sqs:ReceiveMessage", "sqs:DeleteMessage",
                                             "sqs:ChangeMessageVisibility",
                                             "sqs:GetQueueAttributes"};

// The ARNs a collector statement names: plain strings in a policy document, intrinsic
// functions in the template.
struct CollectorResources {
  json queue;
  json objects;  // arn:...:s3:::bucket/<prefix>AWSLogs/*
  json bucket;   // arn:...:s3:::bucket
  json kms_key;  // null when there is none
};

json Statement(std::string sid, json principal, json action, json resource,
               json condition = nullptr) {
  json statement = {{"Sid", std::move(sid)}, {"Effect", "Allow"}};
  if (!principal.is_null()) statement["Principal"] = std::move(principal);
  statement["Action"] = std::move(action);
  statement["Resource"] = std::move(resource);
  if (!condition.is_null()) statement["Condition"] = std::move(condition);
  return statement;
}

// The collector's statements, for the IAM policy (principal null) or the bucket policy.
// `trail_prefix` is the trail's S3 key prefix with a '/' ("org/"), or "".
json CollectorStatements(const CollectorResources& r, const std::string& trail_prefix,
                         const json& principal, bool s3_only) {
  json statements = json::array();
  if (!s3_only) {
    json actions = json::array();
    for (const char* action : kCollectorSqsActions) actions.push_back(action);
    statements.push_back(Statement("ReceiveCloudTrailNotifications", nullptr, actions, r.queue));
  }
  statements.push_back(Statement("ReadCloudTrailLogFiles", principal, "s3:GetObject", r.objects));
  // With a trail prefix, ListBucket is narrowed to it (a bucket shared with other data);
  // without one the bucket is CloudTrail's own. GetBucketLocation has no s3:prefix key, so it
  // gets a statement of its own (a condition on a missing key would deny it).
  json list_condition = nullptr;
  if (!trail_prefix.empty()) {
    list_condition = {{"StringLike", {{"s3:prefix", {trail_prefix + "*"}}}}};
  }
  statements.push_back(
      Statement("ListCloudTrailLogFiles", principal, "s3:ListBucket", r.bucket, list_condition));
  statements.push_back(
      Statement("LocateCloudTrailBucket", principal, "s3:GetBucketLocation", r.bucket));
  if (!s3_only && !r.kms_key.is_null()) {
    statements.push_back(Statement("DecryptCloudTrailLogFiles", nullptr, "kms:Decrypt", r.kms_key));
  }
  return statements;
}

json Document(json statements) {
  return {{"Version", kVersion}, {"Statement", std::move(statements)}};
}

json Sub(const std::string& text) { return {{"Fn::Sub", text}}; }
json GetAtt(const std::string& resource, const std::string& attribute) {
  return {{"Fn::GetAtt", {resource, attribute}}};
}
json Ref(const std::string& resource) { return {{"Ref", resource}}; }

// The last path component of an ARN resource ("cloudtrail-siem").
std::string ResourceName(const std::string& resource) {
  size_t slash = resource.find_last_of("/:");
  return slash == std::string::npos ? resource : resource.substr(slash + 1);
}

}  // namespace

Result<PolicyInputs> CheckPolicyOptions(const PolicyOptions& options) {
  PolicyInputs inputs;
  inputs.options = options;
  const std::string& bucket = options.bucket;
  if (bucket.size() < 3 || bucket.size() > 63 ||
      bucket.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") != std::string::npos) {
    return Status::InvalidArgument("--bucket '" + bucket +
                                   "' is not an S3 bucket name (3-63 of a-z 0-9 . -)");
  }
  if (options.prefix.starts_with("/") || options.prefix.find('*') != std::string::npos) {
    return Status::InvalidArgument("--prefix '" + options.prefix +
                                   "' must not start with '/' or contain '*'");
  }
  TH_ASSIGN_OR_RETURN(inputs.queue, ParseArn("--queue-arn", options.queue_arn, "sqs"));
  inputs.partition = inputs.queue.partition;
  auto same_partition = [&](const Arn& arn, const std::string& option) -> Status {
    if (arn.partition == inputs.partition) return Status::OK();
    return Status::InvalidArgument(option + " is in partition '" + arn.partition +
                                   "' but the queue is in '" + inputs.partition + "'");
  };
  if (!options.kms_key_arn.empty()) {
    TH_ASSIGN_OR_RETURN(Arn key, ParseArn("--kms-key-arn", options.kms_key_arn, "kms"));
    TH_RETURN_IF_ERROR(same_partition(key, "--kms-key-arn"));
  }
  if (!options.principal_arn.empty()) {
    TH_ASSIGN_OR_RETURN(Arn principal, ParseArn("--principal-arn", options.principal_arn));
    if (principal.service != "iam" && principal.service != "sts") {
      return Status::InvalidArgument("--principal-arn '" + options.principal_arn +
                                     "' must be an IAM user or role ARN");
    }
    TH_RETURN_IF_ERROR(same_partition(principal, "--principal-arn"));
  }
  if (!options.topic_arn.empty()) {
    TH_ASSIGN_OR_RETURN(Arn topic, ParseArn("--topic-arn", options.topic_arn, "sns"));
    TH_RETURN_IF_ERROR(same_partition(topic, "--topic-arn"));
  }
  inputs.trail_prefix = options.prefix;
  if (!inputs.trail_prefix.empty() && !inputs.trail_prefix.ends_with("/")) {
    inputs.trail_prefix += "/";
  }
  inputs.log_prefix = inputs.trail_prefix + "AWSLogs/";
  return inputs;
}

PolicyJson CollectorIamPolicy(const PolicyInputs& in) {
  const std::string s3 = "arn:" + in.partition + ":s3:::" + in.options.bucket;
  CollectorResources r{
      in.queue.text, s3 + "/" + in.log_prefix + "*", s3,
      in.options.kms_key_arn.empty() ? json(nullptr) : json(in.options.kms_key_arn)};
  return Document(CollectorStatements(r, in.trail_prefix, nullptr, false));
}

Result<PolicyJson> CollectorBucketPolicy(const PolicyInputs& in) {
  if (in.options.principal_arn.empty()) {
    return Status::InvalidArgument(
        "--format bucket needs --principal-arn (the collector's IAM user or role)");
  }
  const std::string s3 = "arn:" + in.partition + ":s3:::" + in.options.bucket;
  CollectorResources r{nullptr, s3 + "/" + in.log_prefix + "*", s3, nullptr};
  return Document(
      CollectorStatements(r, in.trail_prefix, {{"AWS", in.options.principal_arn}}, true));
}

Result<PolicyJson> QueueDeliveryPolicy(const PolicyInputs& in) {
  if (in.options.topic_arn.empty()) {
    return Status::InvalidArgument(
        "--format queue needs --topic-arn (the topic CloudTrail "
        "notifies)");
  }
  return Document(json::array(
      {Statement("AllowCloudTrailTopic", {{"Service", "sns.amazonaws.com"}}, "sqs:SendMessage",
                 in.queue.text, {{"ArnEquals", {{"aws:SourceArn", in.options.topic_arn}}}})}));
}

PolicyJson ClassicSetupTemplate(const PolicyInputs& in) {
  const std::string& bucket = in.options.bucket;
  const std::string queue_name = ResourceName(in.queue.resource);
  const std::string topic_name =
      in.options.topic_arn.empty() ? queue_name + "-topic" : ResourceName(in.options.topic_arn);
  const std::string s3 = "arn:${AWS::Partition}:s3:::" + bucket;
  const bool has_key = !in.options.kms_key_arn.empty();
  const bool own_user = in.options.principal_arn.empty();
  json resources = json::object();

  json encryption =
      has_key ? json{{"SSEAlgorithm", "aws:kms"}, {"KMSMasterKeyID", in.options.kms_key_arn}}
              : json{{"SSEAlgorithm", "AES256"}};
  resources["LogBucket"] = {
      {"Type", "AWS::S3::Bucket"},
      {"DeletionPolicy", "Retain"},
      {"UpdateReplacePolicy", "Retain"},
      {"Properties",
       {{"BucketName", bucket},
        {"BucketEncryption",
         {{"ServerSideEncryptionConfiguration",
           json::array({{{"ServerSideEncryptionByDefault", encryption}}})}}},
        {"PublicAccessBlockConfiguration",
         {{"BlockPublicAcls", true},
          {"BlockPublicPolicy", true},
          {"IgnorePublicAcls", true},
          {"RestrictPublicBuckets", true}}},
        {"OwnershipControls",
         {{"Rules", json::array({{{"ObjectOwnership", "BucketOwnerEnforced"}}})}}}}}};

  json principal = own_user ? json{{"AWS", GetAtt("CollectorUser", "Arn")}}
                            : json{{"AWS", in.options.principal_arn}};
  json bucket_statements =
      json::array({Statement("AWSCloudTrailAclCheck", {{"Service", "cloudtrail.amazonaws.com"}},
                             "s3:GetBucketAcl", Sub(s3)),
                   Statement("AWSCloudTrailWrite", {{"Service", "cloudtrail.amazonaws.com"}},
                             "s3:PutObject", Sub(s3 + "/" + in.log_prefix + "${AWS::AccountId}/*"),
                             {{"StringEquals", {{"s3:x-amz-acl", "bucket-owner-full-control"}}}})});
  CollectorResources read{nullptr, Sub(s3 + "/" + in.log_prefix + "*"), Sub(s3), nullptr};
  for (auto& statement : CollectorStatements(read, in.trail_prefix, principal, true)) {
    bucket_statements.push_back(statement);
  }
  resources["LogBucketPolicy"] = {
      {"Type", "AWS::S3::BucketPolicy"},
      {"Properties",
       {{"Bucket", Ref("LogBucket")}, {"PolicyDocument", Document(bucket_statements)}}}};

  resources["NotificationTopic"] = {{"Type", "AWS::SNS::Topic"},
                                    {"Properties", {{"TopicName", topic_name}}}};
  resources["NotificationTopicPolicy"] = {
      {"Type", "AWS::SNS::TopicPolicy"},
      {"Properties",
       {{"Topics", json::array({Ref("NotificationTopic")})},
        {"PolicyDocument", Document(json::array({Statement(
                               "AWSCloudTrailSNSPolicy", {{"Service", "cloudtrail.amazonaws.com"}},
                               "SNS:Publish", Ref("NotificationTopic"))}))}}}};

  resources["DeadLetterQueue"] = {{"Type", "AWS::SQS::Queue"},
                                  {"Properties",
                                   {{"QueueName", queue_name + "-dlq"},
                                    {"MessageRetentionPeriod", 1209600},
                                    {"SqsManagedSseEnabled", true}}}};
  resources["Queue"] = {
      {"Type", "AWS::SQS::Queue"},
      {"Properties",
       {{"QueueName", queue_name},
        {"VisibilityTimeout", 300},
        {"MessageRetentionPeriod", 1209600},
        {"ReceiveMessageWaitTimeSeconds", 20},
        {"SqsManagedSseEnabled", true},
        {"RedrivePolicy",
         {{"deadLetterTargetArn", GetAtt("DeadLetterQueue", "Arn")}, {"maxReceiveCount", 5}}}}}};
  resources["QueuePolicy"] = {
      {"Type", "AWS::SQS::QueuePolicy"},
      {"Properties",
       {{"Queues", json::array({Ref("Queue")})},
        {"PolicyDocument",
         Document(json::array(
             {Statement("AllowCloudTrailTopic", {{"Service", "sns.amazonaws.com"}},
                        "sqs:SendMessage", GetAtt("Queue", "Arn"),
                        {{"ArnEquals", {{"aws:SourceArn", Ref("NotificationTopic")}}}})}))}}}};
  resources["Subscription"] = {{"Type", "AWS::SNS::Subscription"},
                               {"Properties",
                                {{"Protocol", "sqs"},
                                 {"TopicArn", Ref("NotificationTopic")},
                                 {"Endpoint", GetAtt("Queue", "Arn")}}}};

  json trail = {{"TrailName", queue_name + "-trail"},
                {"S3BucketName", Ref("LogBucket")},
                {"SnsTopicName", GetAtt("NotificationTopic", "TopicName")},
                {"IsLogging", true},
                {"IsMultiRegionTrail", true},
                {"IncludeGlobalServiceEvents", true},
                {"EnableLogFileValidation", true}};
  if (!in.options.prefix.empty()) {
    std::string prefix = in.options.prefix;
    while (prefix.ends_with("/")) prefix.pop_back();
    trail["S3KeyPrefix"] = prefix;
  }
  if (has_key) trail["KMSKeyId"] = in.options.kms_key_arn;
  resources["Trail"] = {{"Type", "AWS::CloudTrail::Trail"},
                        {"DependsOn", json::array({"LogBucketPolicy", "NotificationTopicPolicy"})},
                        {"Properties", trail}};

  json outputs = {
      {"QueueUrl",
       {{"Description", "queue_url for Trailhound's configuration"}, {"Value", Ref("Queue")}}},
      {"QueueArn", {{"Value", GetAtt("Queue", "Arn")}}},
      {"TopicArn", {{"Value", Ref("NotificationTopic")}}},
      {"BucketRegion",
       {{"Description", "bucket_region for Trailhound's configuration"},
        {"Value", Ref("AWS::Region")}}}};
  if (own_user) {
    CollectorResources grants{GetAtt("Queue", "Arn"), Sub(s3 + "/" + in.log_prefix + "*"), Sub(s3),
                              has_key ? json(in.options.kms_key_arn) : json(nullptr)};
    resources["CollectorUser"] = {
        {"Type", "AWS::IAM::User"},
        {"Properties",
         {{"Policies",
           json::array({{{"PolicyName", "trailhound-collector"},
                         {"PolicyDocument", Document(CollectorStatements(grants, in.log_prefix,
                                                                         nullptr, false))}}})}}}};
    outputs["CollectorUserName"] = {
        {"Description", "create its access key with: aws iam create-access-key --user-name <this>"},
        {"Value", Ref("CollectorUser")}};
  }
  return {{"AWSTemplateFormatVersion", "2010-09-09"},
          {"Description",
           "Trailhound: CloudTrail to S3 with SNS notification, an SQS queue with a dead-letter "
           "queue subscribed to the topic, and the collector's least-privilege access"},
          {"Resources", resources},
          {"Outputs", outputs}};
}

}  // namespace trailhound::aws
