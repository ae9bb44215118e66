// Store::Impl: the state shared by the store's write path (store.cc), its recovery
// (store_recovery.cc) and its maintenance (store_maintenance.cc). Internal to src/store.
//
// Locking: `mu` guards every member marked (mu). `wal_phase` is held shared by an Append from
// just before its WAL write until its events are in the memtable, and exclusively by a flush
// while it rotates the WAL and freezes the memtable, so that every WAL file the flush later
// drops holds only records of the frozen memtable. `maintenance_mu` serialises flushes,
// merges and retention. Order: maintenance_mu, then wal_phase, then mu.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "store/dir_lock.h"
#include "store/store.h"
#include "store/wal_writer.h"

namespace trailhound::store {

inline constexpr int64_t kMillisPerDay = 86'400'000;

// The UTC day of a time in ms (floor division, so negative times work).
inline int64_t DayOf(int64_t millis) {
  return millis >= 0 ? millis / kMillisPerDay : -((-millis + kMillisPerDay - 1) / kMillisPerDay);
}

// One Append's new events while its WAL write is in flight; later Appends that meet one of
// its keys wait for its outcome before they report that key as a duplicate.
struct InflightBatch {
  bool done = false;  // (mu)
  Status status;      // (mu) the outcome, once done
};

// A set of memtable chunks and the keys of their events.
struct Memtable {
  std::vector<MemtableChunk> chunks;
  std::unordered_set<DedupKey, DedupKeyHash> keys;
  uint64_t bytes = 0;  // raw JSON bytes
  uint64_t events = 0;
  int64_t min_time = 0;  // over the events; meaningless when empty
  int64_t max_time = 0;
  bool empty() const { return events == 0; }
  // Adds a published chunk (and its keys).
  void Add(MemtableChunk chunk);
};

struct Store::Impl {
  StoreOptions options;
  FileOps* ops = nullptr;
  Clock* clock = nullptr;
  std::string wal_dir;
  std::string segment_dir;
  std::unique_ptr<DirLock> dir_lock;  // null when read-only
  std::unique_ptr<WalWriter> wal;     // null when read-only

  std::mutex maintenance_mu;
  std::shared_mutex wal_phase;

  mutable std::mutex mu;
  std::condition_variable changed;  // (mu) a batch finished, a flush finished, or stopping
  std::vector<std::shared_ptr<const Segment>> segments;  // (mu)
  Memtable active;                                       // (mu) receives Appends
  Memtable frozen;                                       // (mu) being written as segments
  uint64_t frozen_wal_sequence = 0;  // (mu) WAL files below it hold only frozen's records
  std::unordered_map<DedupKey, std::shared_ptr<InflightBatch>, DedupKeyHash> inflight;  // (mu)
  int64_t active_since_ms = 0;   // (mu) steady time of the first event in `active`
  uint64_t next_segment_id = 1;  // (mu)
  StoreStats counters;           // (mu) appended, duplicates, flushes, merges, expired, ...
  bool stopping = false;         // (mu)

  std::thread background;

  // Whether `key` is stored or being stored (segments, both memtables).
  // REQUIRES: mu held. `time`/`fallback` narrow the segments to look in.
  bool IsStored(const DedupKey& key, int64_t time, bool fallback) const;

  // store_maintenance.cc
  Status FlushLocked();   // REQUIRES: maintenance_mu held
  Status MergeLocked();   // REQUIRES: maintenance_mu held
  Status ExpireLocked();  // REQUIRES: maintenance_mu held
  bool FlushDue() const;  // REQUIRES: mu held
  void BackgroundLoop();

  // kFailedPrecondition for a read-only store.
  Status CheckWritable() const;

  // store_recovery.cc: loads segments, removes merged-away ones, replays the WAL. Read-only:
  // skips what it would remove and changes nothing on disk.
  Status Recover();
};

}  // namespace trailhound::store
