// ClassifyCloudTrailKey: what an S3 key holds, judged by CloudTrail's delivery layout
//   [prefix/]AWSLogs/[<org-id>/]<acct>/CloudTrail/<region>/YYYY/MM/DD/
//       <acct>_CloudTrail_<region>_<YYYYMMDDTHHmmZ>_<rand>.json.gz
// with CloudTrail-Digest/ (hourly digests, not events) and CloudTrail-Insight/ in place of
// CloudTrail/. Anything else (other AWS logs, folder markers, `_$folder$`) is not CloudTrail.
// Thread safety: a pure function; the returned views point into the key.
#pragma once

#include <cstdint>
#include <string_view>

namespace trailhound::codecs {

enum class CloudTrailObjectKind : uint8_t {
  kNotCloudTrail,  // not a CloudTrail log file: skip it
  kLog,            // management/data events
  kDigest,         // log file integrity digest: not events, acknowledge and ignore
  kInsight,        // Insights events (eventType AwsCloudTrailInsight)
};

std::string_view CloudTrailObjectKindName(CloudTrailObjectKind kind);

struct CloudTrailKey {
  CloudTrailObjectKind kind = CloudTrailObjectKind::kNotCloudTrail;
  std::string_view account_id;  // 12 digits; the account whose activity the file holds
  std::string_view org_id;      // "o-..." for an organization trail, else empty
  std::string_view region;      // the region the events happened in, e.g. "ap-northeast-3"
};

// Classifies `key` (an S3 key, "s3://bucket/key" or a local path: "AWSLogs/" may follow any
// prefix ending in '/'). Accepts ".json.gz" and, for already decompressed copies, ".json".
CloudTrailKey ClassifyCloudTrailKey(std::string_view key);

}  // namespace trailhound::codecs
