// CloudTrailSimulator: generates realistic CloudTrail delivery files — the S3 key in the real
// layout and the gzipped {"Records":[...]} body — for tests, benchmarks and the demo.
// Files are produced lazily, one at a time, so memory is bounded by one file plus a plan of
// 4 bytes per file (about 40 KB for a million events). Same options ⇒ byte-identical files.
// Each file belongs to one account and region and covers one 5-minute window starting at the
// time in its key (YYYYMMDDTHHmmZ); every eventTime falls in [that time, that time + 300 s).
// Files come in window order; records inside a file are not sorted by eventTime (CloudTrail
// does not sort them either). `trailhound simulate --to-s3` uploads them
// (src/cli/simulate_upload.h). Thread safety: ForEachFile is const and may run concurrently on one
// simulator.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/status.h"
#include "sources/simulate/event_generator.h"
#include "sources/simulate/simulator_options.h"

namespace trailhound::sources::simulate {

inline constexpr int64_t kDeliveryWindowSecs = 300;

struct SimulatedFile {
  // "AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/<acct>_CloudTrail_<region>_<time>_<rand>.json.gz"
  std::string key;
  std::string body;               // the gzip bytes of the file
  std::string account_id;         // the account the file belongs to
  std::string region;             // the region of every record in it
  int64_t window_start_secs = 0;  // start of its 5-minute window (the time in the key)
  uint64_t events = 0;            // records in the file
  uint64_t json_bytes = 0;        // size of the uncompressed JSON
};

// Called once per file, in order. A non-OK status stops the generation and is returned by
// ForEachFile. The file may be moved from.
using SimulatedFileCallback = std::function<Status(SimulatedFile& file)>;

class CloudTrailSimulator {
 public:
  // Fails with kInvalidArgument for bad options (see ValidateSimulatorOptions).
  static Result<CloudTrailSimulator> Create(const SimulatorOptions& options);

  // Generates every file and hands each one to `callback`.
  Status ForEachFile(const SimulatedFileCallback& callback) const;

  // Records per file, in file order (sums to options.events).
  const std::vector<uint32_t>& file_sizes() const { return file_sizes_; }

 private:
  explicit CloudTrailSimulator(const SimulatorOptions& options);

  SimulatorOptions options_;
  EventGenerator generator_;
  std::vector<uint32_t> file_sizes_;
};

}  // namespace trailhound::sources::simulate
