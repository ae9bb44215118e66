#include "sources/sqs_s3/doctor.h"

#include <fmt/format.h>

#include <deque>
#include <memory>
#include <optional>

#include "aws/aws_client.h"
#include "aws/credentials.h"
#include "aws/regions.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "aws/sqs_queue_url.h"
#include "aws/sts.h"
#include "codecs/cloudtrail_key.h"
#include "sources/sqs_s3/hints.h"
#include "sources/sqs_s3/notification.h"

namespace trailhound::sources {

namespace {

// The checks, in order, all added up front (skipped until they run) so that a report always
// has every id. A deque: the references Add returns stay valid as more are added.
class Checklist {
 public:
  DoctorCheck& Add(std::string id, std::string title) {
    checks_.push_back(DoctorCheck{std::move(id), std::move(title), CheckResult::kSkip, "", ""});
    return checks_.back();
  }
  std::vector<DoctorCheck> Take() { return {checks_.begin(), checks_.end()}; }

 private:
  std::deque<DoctorCheck> checks_;
};

void Pass(DoctorCheck& check, std::string detail) {
  check.result = CheckResult::kPass;
  check.detail = std::move(detail);
}

void Warn(DoctorCheck& check, std::string detail, std::string fix) {
  check.result = CheckResult::kWarn;
  check.detail = std::move(detail);
  check.fix = std::move(fix);
}

void Skip(DoctorCheck& check, std::string why) {
  check.result = CheckResult::kSkip;
  check.detail = std::move(why);
}

// A failed AWS call: the error, and the fix hints.h names for it.
void Fail(DoctorCheck& check, const Status& status, HintContext context, AwsOperation operation) {
  check.result = CheckResult::kFail;
  check.detail = status.ToString();
  context.operation = operation;
  check.fix = HintFor(status, context).text;
}

void FailWith(DoctorCheck& check, std::string detail, std::string fix) {
  check.result = CheckResult::kFail;
  check.detail = std::move(detail);
  check.fix = std::move(fix);
}

bool MentionsKms(const Status& status) {
  const std::string& m = status.message();
  return m.find("KMS") != std::string::npos || m.find("kms") != std::string::npos;
}

std::optional<int64_t> IntAttribute(const std::map<std::string, std::string>& attributes,
                                    const std::string& name) {
  auto it = attributes.find(name);
  if (it == attributes.end()) return std::nullopt;
  try {
    return std::stoll(it->second);
  } catch (...) {
    return std::nullopt;
  }
}

}  // namespace

std::string_view CheckResultName(CheckResult result) {
  switch (result) {
    case CheckResult::kPass:
      return "pass";
    case CheckResult::kWarn:
      return "warn";
    case CheckResult::kFail:
      return "fail";
    case CheckResult::kSkip:
      return "skip";
  }
  return "skip";
}

bool DoctorReport::ok() const {
  for (const DoctorCheck& check : checks) {
    if (check.result == CheckResult::kFail) return false;
  }
  return true;
}

DoctorReport RunDoctor(const SqsSourceOptions& source, const aws::CredentialsEnvironment& env,
                       const DoctorOptions& options) {
  DoctorReport report{source.name, {}};
  Checklist list;
  DoctorCheck& credentials = list.Add("credentials", "Credentials are valid");
  DoctorCheck& queue = list.Add("queue", "The queue is reachable");
  DoctorCheck& dlq = list.Add("dead_letter_queue", "A dead-letter queue is configured");
  DoctorCheck& visibility = list.Add("visibility_timeout", "The visibility timeout is sensible");
  DoctorCheck& receive = list.Add("receive", "A message can be received and put back");
  DoctorCheck& remove = list.Add("delete", "Messages can be deleted");
  DoctorCheck& format = list.Add("format", "The notification format is recognised");
  DoctorCheck& object = list.Add("object", "The object it names is readable");
  DoctorCheck& listing = list.Add("list", "The log prefix can be listed (backfill)");
  DoctorCheck& region = list.Add("bucket_region", "The bucket region is right");
  DoctorCheck& kms = list.Add("kms", "KMS decryption works");
  auto finish = [&] {
    report.checks = list.Take();
    return report;
  };

  // The same clients a source makes (SqsSource::Create).
  aws::SqsQueueUrlOptions url_options;
  url_options.region = source.region;
  url_options.endpoint_url = source.endpoint_url;
  auto queue_url = aws::ParseSqsQueueUrl(source.queue_url, url_options);
  if (!queue_url.ok()) {
    FailWith(queue, queue_url.status().message(),
             "Set queue_url to the queue's URL as the SQS console shows it, "
             "https://sqs.<region>.amazonaws.com/<account>/<queue>.");
    return finish();
  }
  HintContext context;
  context.queue_url = source.queue_url;
  auto partition = aws::PartitionOfRegion(queue_url->region);
  context.partition = partition.ok() ? std::string(partition->id) : "aws";
  context.queue_arn = "arn:" + context.partition + ":sqs:" + queue_url->region + ":" +
                      queue_url->account_id + ":" + queue_url->queue_name;
  if (!source.credentials.access_key_id.empty()) {
    context.access_key_id_masked = aws::MaskAccessKeyId(source.credentials.access_key_id);
  }
  context.configured_bucket_region = source.bucket_region;

  aws::CredentialsEnvironment source_env = env;
  if (source_env.default_region.empty()) source_env.default_region = queue_url->region;
  auto provider = aws::MakeCredentialsProvider(source.credentials, source_env);
  if (!provider.ok()) {
    FailWith(credentials, provider.status().message(),
             "Fix the credentials block of the source (see docs/configuration.md).");
    return finish();
  }
  auto sender = std::make_shared<aws::AwsRequestSender>(source_env.transport, std::move(*provider),
                                                        aws::RetryOptions{});
  aws::SqsOptions sqs_options;
  sqs_options.endpoint_url = source.endpoint_url;
  sqs_options.region = source.region;
  aws::SqsClient sqs(sender, sqs_options);
  aws::S3Options s3_options;
  s3_options.endpoint_url =
      !source.s3_endpoint_url.empty() ? source.s3_endpoint_url : source.endpoint_url;
  s3_options.region = !source.bucket_region.empty() ? source.bucket_region : queue_url->region;
  aws::S3Client s3(sender, s3_options);

  // 1. Credentials.
  aws::StsOptions sts_options;
  sts_options.region = queue_url->region;
  sts_options.endpoint_url = source.endpoint_url;
  auto sts = aws::StsClient::Create(sender, sts_options);
  auto identity =
      sts.ok() ? (*sts)->GetCallerIdentity() : Result<aws::CallerIdentity>(sts.status());
  if (identity.ok()) {
    Pass(credentials, identity->arn + (context.access_key_id_masked.empty()
                                           ? ""
                                           : " (key " + context.access_key_id_masked + ")"));
  } else if (!source.endpoint_url.empty() &&
             (identity.status().http_status() == 404 || identity.status().http_status() == 400 ||
              identity.status().code() == StatusCode::kUnavailable) &&
             identity.status().aws_error_code().empty()) {
    // An emulator without STS (fauxqs): the SQS and S3 checks below still test the keys.
    Warn(
        credentials,
        "the endpoint " + source.endpoint_url + " has no STS (" + identity.status().message() + ")",
        "Nothing to do for an emulator; the queue and object checks test the credentials.");
  } else {
    Fail(credentials, identity.status(), context, AwsOperation::kGetCallerIdentity);
  }

  // 2-4. The queue and its attributes.
  auto attributes = sqs.GetQueueAttributes(source.queue_url, {"All"});
  if (!attributes.ok()) {
    Fail(queue, attributes.status(), context, AwsOperation::kGetQueueAttributes);
    Skip(dlq, "needs the queue");
    Skip(visibility, "needs the queue");
  } else {
    Pass(queue,
         fmt::format(
             "{}: {} messages visible, {} in flight", context.queue_arn,
             IntAttribute(*attributes, "ApproximateNumberOfMessages").value_or(0),
             IntAttribute(*attributes, "ApproximateNumberOfMessagesNotVisible").value_or(0)));
    auto redrive = attributes->find("RedrivePolicy");
    if (redrive != attributes->end() && !redrive->second.empty()) {
      Pass(dlq, redrive->second);
    } else {
      Warn(dlq, "the queue has no redrive policy",
           "Give the queue a dead-letter queue (RedrivePolicy with maxReceiveCount 5 or so): "
           "a message Trailhound cannot process is then parked there instead of being "
           "received again and again until its retention ends.");
    }
    const int64_t queue_timeout = IntAttribute(*attributes, "VisibilityTimeout").value_or(30);
    if (source.visibility_timeout_secs < 30) {
      Warn(visibility, fmt::format("visibility_timeout_secs is {}", source.visibility_timeout_secs),
           "Use at least 30 s: Trailhound extends the visibility of messages in work, but each "
           "extension must arrive before the timeout ends.");
    } else {
      Pass(visibility, fmt::format("{} s per extension (the queue's default is {} s); "
                                   "extended while a message is in work",
                                   source.visibility_timeout_secs, queue_timeout));
    }
  }

  // 5-6. A sample message, put back at once.
  std::optional<aws::SqsMessage> sample;
  if (attributes.ok()) {
    aws::SqsReceiveOptions receive_options;
    receive_options.max_messages = 1;
    receive_options.wait_time_secs = options.receive_wait_secs;
    receive_options.visibility_timeout_secs = 30;
    auto messages = sqs.ReceiveMessage(source.queue_url, receive_options);
    if (!messages.ok()) {
      Fail(receive, messages.status(), context, AwsOperation::kReceiveMessage);
    } else if (messages->empty()) {
      Skip(receive, fmt::format("the queue had no message within {} s (CloudTrail delivers "
                                "about every 5 minutes while there is activity)",
                                options.receive_wait_secs));
    } else {
      sample = std::move(messages->front());
      Status back = sqs.ChangeMessageVisibility(source.queue_url, sample->receipt_handle, 0);
      if (back.ok()) {
        Pass(receive, "message " + sample->message_id + " received and made visible again");
      } else {
        Fail(receive, back, context, AwsOperation::kChangeMessageVisibility);
      }
    }
  } else {
    Skip(receive, "needs the queue");
  }

  // The delete permission, without deleting anything: SQS authorizes the call before it looks
  // at the receipt handle, so a handle that cannot exist answers AccessDenied without the
  // permission and ReceiptHandleIsInvalid (or nothing) with it.
  if (attributes.ok()) {
    Status deleted = sqs.DeleteMessage(source.queue_url, "trailhound-doctor-not-a-receipt-handle");
    const std::string& code = deleted.aws_error_code();
    if (deleted.ok() || code == "ReceiptHandleIsInvalid" || code == "InvalidParameterValue" ||
        code == "ReceiptHandleIsInvalidException") {
      Pass(remove,
           "sqs:DeleteMessage is allowed (checked with a receipt handle that matches "
           "no message)");
    } else {
      Fail(remove, deleted, context, AwsOperation::kDeleteMessageBatch);
    }
  } else {
    Skip(remove, "needs the queue");
  }

  std::optional<ObjectRef> target;
  if (!sample) {
    Skip(format, "needs a message");
  } else {
    auto decoded = DecodeNotification(sample->body, sample->message_id);
    if (!decoded.ok()) {
      FailWith(format, decoded.status().message(),
               "Subscribe the queue to the trail's SNS topic (or send S3 event notifications "
               "of the log bucket to it); other messages on this queue end in the DLQ.");
    } else {
      std::string what(NotificationKindName(decoded->kind));
      for (const ObjectRef& ref : decoded->objects) {
        if (codecs::ClassifyCloudTrailKey(ref.key).kind == codecs::CloudTrailObjectKind::kLog) {
          target = ref;
          break;
        }
      }
      Pass(format, decoded->detail.empty() ? what : decoded->detail + " (" + what + ")");
    }
  }

  // 7-9. The object, its bucket's region, KMS.
  if (!target) {
    const std::string why = sample ? "the message names no CloudTrail log file" : "needs a message";
    Skip(object, why);
    Skip(listing, why);
    Skip(region, why);
    Skip(kms, why);
    return finish();
  }
  context.bucket = target->bucket;
  context.key = target->key;
  aws::S3GetOptions range;
  range.range = aws::S3ByteRange{0, 0};
  auto got = s3.GetObject(
      target->bucket, target->key, [](std::string_view) { return Status::OK(); }, range);
  if (got.ok()) {
    Pass(object,
         fmt::format("s3://{}/{} ({} bytes)", target->bucket, target->key, got->size_bytes));
    Pass(kms,
         "the object could be read; S3 decrypts SSE-KMS objects only for callers with "
         "kms:Decrypt on their key");
  } else if (MentionsKms(got.status())) {
    Skip(object, "the object exists but its KMS key refuses the collector (below)");
    Fail(kms, got.status(), context, AwsOperation::kGetObject);
  } else {
    Fail(object, got.status(), context, AwsOperation::kGetObject);
    Skip(kms, "needs the object");
  }

  // Backfill lists under the trail's prefix: "<prefix>/AWSLogs" is what the policy allows.
  const std::string& key = target->key;
  size_t logs = key.find("AWSLogs/");
  aws::S3ListRequest list_request;
  list_request.bucket = target->bucket;
  list_request.prefix = logs == std::string::npos ? key : key.substr(0, logs + 7);
  list_request.max_keys = 1;
  auto page = s3.ListObjectsV2(list_request);
  if (page.ok()) {
    Pass(listing, "s3://" + target->bucket + "/" + list_request.prefix);
  } else {
    context.operation = AwsOperation::kListObjectsV2;
    Fail(listing, page.status(), context, AwsOperation::kListObjectsV2);
  }

  auto location = s3.GetBucketLocation(target->bucket);
  if (!location.ok()) {
    Fail(region, location.status(), context, AwsOperation::kGetBucketLocation);
  } else if (!source.bucket_region.empty() && *location != source.bucket_region) {
    context.actual_bucket_region = *location;
    FailWith(region,
             "bucket_region is " + source.bucket_region + " but s3://" + target->bucket +
                 " is in " + *location,
             "Set bucket_region: " + *location + " (or leave it out: it is detected).");
  } else {
    Pass(region, *location + (source.bucket_region.empty() ? " (detected)" : ""));
  }
  return finish();
}

std::string FormatDoctorReport(const DoctorReport& report) {
  std::string out = "Source '" + report.source + "'\n";
  for (const DoctorCheck& check : report.checks) {
    const char* mark = check.result == CheckResult::kPass   ? "✓"
                       : check.result == CheckResult::kWarn ? "!"
                       : check.result == CheckResult::kFail ? "✗"
                                                            : "-";
    out += fmt::format("  {} {}", mark, check.title);
    if (!check.detail.empty()) out += ": " + check.detail;
    out += "\n";
    if (!check.fix.empty()) out += "      fix: " + check.fix + "\n";
  }
  int failed = 0, warned = 0;
  for (const DoctorCheck& check : report.checks) {
    failed += check.result == CheckResult::kFail;
    warned += check.result == CheckResult::kWarn;
  }
  out += failed == 0
             ? fmt::format(
                   "  all checks passed{}\n",
                   warned ? fmt::format(" ({} warning{})", warned, warned == 1 ? "" : "s") : "")
             : fmt::format("  {} check{} failed\n", failed, failed == 1 ? "" : "s");
  return out;
}

}  // namespace trailhound::sources
