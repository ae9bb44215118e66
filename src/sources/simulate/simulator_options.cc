#include "sources/simulate/simulator_options.h"

#include <fmt/format.h>

#include <algorithm>

namespace trailhound::sources::simulate {

Status ValidateSimulatorOptions(const SimulatorOptions& options) {
  if (options.accounts.empty()) return Status::InvalidArgument("simulate: no accounts given");
  for (const auto& account : options.accounts) {
    if (account.size() != 12 ||
        !std::all_of(account.begin(), account.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return Status::InvalidArgument(
          fmt::format("simulate: account '{}' is not a 12-digit account id", account));
    }
  }
  if (options.regions.empty()) return Status::InvalidArgument("simulate: no regions given");
  for (const auto& region : options.regions) {
    bool ok = !region.empty() && std::all_of(region.begin(), region.end(), [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    });
    if (!ok) return Status::InvalidArgument(fmt::format("simulate: bad region '{}'", region));
  }
  if (options.start_unix_secs < 0) {
    return Status::InvalidArgument("simulate: start must not be before 1970");
  }
  if (options.span_secs < 300) {
    return Status::InvalidArgument("simulate: span must be at least 300 seconds");
  }
  if (options.max_events_per_file == 0) {
    return Status::InvalidArgument("simulate: max_events_per_file must be at least 1");
  }
  if (!(options.error_rate >= 0 && options.error_rate <= 1)) {
    return Status::InvalidArgument("simulate: error_rate must be within [0, 1]");
  }
  if (!(options.console_login_failure_rate >= 0 && options.console_login_failure_rate <= 1)) {
    return Status::InvalidArgument("simulate: console_login_failure_rate must be within [0, 1]");
  }
  if (options.gzip_level < 0 || options.gzip_level > 9) {
    return Status::InvalidArgument("simulate: gzip_level must be within 0-9");
  }
  return Status::OK();
}

}  // namespace trailhound::sources::simulate
