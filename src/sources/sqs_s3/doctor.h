// Doctor: the checklist `trailhound doctor` and `POST /api/sources/{name}/test` run against
// one SQS source's configuration, in the order a support engineer would: credentials valid
// (GetCallerIdentity), queue reachable (GetQueueAttributes), dead-letter queue configured,
// visibility timeout sensible, a message can be received and put back untouched (visibility
// set to 0 at once, so the running source loses nothing), its format recognised, the object it
// names readable (a 1-byte ranged GetObject), the bucket's region the configured one, KMS
// decryption possible. Each failed check carries the fix (hints.h). Checks that depend on an
// earlier one that failed are skipped, never guessed.
// Thread safety: RunDoctor is reentrant; it makes its own clients.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials_environment.h"
#include "sources/sqs_s3/sqs_source.h"

namespace trailhound::sources {

enum class CheckResult : uint8_t { kPass, kWarn, kFail, kSkip };
std::string_view CheckResultName(CheckResult result);  // "pass", "warn", "fail", "skip"

struct DoctorCheck {
  std::string id;     // stable: "credentials", "queue", "dead_letter_queue", ...
  std::string title;  // "Credentials are valid"
  CheckResult result = CheckResult::kSkip;
  std::string detail;  // what was found: the identity, the message id, the error
  std::string fix;     // for kFail and kWarn: what to do; never a secret
};

struct DoctorOptions {
  int receive_wait_secs = 5;  // long poll for a sample message
};

struct DoctorReport {
  std::string source;
  std::vector<DoctorCheck> checks;
  bool ok() const;  // no check failed (warnings are fine)
};

DoctorReport RunDoctor(const SqsSourceOptions& source, const aws::CredentialsEnvironment& env,
                       const DoctorOptions& options = {});

// The report as printed by `trailhound doctor`: one line per check with ✓ / ! / ✗ / -,
// its detail, and the fix under each warning and failure.
std::string FormatDoctorReport(const DoctorReport& report);

}  // namespace trailhound::sources
