// `trailhound simulate`: writes realistic CloudTrail log files (see
// sources/simulate/cloudtrail_simulator.h) under a local directory, in S3's key layout, for
// tests, benchmarks and the demo, then prints files, events, bytes and speed. Output is local
// only for now; uploading to S3 is a later feature. Errors go to stderr; the exit code is 1.
#pragma once

#include <CLI/CLI.hpp>

namespace trailhound::cli {

// Registers `simulate` under `app`.
void AddSimulateCommand(CLI::App& app);

}  // namespace trailhound::cli
