// SqsClient: the SQS calls Trailhound makes, over the JSON protocol (POST / with
// X-Amz-Target: AmazonSQS.<Action>, the queue URL in the body, never the URL's path).
// Calls go to SqsOptions::endpoint_url when set, else to the queue URL's own host,
// signed for service "sqs" in the queue URL's region (or SqsOptions::region).
// Errors come from AwsRequestSender and name the queue URL as their resource;
// per-entry failures of batch calls are results, not errors.
// Thread safety: all methods may be called from many threads at once.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "aws/aws_client.h"
#include "aws/http.h"
#include "aws/sqs_queue_url.h"
#include "core/result.h"

namespace trailhound::aws {

struct SqsOptions {
  // Endpoint for every call instead of the queue URL's host (emulators, VPC endpoints).
  std::string endpoint_url{};
  // Signing region instead of the queue URL's; required for calls without a queue URL
  // (CreateQueue, GetQueueUrl) and for queue URLs that name no region (moto's).
  std::string region{};
  // Transport options for long polls; read and total timeouts are raised above the wait.
  // Keep CA file and TLS settings equal to the transport's.
  HttpOptions long_poll_http{};
  // How much longer than WaitTimeSeconds a long poll may take before it times out.
  int long_poll_grace_ms = 10000;
};

struct SqsReceiveOptions {
  // Messages to return at most, 1 to 10.
  int max_messages = 10;
  // Long-poll wait, 0 to 20 seconds; 0 returns at once (short poll).
  int wait_time_secs = 20;
  // Visibility timeout of the received messages instead of the queue's, 0 to 43200 s.
  std::optional<int> visibility_timeout_secs{};
};

struct SqsMessage {
  std::string message_id{};
  std::string receipt_handle{};  // needed to delete it or change its visibility
  std::string body{};
  std::string md5_of_body{};
  // ApproximateReceiveCount: 1 on the first delivery; 0 when the response lacked it.
  int receive_count = 0;
  // SentTimestamp: when the message was sent; nullopt when the response lacked it.
  std::optional<std::chrono::system_clock::time_point> sent_time{};
  // Every system attribute as returned (ApproximateReceiveCount, SentTimestamp, ...).
  std::map<std::string, std::string> attributes{};
};

struct SqsDeleteEntry {
  std::string id{};  // unique within the batch: [A-Za-z0-9_-], up to 80 characters
  std::string receipt_handle{};
};

struct SqsVisibilityEntry {
  std::string id{};  // unique within the batch: [A-Za-z0-9_-], up to 80 characters
  std::string receipt_handle{};
  int visibility_timeout_secs = 0;  // 0 to 43200; 0 makes the message visible at once
};

struct SqsBatchEntryError {
  std::string id{};
  std::string code{};  // "ReceiptHandleIsInvalid", "InternalError", ...
  std::string message{};
  bool sender_fault = false;  // true: the request was wrong and retrying will not help
};

struct SqsBatchResult {
  std::vector<std::string> successful_ids{};
  std::vector<SqsBatchEntryError> failed{};

  bool all_succeeded() const { return failed.empty(); }
};

class SqsClient {
 public:
  // Shares `sender` (and so its transport, credentials and retry policy) with other clients.
  SqsClient(std::shared_ptr<AwsRequestSender> sender, SqsOptions options = {});

  // Where calls for `queue_url` go and how they are signed (endpoint, region, names).
  Result<SqsQueueUrl> ResolveQueueUrl(std::string_view queue_url) const;

  // Up to `options.max_messages` messages; an empty vector when none arrived in the wait.
  Result<std::vector<SqsMessage>> ReceiveMessage(std::string_view queue_url,
                                                 const SqsReceiveOptions& options = {});
  // REQUIRES: at most 10 entries with unique ids; an empty span succeeds without a call.
  Result<SqsBatchResult> DeleteMessageBatch(std::string_view queue_url,
                                            std::span<const SqsDeleteEntry> entries);
  Status DeleteMessage(std::string_view queue_url, std::string_view receipt_handle);
  Status ChangeMessageVisibility(std::string_view queue_url, std::string_view receipt_handle,
                                 int visibility_timeout_secs);
  // REQUIRES: at most 10 entries with unique ids; an empty span succeeds without a call.
  Result<SqsBatchResult> ChangeMessageVisibilityBatch(std::string_view queue_url,
                                                      std::span<const SqsVisibilityEntry> entries);
  // The named attributes ("All" for every one), e.g. {"VisibilityTimeout": "30", ...}.
  Result<std::map<std::string, std::string>> GetQueueAttributes(
      std::string_view queue_url, const std::vector<std::string>& names = {"All"});
  // The URL of queue `name`, owned by `owner_account_id` when another account owns it.
  Result<std::string> GetQueueUrl(std::string_view name, std::string_view owner_account_id = "");

  // For tests, the demo and simulations.
  // The message id of the sent message.
  Result<std::string> SendMessage(std::string_view queue_url, std::string_view body,
                                  int delay_secs = 0);
  // The new (or existing, identical) queue's URL. `attributes` e.g. {"VisibilityTimeout": "60"}.
  Result<std::string> CreateQueue(std::string_view name,
                                  const std::map<std::string, std::string>& attributes = {});
  Status DeleteQueue(std::string_view queue_url);

 private:
  struct Target {
    std::string endpoint;
    std::string region;
    std::string resource;
  };
  // The endpoint and region for calls that have no queue URL (CreateQueue, GetQueueUrl).
  Result<Target> AccountTarget(std::string_view resource) const;
  // Sends `action` with JSON `body` and returns the response body.
  Result<std::string> Call(std::string_view action, const Target& target, std::string body,
                           const HttpOptions* http_options = nullptr);
  // An account-level call (CreateQueue, GetQueueUrl) whose answer is a QueueUrl.
  Result<std::string> CallForQueueUrl(std::string_view action, const std::string& resource,
                                      std::string body);
  Result<std::string> CallQueue(std::string_view action, std::string_view queue_url,
                                std::string body, const HttpOptions* http_options = nullptr);

  std::shared_ptr<AwsRequestSender> sender_;
  SqsOptions options_;
};

}  // namespace trailhound::aws
