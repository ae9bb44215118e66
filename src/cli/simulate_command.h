// `trailhound simulate`: writes realistic CloudTrail log files (see
// sources/simulate/cloudtrail_simulator.h) under a local directory (--out), in S3's key layout,
// or uploads them to a bucket and announces each one (--to-s3, see simulate_upload.h), for
// tests, benchmarks and the demo, then prints files, events, bytes and speed. Exactly one of
// --out and --to-s3 is required. Errors go to stderr; the exit code is 1.
#pragma once

#include <CLI/CLI.hpp>

namespace trailhound::cli {

// Registers `simulate` under `app`.
void AddSimulateCommand(CLI::App& app);

}  // namespace trailhound::cli
