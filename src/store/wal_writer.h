// WalWriter: appends records to the write-ahead log with group commit. Append returns
// OK only once its records are durable (written and fdatasync'd), so a caller may then
// acknowledge the source messages they came from. Concurrent Appends are batched: one
// leader writes everyone's records with one write and one sync while the others wait.
// Thread safety: all methods may be called concurrently. Errors: kIoError naming the file;
// after any write or sync failure the writer is poisoned and every later call fails.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/status.h"
#include "store/file_ops.h"

namespace trailhound::store {

struct WalWriterOptions {
  // A new file is started when a batch would grow the current one past this size.
  uint64_t max_file_bytes = 64ull << 20;
  // Upper bound on the bytes one leader writes and syncs for a group of Appends.
  uint64_t max_batch_bytes = 8ull << 20;
  // File-system calls; nullptr means DefaultFileOps(). Not owned; must outlive the writer.
  FileOps* file_ops = nullptr;
};

struct WalWriterStats {
  uint64_t appends = 0;  // Append calls that wrote at least one record
  uint64_t records = 0;
  uint64_t bytes = 0;  // framed record bytes, headers excluded
  uint64_t syncs = 0;  // fdatasync calls for records (one per group)
};

class WalWriter {
 public:
  // Starts a new file after the highest-numbered one in `dir` (created if missing).
  // REQUIRES: `dir` has been recovered (WalReader::Replay with truncate_torn_tail), so
  // that no earlier file ends in a torn record.
  static Result<std::unique_ptr<WalWriter>> Open(std::string dir, WalWriterOptions options);
  ~WalWriter();
  WalWriter(const WalWriter&) = delete;
  WalWriter& operator=(const WalWriter&) = delete;

  // Appends `records` in order, contiguously, and returns when they are durable.
  // Records of different concurrent calls are never interleaved. kInvalidArgument for a
  // record larger than kWalMaxRecordBytes (nothing is written).
  Status Append(std::span<const std::string_view> records);
  // The same for `count` records the caller framed itself (BeginWalRecord /
  // FinishWalRecord, wal_format.h): saves a copy of every payload.
  Status AppendFramed(std::string framed, uint64_t count);

  // Checkpoint support: closes the current file and starts a new one; returns its
  // sequence. Every record of an Append that returned before Rotate was called is in a
  // file with a smaller sequence.
  Result<uint64_t> Rotate();
  // Deletes the WAL files with a sequence below `sequence` (never the current file), once
  // their records are in segments. Syncs the directory.
  Status DropFilesBefore(uint64_t sequence);

  uint64_t current_sequence() const;
  WalWriterStats stats() const;

 private:
  struct Waiter;
  WalWriter(std::string dir, WalWriterOptions options);
  // Starts file `sequence`: create, write header, sync it, sync the directory.
  // REQUIRES: io_mu_ held.
  Status StartFile(uint64_t sequence);
  // Writes and syncs one group's records. REQUIRES: io_mu_ held.
  Status WriteGroup(std::span<const std::string_view> pieces, uint64_t bytes);
  Status Poisoned() const;  // REQUIRES: mu_ held

  const std::string dir_;
  const WalWriterOptions options_;
  FileOps* const ops_;

  // Lock order: io_mu_ before mu_. The leader never holds mu_ while doing IO.
  mutable std::mutex io_mu_;  // the current file and its size
  std::unique_ptr<WritableFile> file_;
  uint64_t sequence_ = 0;
  uint64_t file_bytes_ = 0;

  mutable std::mutex mu_;      // the queue and the poison status
  std::deque<Waiter*> queue_;  // front is the leader of the next group
  Status poison_;              // first write/sync failure; OK while healthy

  std::atomic<uint64_t> appends_{0};
  std::atomic<uint64_t> records_{0};
  std::atomic<uint64_t> bytes_{0};
  std::atomic<uint64_t> syncs_{0};
  std::atomic<uint64_t> current_sequence_{0};
};

}  // namespace trailhound::store
