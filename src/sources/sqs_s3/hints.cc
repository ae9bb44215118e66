#include "sources/sqs_s3/hints.h"

#include <string>
#include <string_view>

namespace trailhound::sources {

namespace {

bool Is(const Status& status, std::initializer_list<std::string_view> codes) {
  for (std::string_view code : codes) {
    if (status.aws_error_code() == code) return true;
  }
  return false;
}

std::string QueueName(const HintContext& c) {
  return c.queue_arn.empty() ? "the queue " + c.queue_url : c.queue_arn;
}

std::string SqsAction(AwsOperation operation) {
  switch (operation) {
    case AwsOperation::kReceiveMessage:
      return "sqs:ReceiveMessage";
    case AwsOperation::kDeleteMessageBatch:
      return "sqs:DeleteMessage";
    case AwsOperation::kChangeMessageVisibility:
      return "sqs:ChangeMessageVisibility";
    case AwsOperation::kGetQueueAttributes:
      return "sqs:GetQueueAttributes";
    default:
      return "";
  }
}

}  // namespace

Hint HintFor(const Status& status, const HintContext& c) {
  const std::string key_id = c.access_key_id_masked.empty()
                                 ? std::string("the configured credentials")
                                 : "access key " + c.access_key_id_masked;
  // Credentials: the same whatever the call.
  if (Is(status, {"InvalidClientTokenId", "InvalidAccessKeyId", "UnrecognizedClientException"})) {
    return {"AWS does not know " + key_id +
            ": it was deleted, deactivated or mistyped. Create a new access key for the IAM "
            "user and update credentials.access_key_id."};
  }
  if (Is(status, {"SignatureDoesNotMatch"})) {
    return {"The secret access key does not belong to " + key_id +
            ": check credentials.secret_access_key (or its _file / _env) for a copy-paste "
            "error or a stale secret."};
  }
  if (Is(status, {"ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"})) {
    return {"The temporary credentials of " + key_id +
            " expired: use long-lived keys, a profile or role_arn so Trailhound can refresh "
            "them."};
  }
  if (Is(status, {"RequestExpired", "RequestTimeTooSkewed"})) {
    return {
        "AWS refused the request time: this machine's clock is off by more than 5 "
        "minutes. Enable NTP (timedatectl set-ntp true)."};
  }
  if (Is(status, {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"}) ||
      (status.code() == StatusCode::kNotFound && SqsAction(c.operation) != "")) {
    return {"The queue " + c.queue_url +
            " does not exist in that account and region: check queue_url (copy it from the "
            "SQS console) and region."};
  }
  if (status.code() == StatusCode::kThrottled) {
    return {
        "AWS is throttling the calls; Trailhound backs off and retries. Persistent "
        "throttling: lower pollers or max_objects_in_flight, or raise the account quota."};
  }
  if (status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kDeadlineExceeded) {
    if (!status.aws_error_code().empty() || status.http_status() >= 500) {
      return {
          "AWS answered with a server error; Trailhound retries. If it lasts, check the "
          "AWS Health Dashboard for the region."};
    }
    return {
        "The endpoint cannot be reached: check the network path to AWS from this host "
        "(DNS, firewall, proxy variables HTTPS_PROXY/NO_PROXY) and endpoint_url."};
  }
  switch (c.operation) {
    case AwsOperation::kGetObject:
    case AwsOperation::kGetBucketLocation:
    case AwsOperation::kListObjectsV2: {
      const std::string object_arn = "arn:" + c.partition + ":s3:::" + c.bucket + "/*";
      if (!c.actual_bucket_region.empty() && c.actual_bucket_region != c.configured_bucket_region &&
          !c.configured_bucket_region.empty()) {
        return {"The bucket " + c.bucket + " is in " + c.actual_bucket_region + ", not " +
                c.configured_bucket_region + ": set bucket_region: " + c.actual_bucket_region +
                " (or remove it to detect the region)."};
      }
      if (Is(status, {"PermanentRedirect", "AuthorizationHeaderMalformed",
                      "IllegalLocationConstraintException"}) ||
          status.http_status() == 301) {
        return {"The bucket " + c.bucket + " is in another region than " +
                (c.configured_bucket_region.empty() ? std::string("the one tried")
                                                    : c.configured_bucket_region) +
                ": set bucket_region to the bucket's region (S3 console, bucket properties)."};
      }
      if (Is(status,
             {"KMS.DisabledException", "KMS.KMSInvalidStateException", "KMS.NotFoundException"})) {
        return {"The KMS key that encrypts the logs in " + c.bucket +
                " is disabled or gone: enable it, or point the trail at a usable key."};
      }
      if (status.code() == StatusCode::kPermissionDenied) {
        return {"Allow s3:GetObject on " + object_arn +
                " in the collector's IAM policy, and check the bucket policy does not deny it "
                "(cross-account buckets must grant it too). For SSE-KMS encrypted logs also "
                "allow kms:Decrypt on the trail's KMS key."};
      }
      if (Is(status, {"NoSuchKey"})) {
        return {"s3://" + c.bucket + "/" + c.key +
                " is gone: a lifecycle rule or someone deleted it before it was read, or the "
                "notification names the wrong bucket. The message stays and goes to the DLQ."};
      }
      if (Is(status, {"NoSuchBucket"})) {
        return {"The bucket " + c.bucket +
                " does not exist (or is not visible to these credentials): check the trail's "
                "S3 bucket and the notifications sent to the queue."};
      }
      break;
    }
    case AwsOperation::kReceiveMessage:
    case AwsOperation::kDeleteMessageBatch:
    case AwsOperation::kChangeMessageVisibility:
    case AwsOperation::kGetQueueAttributes:
      if (status.code() == StatusCode::kPermissionDenied ||
          Is(status, {"AccessDenied", "AccessDeniedException"})) {
        std::string text = "Allow " + SqsAction(c.operation) + " on " + QueueName(c) +
                           " in the collector's IAM policy";
        if (c.operation == AwsOperation::kReceiveMessage) {
          text +=
              "; a queue in another account must also allow it in its queue policy, and an "
              "SSE-KMS encrypted queue needs kms:Decrypt on its key";
        }
        return {text + "."};
      }
      break;
    case AwsOperation::kStore:
      if (status.code() == StatusCode::kIoError ||
          status.code() == StatusCode::kResourceExhausted) {
        return {
            "The local store cannot write: check free space and permissions of data_dir. "
            "Messages stay in the queue until the store works again."};
      }
      if (status.code() == StatusCode::kUnavailable) {
        return {"The store is behind (flushing is slow or failing); messages are retried."};
      }
      break;
    case AwsOperation::kDecode:
      if (status.code() == StatusCode::kCorruption) {
        return {
            "The object is not a readable CloudTrail log file (truncated gzip or invalid "
            "JSON). Its message stays and moves to the DLQ after the queue's "
            "maxReceiveCount; inspect it with `trailhound aws get`."};
      }
      if (status.code() == StatusCode::kResourceExhausted) {
        return {
            "The object is over a size limit: raise max_object_mb or max_decompressed_mb "
            "if it is a genuine log file."};
      }
      if (status.code() == StatusCode::kInvalidArgument) {
        return {
            "The message is not a notification Trailhound understands (CloudTrail's SNS "
            "message, S3 event notifications or EventBridge). Check what publishes to the "
            "queue; the message goes to the DLQ after maxReceiveCount."};
      }
      break;
    default:
      break;
  }
  return {};
}

}  // namespace trailhound::sources
