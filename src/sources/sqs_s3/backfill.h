// Backfill: CloudTrail log files already in the bucket, read without SQS — for the history
// before a source was set up, or a gap after an outage. Lists the accounts and regions under
// <prefix>AWSLogs/ (organization trails included), then one day prefix
// (.../CloudTrail/<region>/YYYY/MM/DD/) at a time with ListObjectsV2, and stores every log
// file with the same ObjectProcessor the SQS source uses, on several workers. The store's
// dedup makes it safe to overlap the live stream or to run twice. A checkpoint file records
// each day prefix whose objects were all stored, so that a run stopped by Ctrl-C or a crash
// resumes where it was; a prefix with a failed object is not recorded (the next run retries it).
// Thread safety: one RunBackfill per checkpoint; progress may be read from any thread.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "aws/credentials_environment.h"
#include "core/event_sink.h"
#include "core/result.h"
#include "sources/sqs_s3/sqs_source.h"

namespace trailhound::sources {

struct BackfillOptions {
  SqsSourceOptions source;  // name, credentials, endpoints, bucket_region of the source
  std::string bucket;
  std::string prefix;                 // the trail's S3 key prefix, "" when the logs are at AWSLogs/
  int64_t from_day = 0;               // first day, days since 1970-01-01 (UTC), inclusive
  int64_t to_day = 0;                 // last day, inclusive
  std::vector<std::string> accounts;  // only these; empty: every account found
  std::vector<std::string> regions;   // only these; empty: every region found
  int workers = 32;
  std::string checkpoint_path;  // "" for none
};

struct BackfillProgress {
  std::atomic<uint64_t> prefixes_total{0};  // day prefixes to read (after the checkpoint)
  std::atomic<uint64_t> prefixes_done{0};
  std::atomic<uint64_t> prefixes_skipped{0};  // already done according to the checkpoint
  std::atomic<uint64_t> objects_total{0};     // listed so far
  std::atomic<uint64_t> objects_done{0};
  std::atomic<uint64_t> objects_failed{0};
  std::atomic<uint64_t> bytes_done{0};
  std::atomic<uint64_t> events_stored{0};
  std::atomic<uint64_t> events_duplicate{0};
  std::atomic<bool> listing_done{false};
};

struct BackfillSummary {
  std::vector<std::string> accounts;  // found and selected
  std::vector<std::string> regions;
  std::vector<std::string> errors;  // one per failed object or listing, with the hint
  bool cancelled = false;
  bool ok() const { return errors.empty() && !cancelled; }
};

// Runs until every selected day prefix is read, or `cancel` becomes true (then the objects in
// work finish and the checkpoint is written). Fails only when nothing can start (bad options,
// credentials, the account listing); per-object errors are in the summary.
Result<BackfillSummary> RunBackfill(const BackfillOptions& options, EventSink* sink,
                                    const aws::CredentialsEnvironment& env,
                                    BackfillProgress* progress,
                                    const std::atomic<bool>* cancel = nullptr);

// "2025-01-31" (or a full ISO time: its date) → days since 1970-01-01; kInvalidArgument.
Result<int64_t> ParseDay(std::string_view text);

}  // namespace trailhound::sources
