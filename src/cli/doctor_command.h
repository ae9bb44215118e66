// `trailhound doctor [--config FILE] [--source NAME]`: runs the checklist of
// sources/sqs_s3/doctor.h for every configured source (or one) and prints each check with
// ✓ / ! / ✗ and the fix under each warning and failure. Exit status 1 when a check failed
// or the configuration cannot be read; 0 otherwise (warnings included).
#pragma once

#include <CLI/CLI.hpp>

namespace trailhound::cli {

void AddDoctorCommand(CLI::App& app);

}  // namespace trailhound::cli
