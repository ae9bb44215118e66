#include "aws/arn.h"

#include <vector>

namespace trailhound::aws {

Result<Arn> ParseArn(std::string_view field, std::string_view text, std::string_view service) {
  auto bad = [&](const std::string& why) {
    return Status::InvalidArgument(std::string(field) + " '" + std::string(text) + "' " + why);
  };
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (parts.size() < 5) {
    size_t colon = text.find(':', start);
    if (colon == std::string_view::npos) break;
    parts.push_back(text.substr(start, colon - start));
    start = colon + 1;
  }
  if (parts.size() < 5 || parts[0] != "arn") {
    return bad("is not an ARN (arn:<partition>:<service>:<region>:<account>:<resource>)");
  }
  Arn arn{std::string(parts[1]), std::string(parts[2]),           std::string(parts[3]),
          std::string(parts[4]), std::string(text.substr(start)), std::string(text)};
  if (arn.partition != "aws" && arn.partition != "aws-cn" && arn.partition != "aws-us-gov" &&
      !arn.partition.starts_with("aws-iso")) {
    return bad("has an unknown partition '" + arn.partition + "' (aws, aws-cn or aws-us-gov)");
  }
  if (!service.empty() && arn.service != service) {
    return bad("is not an " + std::string(service) + " ARN");
  }
  if (arn.resource.empty()) return bad("names no resource");
  if (!arn.account.empty() && (arn.account.size() != 12 ||
                               arn.account.find_first_not_of("0123456789") != std::string::npos)) {
    return bad("has an account id that is not 12 digits");
  }
  return arn;
}

}  // namespace trailhound::aws
