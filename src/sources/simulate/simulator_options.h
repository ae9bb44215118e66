// SimulatorOptions: what `trailhound simulate` generates — how many CloudTrail events, for
// which accounts and regions, over which time range, and how they are cut into delivery files.
// Defaults live here and nowhere else. Thread safety: a plain value type.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace trailhound::sources::simulate {

struct SimulatorOptions {
  // Seeds every random choice: the same options give byte-identical files.
  uint64_t seed = 1;
  // Exact number of records written over all files.
  uint64_t events = 10000;
  // The 12-digit accounts whose activity is simulated (each file belongs to one account).
  std::vector<std::string> accounts = {"111122223333", "444455556666"};
  // Regions events happen in (each file belongs to one region); IAM calls go to us-east-1 only.
  std::vector<std::string> regions = {"us-east-1", "eu-west-1", "ap-northeast-3"};
  // Start of the simulated period, seconds since the Unix epoch (UTC); 2025-01-01T00:00:00Z.
  int64_t start_unix_secs = 1735689600;
  // Length of the simulated period in seconds (at least one 5-minute delivery window).
  int64_t span_secs = 24 * 3600;
  // Largest number of records in one file; sizes vary from 1 to this, mostly small ones.
  uint32_t max_events_per_file = 300;
  // Fraction of API calls (ConsoleLogin excepted) that fail with errorCode and errorMessage.
  double error_rate = 0.05;
  // Fraction of ConsoleLogin events whose responseElements.ConsoleLogin is "Failure".
  double console_login_failure_rate = 0.2;
  // zlib level of the .json.gz bodies (0-9).
  int gzip_level = 6;
};

// kInvalidArgument naming the first bad field (empty lists, an account that is not 12
// digits, a span shorter than 300 s, rates outside [0, 1], ...).
[[nodiscard]] Status ValidateSimulatorOptions(const SimulatorOptions& options);

}  // namespace trailhound::sources::simulate
