// Regions, partitions and service endpoints. A region belongs to a partition
// (aws, aws-cn, aws-us-gov, and the isolated ones), which fixes its DNS suffix and
// the partition part of ARNs. Regions that AWS adds later work as long as they
// follow the naming scheme; the known list is for validation hints only.
// Thread safety: pure functions over constant tables.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace trailhound::aws {

struct Partition {
  std::string_view id;          // "aws", "aws-cn", "aws-us-gov", ...
  std::string_view dns_suffix;  // "amazonaws.com", "amazonaws.com.cn", ...
};

// The partition of a region by its name pattern ("cn-north-1" → aws-cn). Fails with
// kInvalidArgument for a string that is not shaped like a region name.
Result<Partition> PartitionOfRegion(std::string_view region);

// The partition whose DNS suffix ends `host` ("sqs.cn-north-1.amazonaws.com.cn" → aws-cn).
Result<Partition> PartitionOfHost(std::string_view host);

// Regions AWS has announced, in every partition (used for "did you mean" hints).
const std::vector<std::string_view>& KnownRegions();
bool IsKnownRegion(std::string_view region);

// "https://sqs.ap-northeast-3.amazonaws.com" for ("sqs", "ap-northeast-3").
Result<std::string> DefaultEndpoint(std::string_view service, std::string_view region);

}  // namespace trailhound::aws
