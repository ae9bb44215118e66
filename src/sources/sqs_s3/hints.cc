#include "sources/sqs_s3/hints.h"

#include <initializer_list>
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

bool Contains(std::string_view text, std::string_view part) {
  return text.find(part) != std::string_view::npos;
}

bool IsSqs(AwsOperation operation) {
  return operation == AwsOperation::kReceiveMessage ||
         operation == AwsOperation::kDeleteMessageBatch ||
         operation == AwsOperation::kChangeMessageVisibility ||
         operation == AwsOperation::kGetQueueAttributes;
}

bool IsS3(AwsOperation operation) {
  return operation == AwsOperation::kGetObject || operation == AwsOperation::kGetBucketLocation ||
         operation == AwsOperation::kListObjectsV2;
}

bool IsAws(AwsOperation operation) {
  return operation != AwsOperation::kStore && operation != AwsOperation::kDecode;
}

std::string QueueName(const HintContext& c) {
  return c.queue_arn.empty() ? "the queue " + c.queue_url : c.queue_arn;
}

std::string SqsAction(AwsOperation operation) {
  switch (operation) {
    case AwsOperation::kReceiveMessage:
      return "sqs:ReceiveMessage";
    case AwsOperation::kDeleteMessageBatch:
      return "sqs:DeleteMessage";  // DeleteMessageBatch is authorized as DeleteMessage
    case AwsOperation::kChangeMessageVisibility:
      return "sqs:ChangeMessageVisibility";
    case AwsOperation::kGetQueueAttributes:
      return "sqs:GetQueueAttributes";
    default:
      return "";
  }
}

// The region named in an S3 answer, as the S3 client and S3 itself word it:
// "... (the bucket is in region 'eu-west-1')" or "... is wrong; expecting 'eu-west-1'".
std::string RegionInMessage(std::string_view message) {
  for (std::string_view marker : {"the bucket is in region '", "expecting '"}) {
    size_t at = message.find(marker);
    if (at == std::string_view::npos) continue;
    std::string_view rest = message.substr(at + marker.size());
    size_t end = rest.find('\'');
    if (end == std::string_view::npos || end == 0 || end > 32) continue;
    return std::string(rest.substr(0, end));
  }
  return "";
}

Hint CredentialHint(const Status& status, const HintContext& c) {
  const std::string key_id = c.access_key_id_masked.empty()
                                 ? std::string("the access key id of the credentials in use")
                                 : "access key id " + c.access_key_id_masked;
  if (Is(status, {"InvalidClientTokenId", "InvalidAccessKeyId", "UnrecognizedClientException",
                  "AuthFailure"})) {
    return {"AWS does not know " + key_id +
            ": the key does not exist (deleted, deactivated, mistyped, or from another "
            "partition). Create a new access key for the IAM user and update "
            "credentials.access_key_id."};
  }
  if (Is(status, {"SignatureDoesNotMatch", "InvalidSignatureException"})) {
    return {"The secret access key does not match " + key_id +
            ": check credentials.secret_access_key (or its _file / environment variable) "
            "for a copy-paste error or a secret of another key."};
  }
  if (Is(status, {"ExpiredToken", "ExpiredTokenException", "TokenRefreshRequired"})) {
    return {"The temporary credentials (session token) of " + key_id +
            " expired: refresh them, or use role_arn, a profile or an instance/container role "
            "so that Trailhound refreshes them itself."};
  }
  if (Is(status, {"InvalidToken"})) {
    return {"The session token sent with " + key_id +
            " is malformed or belongs to other keys: set credentials.session_token together "
            "with the keys it was issued with, or remove it for long-lived keys."};
  }
  if (Is(status, {"RequestExpired", "RequestTimeTooSkewed"})) {
    return {
        "AWS refused the request time: temporary credentials may have expired, or this "
        "machine's clock is off by more than 5 minutes. Check the clock (enable NTP: "
        "timedatectl set-ntp true) and refresh the credentials."};
  }
  if (Is(status, {"MissingAuthenticationToken", "MissingAuthenticationTokenException",
                  "IncompleteSignature", "IncompleteSignatureException"})) {
    return {
        "The request reached AWS without complete credentials: configure credentials "
        "(access_key_id and secret_access_key, a profile, role_arn) or check that the "
        "default chain finds some on this host."};
  }
  return {};
}

// SSE-KMS: S3 objects and SQS queues encrypted with a customer managed key.
Hint KmsHint(const Status& status, const HintContext& c) {
  const std::string_view code = status.aws_error_code();
  const bool kms_code = code.starts_with("KMS.") || code.starts_with("Kms");
  const bool kms_message = Contains(status.message(), "kms:");
  if (!kms_code && !kms_message) return {};
  const std::string what =
      IsSqs(c.operation) ? QueueName(c) + " (SSE-KMS queue)" : "the logs in bucket " + c.bucket;
  if (Contains(code, "Disabled")) {
    return {"The KMS key that encrypts " + what +
            " is disabled: enable it in KMS, or re-encrypt with a usable key."};
  }
  if (Contains(code, "NotFound") || Contains(code, "InvalidState")) {
    return {"The KMS key that encrypts " + what +
            " is deleted or pending deletion: cancel the deletion in KMS, or re-encrypt with "
            "a usable key."};
  }
  if (Contains(code, "Throttl")) {
    return {"KMS is throttling decryption of " + what +
            "; Trailhound retries. Persistent throttling: raise the KMS request quota or use "
            "an S3 Bucket Key."};
  }
  return {"Allow kms:Decrypt on the KMS key that encrypts " + what +
          " in the collector's IAM policy, and check that the key policy allows this principal "
          "too."};
}

// A connection that was established and then broke (the transport's curl errors 18, 52, 55,
// 56: partial body, empty reply, send or receive failure such as a reset), as opposed to an
// endpoint that cannot be reached at all.
bool ConnectionBroke(const Status& status) {
  for (std::string_view code :
       {"(curl error 18)", "(curl error 52)", "(curl error 55)", "(curl error 56)"}) {
    if (Contains(status.message(), code)) return true;
  }
  return false;
}

bool IsRegionError(const Status& status) {
  return Is(status, {"PermanentRedirect", "TemporaryRedirect", "Redirect",
                     "AuthorizationHeaderMalformed", "IllegalLocationConstraintException"}) ||
         status.http_status() == 301;
}

std::string RegionText(const HintContext& c, const std::string& actual) {
  const std::string tried = c.configured_bucket_region.empty()
                                ? std::string("the region Trailhound tried")
                                : c.configured_bucket_region;
  if (!actual.empty()) {
    return "The bucket " + c.bucket + " is in region " + actual + ", not " + tried +
           ": set bucket_region: " + actual + " (or remove bucket_region to detect it).";
  }
  return "The bucket " + c.bucket + " is in another region than " + tried +
         ": set bucket_region to the bucket's region (S3 console, bucket properties, "
         "\"AWS Region\").";
}

Hint S3AccessHint(const Status& status, const HintContext& c) {
  if (Hint kms = KmsHint(status, c); !kms.text.empty()) return kms;
  const std::string bucket_arn = "arn:" + c.partition + ":s3:::" + c.bucket;
  if (status.code() == StatusCode::kPermissionDenied || Is(status, {"AccessDenied"}) ||
      (status.aws_error_code().empty() && status.http_status() == 403)) {
    switch (c.operation) {
      case AwsOperation::kGetBucketLocation:
        return {"Allow s3:GetBucketLocation on " + bucket_arn +
                " in the collector's IAM policy, or set bucket_region so that Trailhound does "
                "not need to ask."};
      case AwsOperation::kListObjectsV2:
        return {"Allow s3:ListBucket on " + bucket_arn +
                " in the collector's IAM policy, and check that the bucket policy does not "
                "deny it (a bucket of another account must grant it)."};
      default:
        return {"Allow s3:GetObject on " + bucket_arn +
                "/* in the collector's IAM policy, and check that the bucket policy does not "
                "deny it (a bucket of another account must grant it in its bucket policy). "
                "For SSE-KMS encrypted logs also allow kms:Decrypt on the trail's KMS key."};
    }
  }
  if (Is(status, {"NoSuchBucket"})) {
    return {"The bucket " + c.bucket +
            " does not exist: check the trail's S3 bucket and what publishes notifications to "
            "the queue (the message stays and goes to the DLQ after maxReceiveCount)."};
  }
  if (Is(status, {"NoSuchKey"}) ||
      (c.operation == AwsOperation::kGetObject && status.code() == StatusCode::kNotFound)) {
    return {"s3://" + c.bucket + "/" + c.key +
            " is gone: a lifecycle rule or someone deleted it before it was read, or the "
            "notification names the wrong bucket. The message stays and goes to the DLQ after "
            "maxReceiveCount."};
  }
  if (Is(status, {"InvalidObjectState"})) {
    return {"s3://" + c.bucket + "/" + c.key +
            " is archived (Glacier storage class): restore it, or change the lifecycle rule "
            "so that logs stay readable until they are ingested."};
  }
  return {};
}

Hint S3Hint(const Status& status, const HintContext& c) {
  std::string actual = c.actual_bucket_region;
  if (actual.empty()) actual = RegionInMessage(status.message());
  if (IsRegionError(status)) return {RegionText(c, actual)};
  Hint hint = S3AccessHint(status, c);
  // A learnt region that differs from the configured one is worth saying whatever failed.
  if (!actual.empty() && !c.configured_bucket_region.empty() &&
      actual != c.configured_bucket_region) {
    hint.text = hint.text.empty() ? RegionText(c, actual) : hint.text + " " + RegionText(c, actual);
  }
  return hint;
}

Hint SqsHint(const Status& status, const HintContext& c) {
  if (Is(status, {"AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist"}) ||
      status.code() == StatusCode::kNotFound) {
    return {"The queue " + c.queue_url +
            " does not exist in that account and region: check queue_url (copy it from the "
            "SQS console) and region."};
  }
  if (Hint kms = KmsHint(status, c); !kms.text.empty()) return kms;
  if (Is(status, {"ReceiptHandleIsInvalid", "MessageNotInflight"}) ||
      (Is(status, {"InvalidParameterValue"}) && Contains(status.message(), "receipt handle"))) {
    return {
        "The message was received again before Trailhound finished with it (its receipt "
        "handle expired): raise visibility_timeout_secs. Stored events are not duplicated."};
  }
  if (status.code() == StatusCode::kPermissionDenied ||
      Is(status, {"AccessDenied", "AccessDeniedException"})) {
    std::string text = "Allow " + SqsAction(c.operation) + " on " + QueueName(c) +
                       " in the collector's IAM policy";
    if (c.operation == AwsOperation::kReceiveMessage) {
      text +=
          "; a queue in another account must also allow it in its queue policy, and an "
          "SSE-KMS encrypted queue needs kms:Decrypt on its key. If the policy allows it "
          "already, check that queue_url " +
          c.queue_url +
          " names an existing queue: a call on a queue that does not exist can be "
          "denied as well";
    }
    return {text + "."};
  }
  return {};
}

Hint StoreHint(const Status& status) {
  if (status.code() == StatusCode::kIoError || status.code() == StatusCode::kResourceExhausted) {
    return {
        "The local store cannot write: check free disk space and the permissions of data_dir. "
        "Messages stay in the queue until the store works again; nothing is lost."};
  }
  if (status.code() == StatusCode::kUnavailable || status.code() == StatusCode::kDeadlineExceeded) {
    return {"The store is behind (flushing is slow or failing); messages are retried."};
  }
  return {};
}

Hint DecodeHint(const Status& status) {
  if (status.code() == StatusCode::kCorruption) {
    return {
        "The object is not a readable CloudTrail log file (truncated gzip or invalid JSON). "
        "Its message stays and moves to the DLQ after the queue's maxReceiveCount; inspect "
        "it with `trailhound aws get`."};
  }
  if (status.code() == StatusCode::kResourceExhausted) {
    return {
        "The object is over a size limit: raise max_object_mb or max_decompressed_mb if it "
        "is a genuine log file."};
  }
  if (status.code() == StatusCode::kInvalidArgument) {
    return {
        "The message is not a notification Trailhound understands (CloudTrail's SNS message, "
        "S3 event notifications or EventBridge). Check what publishes to the queue; the "
        "message goes to the DLQ after maxReceiveCount."};
  }
  return {};
}

}  // namespace

Hint HintFor(const Status& status, const HintContext& c) {
  if (status.ok()) return {};
  if (c.operation == AwsOperation::kStore) return StoreHint(status);
  if (c.operation == AwsOperation::kDecode) return DecodeHint(status);
  // Credentials: the same whatever the call.
  if (Hint credential = CredentialHint(status, c); !credential.text.empty()) return credential;
  if (IsS3(c.operation)) {
    if (Hint s3 = S3Hint(status, c); !s3.text.empty()) return s3;
  } else if (IsSqs(c.operation)) {
    if (Hint sqs = SqsHint(status, c); !sqs.text.empty()) return sqs;
  }
  if (status.code() == StatusCode::kThrottled) {
    return {
        "AWS is throttling the calls; Trailhound backs off and retries. Persistent "
        "throttling: lower pollers or max_objects_in_flight, or raise the account quota."};
  }
  if (IsAws(c.operation) && (status.code() == StatusCode::kUnavailable ||
                             status.code() == StatusCode::kDeadlineExceeded)) {
    if (!status.aws_error_code().empty() || status.http_status() >= 500) {
      return {
          "AWS answered with a server error; Trailhound retries. If it lasts, check the AWS "
          "Health Dashboard for the region."};
    }
    if (ConnectionBroke(status)) {
      return {
          "The connection to AWS broke during the transfer (reset or closed by the other end "
          "or a middlebox); Trailhound retries, and an object cut off part-way is fetched again "
          "when SQS re-delivers its message. If it keeps happening, check proxies, firewalls "
          "and NAT gateways between this host and AWS."};
    }
    return {
        "The endpoint cannot be reached: check the network path to AWS from this host (DNS, "
        "firewall, proxy variables HTTPS_PROXY/NO_PROXY) and endpoint_url."};
  }
  return {};
}

}  // namespace trailhound::sources
