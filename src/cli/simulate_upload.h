// `trailhound simulate --to-s3`: uploads each simulated CloudTrail log file to a bucket
// (PutObject, Content-Type application/json, the gzip bytes as they are: CloudTrail sets no
// Content-Encoding) and announces it the way AWS would — CloudTrail's SNS message or an S3
// Event Notification, published to an SNS topic or sent straight to an SQS queue (then in
// the SNS envelope a subscribed queue would get, or unwrapped for S3 events) — at most
// `files_per_sec` files a second. For the demo, tests, benchmarks and real AWS.
// Errors: the first failed call stops the upload; its Status names the object or target.
// Thread safety: one SimulatedFileUploader per thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "aws/aws_client.h"
#include "aws/s3.h"
#include "aws/sns.h"
#include "aws/sqs.h"
#include "core/result.h"
#include "sources/simulate/cloudtrail_simulator.h"

namespace trailhound::cli {

// The notification published per uploaded file.
enum class NotifyFormat {
  kCloudTrail,  // {"s3Bucket":"b","s3ObjectKey":["k"]}, what CloudTrail publishes to SNS
  kS3Event,     // {"Records":[{"eventName":"ObjectCreated:Put",...}]}, S3 Event Notifications
};

// "cloudtrail" or "s3"; kInvalidArgument otherwise.
Result<NotifyFormat> ParseNotifyFormat(std::string_view text);

struct S3Destination {
  std::string bucket{};
  std::string prefix{};  // "" or ending in '/': keys are <prefix>AWSLogs/...
};

// "s3://bucket", "s3://bucket/prefix" or "s3://bucket/prefix/"; kInvalidArgument otherwise.
Result<S3Destination> ParseS3Destination(std::string_view url);

struct UploadOptions {
  // Where the files go.
  S3Destination destination{};
  // Publish each notification to this topic ("" for none).
  std::string sns_topic_arn{};
  // Send each notification straight to this queue ("" for none); exclusive with the topic.
  std::string sqs_queue_url{};
  // What each notification says.
  NotifyFormat notify = NotifyFormat::kCloudTrail;
  // Files uploaded per second at most; 0 for as fast as possible.
  double files_per_sec = 0;
  // One endpoint for S3, SNS and SQS instead of AWS's (emulators); buckets path style.
  std::string endpoint_url{};
  // Region of the bucket and of a queue URL that names none; "" for us-east-1. Topic ARNs
  // and queue URLs that name a region are called in theirs.
  std::string region{};
};

// Totals of an upload so far.
struct UploadSummary {
  uint64_t files = 0;
  uint64_t events = 0;
  uint64_t bytes = 0;       // gzip bytes uploaded
  uint64_t json_bytes = 0;  // their uncompressed size
  uint64_t notifications = 0;
  double seconds = 0;  // since the uploader was created
};

class SimulatedFileUploader {
 public:
  // Validates `options` (kInvalidArgument naming the flag) and builds the clients on `sender`.
  static Result<std::unique_ptr<SimulatedFileUploader>> Create(
      const UploadOptions& options, std::shared_ptr<aws::AwsRequestSender> sender);

  // Waits for the file's turn under the rate limit, uploads it and sends its notification.
  Status Upload(sources::simulate::SimulatedFile& file);

  UploadSummary summary() const;

 private:
  SimulatedFileUploader(const UploadOptions& options, std::shared_ptr<aws::AwsRequestSender> sender,
                        const aws::SqsOptions& sqs_options, std::string queue_region);
  // The body sent for the object just uploaded.
  std::string NotificationFor(const std::string& key, uint64_t size, const std::string& etag);
  // Sends the notification of the object just uploaded; `account_id` owns the log file.
  Status Notify(const std::string& key, uint64_t size, const std::string& etag,
                const std::string& account_id);

  UploadOptions options_;
  std::string queue_region_;  // the queue's region (for the envelope's topic ARN)
  aws::S3Client s3_;
  aws::SnsClient sns_;
  aws::SqsClient sqs_;
  const std::chrono::steady_clock::time_point started_;
  UploadSummary summary_;
};

// "s3://bucket/prefix/".
std::string DescribeDestination(const UploadOptions& options);
// "SNS topic arn:...", "SQS queue https://..." or "" when no notification is sent.
std::string DescribeNotificationTarget(const UploadOptions& options);

// Uploads every file of `simulator` with the process' AWS credentials (the default chain or
// `profile`); returns the totals, or the first error annotated with how far it got.
Result<UploadSummary> UploadSimulatedFiles(const sources::simulate::CloudTrailSimulator& simulator,
                                           const UploadOptions& options,
                                           const std::string& profile);

}  // namespace trailhound::cli
