// Store: the embedded event store (DESIGN.md "Embedded store", docs/formats/store.md).
//
//   Append ──▶ dedup ──▶ WAL (group commit, fdatasync) ──▶ memtable ──flush──▶ segments
//
// Append returns OK only when every new event of the batch is durable in the WAL: that is the
// point where a source may acknowledge its messages. Events are deduplicated on their
// DedupKey (recipientAccountId + eventID) against every segment, the memtable and concurrent
// Appends, across restarts, so at-least-once delivery becomes exactly-once storage. Searches
// see an event as soon as its Append has returned.
//
// A background thread (or Flush/Maintain, when background is off) writes the memtable as
// segments partitioned by UTC day, drops WAL files whose records are all in segments, merges
// small segments of the same day and deletes segments older than the retention. Recovery on
// Open replays the WAL (cutting a torn tail), and removes segments that a finished merge
// replaced, so a crash at any instant loses nothing acknowledged and duplicates nothing.
//
// Thread safety: every method may be called concurrently. Back-pressure: when the memtable
// holds max_memtable_bytes and a flush is behind, Append waits instead of growing memory.
// Errors: kIoError / kCorruption naming the file; after a WAL failure the store refuses
// Appends (kIoError) until reopened, since durability can no longer be promised.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/event.h"
#include "core/result.h"
#include "core/status.h"
#include "store/file_ops.h"
#include "store/segment.h"
#include "store/stored_event.h"

namespace trailhound::store {

struct StoreOptions {
  std::string data_dir = "./data";             // holds wal/ and segments/
  uint64_t max_memtable_bytes = 256ull << 20;  // flush when the memtable holds this much raw JSON
  uint64_t max_memtable_events = 1'000'000;
  int64_t flush_interval_ms = 300'000;   // flush at least this often when not empty
  int64_t retention_days = 0;            // delete segments older than this; 0 keeps forever
  uint64_t merge_target_rows = 250'000;  // merge same-day segments smaller than this...
  size_t merge_min_segments = 4;         // ...when a day has at least this many of them;
                                         // one merge reads at most this many rows into memory
  int64_t append_wait_ms = 60'000;       // how long Append waits for a flush that is behind
                                         // before failing with kUnavailable (retriable)
  bool background = true;                // run flush/merge/retention on a thread
  // Open for searching only: nothing in data_dir is written, locked or removed, so it works
  // beside a running writer (the snapshot is taken at Open). Append/Flush/Maintain then fail
  // with kFailedPrecondition.
  bool read_only = false;
  SegmentWriteOptions segment;
  uint64_t wal_max_file_bytes = 64ull << 20;
  FileOps* file_ops = nullptr;  // nullptr: DefaultFileOps(); not owned
  Clock* clock = nullptr;       // nullptr: SystemClock(); not owned (retention)
};

struct AppendResult {
  uint64_t stored = 0;      // new events, now durable
  uint64_t duplicates = 0;  // already stored (or twice in the batch); skipped
};

struct StoreStats {
  uint64_t events = 0;  // in segments and memtable
  uint64_t segments = 0;
  uint64_t segment_bytes = 0;
  uint64_t memtable_events = 0;
  uint64_t memtable_bytes = 0;
  uint64_t appended = 0;    // since Open
  uint64_t duplicates = 0;  // since Open
  uint64_t flushes = 0;
  uint64_t merges = 0;
  uint64_t segments_expired = 0;  // deleted by retention
  int64_t min_time = 0;           // over all events; 0 when empty
  int64_t max_time = 0;
  uint64_t wal_replayed = 0;  // records replayed by Open (duplicates included)
  std::string last_error;     // of the background work; "" when the last round was fine
};

// The events of one Append that were new, in a chunk of the memtable. Chunks are immutable
// once published, so a snapshot can share them with the writer.
using MemtableChunk = std::shared_ptr<const std::vector<StoredEvent>>;

// A consistent view of the store's contents at one instant, for one search: the segments
// (shared, so kept alive by the snapshot even if merged away or expired meanwhile) and the
// memtable chunks published before the snapshot was taken.
struct StoreSnapshot {
  std::vector<std::shared_ptr<const Segment>> segments;
  std::vector<MemtableChunk> memtable;
};

class Store {
 public:
  // Opens (creating if missing) the store in options.data_dir, takes its lock (one writer per
  // directory; see dir_lock.h) and recovers it. Read-only: kNotFound when there is no store.
  static Result<std::unique_ptr<Store>> Open(StoreOptions options);
  // Stops the background thread and flushes nothing (the WAL keeps the memtable durable).
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // Stores the events that are not stored yet; returns when they are durable.
  Result<AppendResult> Append(std::span<const Event> events);
  Result<AppendResult> Append(std::span<const StoredEvent> events);

  StoreSnapshot Snapshot() const;

  // Writes the memtable as segments now and drops the WAL files it covered.
  Status Flush();
  // One round of maintenance now: flush if due, merge, retention.
  Status Maintain();

  StoreStats stats() const;
  const StoreOptions& options() const;

 private:
  // Both Appends end here; the events are moved into the memtable.
  Result<AppendResult> AppendOwned(std::vector<StoredEvent> events);
  struct Impl;
  explicit Store(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace trailhound::store
