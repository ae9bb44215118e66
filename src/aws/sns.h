// SnsClient: the SNS calls Trailhound makes to simulate CloudTrail's delivery (Publish) and
// to set up tests and the demo (CreateTopic, Subscribe). Query protocol: a form-encoded POST
// of Action=<Action>&Version=2010-03-31 to "/", XML responses, XML error documents.
// Calls on a topic go to and are signed for the topic ARN's region (SNS serves a topic only
// there); calls without one (CreateTopic) use SnsOptions::region. SnsOptions::endpoint_url
// replaces AWS's endpoint for every call. Errors come from AwsRequestSender and name the
// topic ARN ("Failed to Publish arn:aws:sns:...:trail: Topic does not exist", kNotFound).
// Thread safety: all methods may be called from many threads at once.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "aws/aws_client.h"
#include "core/result.h"

namespace trailhound::aws {

struct SnsOptions {
  // Endpoint for every call instead of AWS's regional one (emulators, VPC endpoints).
  std::string endpoint_url{};
  // Region of calls that name no topic (CreateTopic); calls on a topic use the ARN's region.
  std::string region{};
};

// The parts of "arn:<partition>:sns:<region>:<account>:<name>".
struct SnsTopicArn {
  std::string arn{};  // as given
  std::string partition{};
  std::string region{};
  std::string account_id{};
  std::string name{};
};

// Splits a topic ARN; kInvalidArgument naming it when it is not one.
Result<SnsTopicArn> ParseSnsTopicArn(std::string_view arn);

class SnsClient {
 public:
  // Shares `sender` (and so its transport, credentials and retry policy) with other clients.
  SnsClient(std::shared_ptr<AwsRequestSender> sender, SnsOptions options = {});

  // Publishes `message` (up to 256 KiB) to the topic; returns the SNS message id. `subject`
  // ("" for none) becomes the Subject of the envelope subscribers receive.
  Result<std::string> Publish(std::string_view topic_arn, std::string_view message,
                              std::string_view subject = "");

  // For tests, the demo and simulations.
  // The ARN of the new (or existing, identical) topic `name`.
  Result<std::string> CreateTopic(std::string_view name);
  // Subscribes `endpoint` (for protocol "sqs": the queue's ARN) to the topic; returns the
  // subscription ARN ("pending confirmation" for protocols that must confirm first).
  // `attributes` e.g. {"RawMessageDelivery": "true"}.
  Result<std::string> Subscribe(std::string_view topic_arn, std::string_view protocol,
                                std::string_view endpoint,
                                const std::map<std::string, std::string>& attributes = {});
  Status DeleteTopic(std::string_view topic_arn);

 private:
  struct Target {
    std::string endpoint;  // scheme://host[:port], no trailing slash
    std::string region;
  };
  Result<Target> TargetFor(std::string_view region, std::string_view resource) const;
  Result<Target> TopicTarget(std::string_view topic_arn) const;
  // Posts Action=`action` with `form` ("&Name=value..." already encoded); returns the text
  // of <`action`Result>/`result_field` ("" when `result_field` is empty).
  Result<std::string> Call(std::string_view action, const Target& target, std::string_view resource,
                           std::string_view form, const char* result_field);

  std::shared_ptr<AwsRequestSender> sender_;
  SnsOptions options_;
};

}  // namespace trailhound::aws
