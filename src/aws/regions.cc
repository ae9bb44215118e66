#include "aws/regions.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace trailhound::aws {
namespace {

struct PartitionRule {
  std::string_view region_prefix;  // matched against the region name
  Partition partition;
};

// Most specific prefixes first. "aws" is the fallback for every other geography.
constexpr std::array<PartitionRule, 6> kPartitionRules = {{
    {"cn-", {"aws-cn", "amazonaws.com.cn"}},
    {"us-gov-", {"aws-us-gov", "amazonaws.com"}},
    {"us-isob-", {"aws-iso-b", "sc2s.sgov.gov"}},
    {"us-iso-", {"aws-iso", "c2s.ic.gov"}},
    {"eusc-", {"aws-eusc", "amazonaws.eu"}},
    {"", {"aws", "amazonaws.com"}},
}};

// A region name is <geo>-<direction...>-<digit(s)>: lower-case letters, digits and dashes,
// ending in "-<number>", at least three parts.
bool LooksLikeRegion(std::string_view region) {
  if (region.size() < 6 || region.size() > 32) return false;
  int dashes = 0;
  for (char c : region) {
    if (c == '-') {
      ++dashes;
    } else if (!(std::islower(static_cast<unsigned char>(c)) ||
                 std::isdigit(static_cast<unsigned char>(c)))) {
      return false;
    }
  }
  size_t last_dash = region.rfind('-');
  if (dashes < 2 || last_dash + 1 >= region.size()) return false;
  return std::all_of(region.begin() + static_cast<std::ptrdiff_t>(last_dash) + 1, region.end(),
                     [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

}  // namespace

Result<Partition> PartitionOfRegion(std::string_view region) {
  if (!LooksLikeRegion(region)) {
    return Status::InvalidArgument(
        fmt::format("'{}' is not an AWS region name (expected e.g. 'us-east-1')", region));
  }
  for (const auto& rule : kPartitionRules) {
    if (region.starts_with(rule.region_prefix)) return rule.partition;
  }
  return kPartitionRules.back().partition;
}

Result<Partition> PartitionOfHost(std::string_view host) {
  // Longest suffix wins so that "amazonaws.com.cn" beats "amazonaws.com"; aws and
  // aws-us-gov share "amazonaws.com", and the region inside the host tells them apart.
  const Partition* best = nullptr;
  for (const auto& rule : kPartitionRules) {
    std::string_view suffix = rule.partition.dns_suffix;
    if (!host.ends_with(suffix)) continue;
    if (best == nullptr || suffix.size() > best->dns_suffix.size()) best = &rule.partition;
  }
  if (best == nullptr) {
    return Status::InvalidArgument(fmt::format("'{}' is not an AWS host name", host));
  }
  if (best->dns_suffix == "amazonaws.com") {
    bool gov = host.find(".us-gov-") != std::string_view::npos || host.starts_with("us-gov-") ||
               host.find("-us-gov-") != std::string_view::npos;
    return Partition{gov ? "aws-us-gov" : "aws", "amazonaws.com"};
  }
  return *best;
}

const std::vector<std::string_view>& KnownRegions() {
  static const std::vector<std::string_view> kRegions = {
      // aws
      "us-east-1",
      "us-east-2",
      "us-west-1",
      "us-west-2",
      "af-south-1",
      "ap-east-1",
      "ap-east-2",
      "ap-south-1",
      "ap-south-2",
      "ap-southeast-1",
      "ap-southeast-2",
      "ap-southeast-3",
      "ap-southeast-4",
      "ap-southeast-5",
      "ap-southeast-6",
      "ap-southeast-7",
      "ap-northeast-1",
      "ap-northeast-2",
      "ap-northeast-3",
      "ca-central-1",
      "ca-west-1",
      "eu-central-1",
      "eu-central-2",
      "eu-west-1",
      "eu-west-2",
      "eu-west-3",
      "eu-south-1",
      "eu-south-2",
      "eu-north-1",
      "il-central-1",
      "me-south-1",
      "me-central-1",
      "mx-central-1",
      "sa-east-1",
      // aws-cn
      "cn-north-1",
      "cn-northwest-1",
      // aws-us-gov
      "us-gov-west-1",
      "us-gov-east-1",
      // aws-eusc
      "eusc-de-east-1",
  };
  return kRegions;
}

bool IsKnownRegion(std::string_view region) {
  const auto& regions = KnownRegions();
  return std::find(regions.begin(), regions.end(), region) != regions.end();
}

Result<std::string> DefaultEndpoint(std::string_view service, std::string_view region) {
  auto partition = PartitionOfRegion(region);
  if (!partition.ok()) return partition.status();
  return fmt::format("https://{}.{}.{}", service, region, partition->dns_suffix);
}

}  // namespace trailhound::aws
