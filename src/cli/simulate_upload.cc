#include "cli/simulate_upload.h"

#include <fmt/format.h>

#include <cmath>
#include <thread>
#include <utility>

#include "aws/credentials_config.h"
#include "aws/credentials_environment.h"
#include "aws/regions.h"
#include "aws/sqs_queue_url.h"
#include "cli/simulate_upload_messages.h"

namespace trailhound::cli {
namespace {

namespace sim = trailhound::sources::simulate;

constexpr std::string_view kDefaultRegion = "us-east-1";
// Real S3 sets this Subject on the notifications it publishes to SNS.
constexpr std::string_view kS3NotificationSubject = "Amazon S3 Notification";
// The topic named in the envelopes of notifications sent straight to a queue.
constexpr std::string_view kSimulatedTopicName = "trailhound-simulate";

std::string RegionOr(const std::string& region) {
  return region.empty() ? std::string(kDefaultRegion) : region;
}

std::string PartitionOf(std::string_view region) {
  auto partition = aws::PartitionOfRegion(region);
  return partition.ok() ? std::string(partition->id) : std::string("aws");
}

}  // namespace

Result<NotifyFormat> ParseNotifyFormat(std::string_view text) {
  if (text == "cloudtrail") return NotifyFormat::kCloudTrail;
  if (text == "s3") return NotifyFormat::kS3Event;
  return Status::InvalidArgument(
      fmt::format("--notify must be 'cloudtrail' or 's3', not '{}'", text));
}

Result<S3Destination> ParseS3Destination(std::string_view url) {
  constexpr std::string_view kScheme = "s3://";
  if (!url.starts_with(kScheme)) {
    return Status::InvalidArgument(fmt::format("'{}' is not an s3://bucket[/prefix] URL", url));
  }
  url.remove_prefix(kScheme.size());
  S3Destination destination;
  const size_t slash = url.find('/');
  destination.bucket = std::string(url.substr(0, slash));
  if (destination.bucket.empty()) {
    return Status::InvalidArgument(
        fmt::format("'s3://{}' names no bucket (expected s3://bucket[/prefix])", url));
  }
  if (slash != std::string_view::npos) {
    std::string_view prefix = url.substr(slash + 1);
    while (prefix.starts_with('/')) prefix.remove_prefix(1);
    while (prefix.ends_with('/')) prefix.remove_suffix(1);
    if (!prefix.empty()) destination.prefix = std::string(prefix) + "/";
  }
  return destination;
}

std::string DescribeDestination(const UploadOptions& options) {
  return fmt::format("s3://{}/{}", options.destination.bucket, options.destination.prefix);
}

std::string DescribeNotificationTarget(const UploadOptions& options) {
  if (!options.sns_topic_arn.empty()) return "SNS topic " + options.sns_topic_arn;
  if (!options.sqs_queue_url.empty()) return "SQS queue " + options.sqs_queue_url;
  return "";
}

Result<std::unique_ptr<SimulatedFileUploader>> SimulatedFileUploader::Create(
    const UploadOptions& options, std::shared_ptr<aws::AwsRequestSender> sender) {
  if (options.destination.bucket.empty()) {
    return Status::InvalidArgument("--to-s3 needs a bucket: s3://bucket[/prefix]");
  }
  if (!options.sns_topic_arn.empty() && !options.sqs_queue_url.empty()) {
    return Status::InvalidArgument("--sns-topic-arn and --sqs-queue-url exclude each other");
  }
  if (!std::isfinite(options.files_per_sec) || options.files_per_sec < 0) {
    return Status::InvalidArgument(
        fmt::format("--rate must be 0 or more files per second, not {}", options.files_per_sec));
  }
  if (!options.sns_topic_arn.empty()) {
    TH_RETURN_IF_ERROR(aws::ParseSnsTopicArn(options.sns_topic_arn).status());
  }
  aws::SqsOptions sqs_options;
  sqs_options.endpoint_url = options.endpoint_url;
  std::string queue_region = RegionOr(options.region);
  if (!options.sqs_queue_url.empty()) {
    // The queue is called in the region its URL names; --region only fills in for URLs
    // that name none (emulators).
    aws::SqsQueueUrlOptions url_options;
    url_options.fallback_region = queue_region;
    url_options.endpoint_url = options.endpoint_url;
    TH_ASSIGN_OR_RETURN(aws::SqsQueueUrl queue,
                        aws::ParseSqsQueueUrl(options.sqs_queue_url, url_options));
    queue_region = queue.region;
  }
  sqs_options.region = queue_region;
  return std::unique_ptr<SimulatedFileUploader>(
      new SimulatedFileUploader(options, std::move(sender), sqs_options, queue_region));
}

SimulatedFileUploader::SimulatedFileUploader(const UploadOptions& options,
                                             std::shared_ptr<aws::AwsRequestSender> sender,
                                             const aws::SqsOptions& sqs_options,
                                             std::string queue_region)
    : options_(options),
      queue_region_(std::move(queue_region)),
      s3_(sender,
          aws::S3Options{.endpoint_url = options.endpoint_url, .region = RegionOr(options.region)}),
      sns_(sender, aws::SnsOptions{.endpoint_url = options.endpoint_url,
                                   .region = RegionOr(options.region)}),
      sqs_(sender, sqs_options),
      started_(std::chrono::steady_clock::now()) {}

Status SimulatedFileUploader::Upload(sim::SimulatedFile& file) {
  if (options_.files_per_sec > 0) {
    // File n (from 0) starts no earlier than n / rate seconds after the first.
    const auto due =
        started_ + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       std::chrono::duration<double>(static_cast<double>(summary_.files) /
                                                     options_.files_per_sec));
    std::this_thread::sleep_until(due);
  }
  const std::string key = options_.destination.prefix + file.key;
  const uint64_t size = file.body.size();
  aws::S3PutOptions put;
  put.content_type = "application/json";  // CloudTrail's; the body stays gzip bytes
  TH_ASSIGN_OR_RETURN(std::string etag,
                      s3_.PutObject(options_.destination.bucket, key, std::move(file.body), put));
  ++summary_.files;
  summary_.events += file.events;
  summary_.bytes += size;
  summary_.json_bytes += file.json_bytes;
  return Notify(key, size, etag, file.account_id);
}

std::string SimulatedFileUploader::NotificationFor(const std::string& key, uint64_t size,
                                                   const std::string& etag) {
  if (options_.notify == NotifyFormat::kCloudTrail) {
    return CloudTrailMessage(options_.destination.bucket, key);
  }
  S3ObjectCreated created;
  created.bucket = options_.destination.bucket;
  created.key = key;
  created.size_bytes = size;
  created.etag = etag;
  created.region =
      s3_.BucketRegion(options_.destination.bucket).value_or(RegionOr(options_.region));
  created.partition = PartitionOf(created.region);
  created.event_time = std::chrono::system_clock::now();
  created.sequence = summary_.files;
  return S3EventMessage(created);
}

Status SimulatedFileUploader::Notify(const std::string& key, uint64_t size, const std::string& etag,
                                     const std::string& account_id) {
  if (options_.sns_topic_arn.empty() && options_.sqs_queue_url.empty()) return Status::OK();
  const std::string message = NotificationFor(key, size, etag);
  const std::string subject =
      options_.notify == NotifyFormat::kS3Event ? std::string(kS3NotificationSubject) : "";
  if (!options_.sns_topic_arn.empty()) {
    TH_RETURN_IF_ERROR(sns_.Publish(options_.sns_topic_arn, message, subject).status());
  } else if (options_.notify == NotifyFormat::kS3Event) {
    // S3 sends its events to a queue as they are.
    TH_RETURN_IF_ERROR(sqs_.SendMessage(options_.sqs_queue_url, message).status());
  } else {
    // CloudTrail reaches a queue only through an SNS topic: wrap it as the topic would.
    SnsNotification notification;
    notification.message_id = NewMessageId();
    notification.topic_arn = fmt::format("arn:{}:sns:{}:{}:{}", PartitionOf(queue_region_),
                                         queue_region_, account_id, kSimulatedTopicName);
    notification.subject = subject;
    notification.message = message;
    notification.timestamp = std::chrono::system_clock::now();
    TH_RETURN_IF_ERROR(
        sqs_.SendMessage(options_.sqs_queue_url, SnsEnvelope(notification)).status());
  }
  ++summary_.notifications;
  return Status::OK();
}

UploadSummary SimulatedFileUploader::summary() const {
  UploadSummary summary = summary_;
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  return summary;
}

Result<UploadSummary> UploadSimulatedFiles(const sim::CloudTrailSimulator& simulator,
                                           const UploadOptions& options,
                                           const std::string& profile) {
  aws::CredentialsEnvironment env = aws::ProcessCredentialsEnvironment();
  env.default_region = options.region;
  env.sts_endpoint_url = options.endpoint_url;
  aws::CredentialsConfig config;
  config.profile = profile;
  TH_ASSIGN_OR_RETURN(auto credentials, aws::MakeCredentialsProvider(config, env));
  auto sender = std::make_shared<aws::AwsRequestSender>(env.transport, std::move(credentials));
  TH_ASSIGN_OR_RETURN(auto uploader, SimulatedFileUploader::Create(options, std::move(sender)));
  Status s = simulator.ForEachFile(
      [&uploader](sim::SimulatedFile& file) { return uploader->Upload(file); });
  if (!s.ok()) {
    const UploadSummary done = uploader->summary();
    return s.Annotate(
        fmt::format("stopped after {} files and {} notifications", done.files, done.notifications));
  }
  return uploader->summary();
}

}  // namespace trailhound::cli
