// IngestFiles: local CloudTrail log files (a copy of the bucket in S3's key layout, or any
// .json / .json.gz files) → CloudTrailReader → CloudTrailNormalizer → an EventSink, with
// several files in flight on worker threads. Digest files are skipped, not errors; a file that
// fails (corrupt gzip, invalid record, unreadable) is reported with its path and the others go
// on. Records read before a file's error are still written: the sink deduplicates, so fixing
// and re-ingesting a file stores nothing twice. Memory: per worker one file's bytes plus one
// batch of events. Thread safety: one call per set of paths; progress() may be read from any
// thread while it runs.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "core/event_sink.h"
#include "core/result.h"
#include "core/status.h"

namespace trailhound::sources::files {

struct FileIngestOptions {
  std::string source_name = "local";     // stored as each event's _source
  int workers = 0;                       // files read in parallel; 0: one per CPU
  size_t batch_events = 5000;            // events per sink write
  uint64_t max_file_bytes = 1ull << 30;  // larger files are refused (kResourceExhausted)
};

// Live counters, readable while the ingest runs.
struct FileIngestProgress {
  std::atomic<uint64_t> files_total{0};  // files found (known before the first is read)
  std::atomic<uint64_t> bytes_total{0};  // their sizes
  std::atomic<uint64_t> files_done{0};   // read, with or without error
  std::atomic<uint64_t> bytes_done{0};
  std::atomic<uint64_t> files_skipped{0};  // digests
  std::atomic<uint64_t> files_failed{0};
  std::atomic<uint64_t> events_stored{0};
  std::atomic<uint64_t> events_duplicate{0};
  std::atomic<uint64_t> records_invalid{0};
};

struct FileError {
  std::string path;
  Status status;
};

// Called from worker threads, once per failed file.
using FileErrorCallback = std::function<void(const FileError&)>;

// The files under `paths` (files, or directories walked recursively, in name order).
// kNotFound naming a path that does not exist.
Result<std::vector<std::string>> ListInputFiles(const std::vector<std::string>& paths);

// Ingests `files`; returns OK when every file was read cleanly (else the first file error,
// after all files were tried). A sink error stops the ingest and is returned.
Status IngestFiles(const std::vector<std::string>& files, EventSink& sink,
                   const FileIngestOptions& options, FileIngestProgress& progress,
                   const FileErrorCallback& on_error = nullptr);

}  // namespace trailhound::sources::files
