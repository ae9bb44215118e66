#include "codecs/cloudtrail_key.h"

#include <algorithm>
#include <string>

namespace trailhound::codecs {
namespace {

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool IsAccountId(std::string_view s) { return s.size() == 12 && AllDigits(s); }

// "o-" followed by 10 to 32 lowercase letters or digits.
bool IsOrgId(std::string_view s) {
  if (s.size() < 12 || s.size() > 34 || s.substr(0, 2) != "o-") return false;
  return std::all_of(s.begin() + 2, s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

// Shaped like a region name: "us-east-1", "ap-northeast-3", "us-gov-west-1", "cn-north-1".
bool IsRegionShaped(std::string_view s) {
  if (s.size() < 4 || s.front() < 'a' || s.front() > 'z' || s.back() < '0' || s.back() > '9' ||
      s.find('-') == std::string_view::npos) {
    return false;
  }
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsNumberIn(std::string_view s, size_t digits, int lo, int hi) {
  if (s.size() != digits || !AllDigits(s)) return false;
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v >= lo && v <= hi;
}

// Splits off the next '/'-terminated segment of `rest`; false when there is none.
bool NextSegment(std::string_view& rest, std::string_view& segment) {
  const size_t slash = rest.find('/');
  if (slash == std::string_view::npos) return false;
  segment = rest.substr(0, slash);
  rest.remove_prefix(slash + 1);
  return true;
}

// Parses what follows one "AWSLogs/".
CloudTrailKey ParseAfterAwsLogs(std::string_view rest) {
  CloudTrailKey out;
  std::string_view seg;
  if (!NextSegment(rest, seg)) return {};
  if (IsOrgId(seg)) {
    out.org_id = seg;
    if (!NextSegment(rest, seg)) return {};
  }
  if (!IsAccountId(seg)) return {};
  out.account_id = seg;

  std::string_view service;
  if (!NextSegment(rest, service)) return {};
  CloudTrailObjectKind kind;
  if (service == "CloudTrail") {
    kind = CloudTrailObjectKind::kLog;
  } else if (service == "CloudTrail-Digest") {
    kind = CloudTrailObjectKind::kDigest;
  } else if (service == "CloudTrail-Insight") {
    kind = CloudTrailObjectKind::kInsight;
  } else {
    return {};  // elasticloadbalancing, vpcflowlogs, Config, ...
  }

  std::string_view yyyy, mm, dd;
  if (!NextSegment(rest, out.region) || !IsRegionShaped(out.region)) return {};
  if (!NextSegment(rest, yyyy) || !IsNumberIn(yyyy, 4, 2013, 9999)) return {};
  if (!NextSegment(rest, mm) || !IsNumberIn(mm, 2, 1, 12)) return {};
  if (!NextSegment(rest, dd) || !IsNumberIn(dd, 2, 1, 31)) return {};

  // The file name: "<acct>_<service>_<region>_..." ending in .json.gz (or .json).
  const std::string_view file = rest;
  if (file.find('/') != std::string_view::npos) return {};
  const std::string prefix = std::string(out.account_id) + "_" + std::string(service) + "_" +
                             std::string(out.region) + "_";
  if (file.size() <= prefix.size() || file.substr(0, prefix.size()) != prefix) return {};
  if (!file.ends_with(".json.gz") && !file.ends_with(".json")) return {};
  out.kind = kind;
  return out;
}

}  // namespace

std::string_view CloudTrailObjectKindName(CloudTrailObjectKind kind) {
  switch (kind) {
    case CloudTrailObjectKind::kNotCloudTrail:
      return "not_cloudtrail";
    case CloudTrailObjectKind::kLog:
      return "log";
    case CloudTrailObjectKind::kDigest:
      return "digest";
    case CloudTrailObjectKind::kInsight:
      return "insight";
  }
  return "unknown";
}

CloudTrailKey ClassifyCloudTrailKey(std::string_view key) {
  constexpr std::string_view kAwsLogs = "AWSLogs/";
  for (size_t pos = key.find(kAwsLogs); pos != std::string_view::npos;
       pos = key.find(kAwsLogs, pos + 1)) {
    if (pos != 0 && key[pos - 1] != '/') continue;
    CloudTrailKey parsed = ParseAfterAwsLogs(key.substr(pos + kAwsLogs.size()));
    if (parsed.kind != CloudTrailObjectKind::kNotCloudTrail) return parsed;
  }
  return {};
}

}  // namespace trailhound::codecs
