#include "store/store.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <utility>

#include "store/store_impl.h"
#include "store/wal_format.h"

namespace trailhound::store {

namespace {

int64_t SteadyMillis(Clock* clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             clock->SteadyNow().time_since_epoch())
      .count();
}

Status ValidateOptions(const StoreOptions& options) {
  if (options.data_dir.empty()) return Status::InvalidArgument("the store needs a data_dir");
  if (options.max_memtable_bytes == 0 || options.max_memtable_events == 0) {
    return Status::InvalidArgument("max_memtable_bytes and max_memtable_events must be > 0");
  }
  if (options.flush_interval_ms <= 0) {
    return Status::InvalidArgument("flush_interval_ms must be > 0");
  }
  if (options.retention_days < 0) {
    return Status::InvalidArgument("retention_days must be >= 0 (0 keeps events forever)");
  }
  if (options.merge_min_segments < 2) {
    return Status::InvalidArgument("merge_min_segments must be >= 2");
  }
  return Status::OK();
}

}  // namespace

bool Store::Impl::IsStored(const DedupKey& key, int64_t time, bool fallback) const {
  if (active.keys.contains(key) || frozen.keys.contains(key)) return true;
  for (const auto& segment : segments) {
    const SegmentInfo& info = segment->info();
    // A duplicate has the same eventTime, so only segments covering `time` can hold it —
    // unless either side's time is a fallback (eventTime missing or invalid).
    bool may_hold =
        fallback || info.has_fallback_times || (time >= info.min_time && time <= info.max_time);
    if (may_hold && segment->ContainsKey(key)) return true;
  }
  return false;
}

void Memtable::Add(MemtableChunk chunk) {
  for (const StoredEvent& event : *chunk) {
    keys.insert(event.key);
    bytes += event.raw.size();
    min_time = events == 0 ? event.time : std::min(min_time, event.time);
    max_time = events == 0 ? event.time : std::max(max_time, event.time);
    ++events;
  }
  chunks.push_back(std::move(chunk));
}

Status Store::Impl::CheckWritable() const {
  if (!options.read_only) return Status::OK();
  return Status::FailedPrecondition("The store in '" + options.data_dir + "' was opened read-only");
}

Store::Store(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<Store>> Store::Open(StoreOptions options) {
  TH_RETURN_IF_ERROR(ValidateOptions(options));
  auto impl = std::make_unique<Impl>();
  impl->ops = options.file_ops != nullptr ? options.file_ops : DefaultFileOps();
  impl->clock = options.clock != nullptr ? options.clock : SystemClock();
  options.segment.file_ops = impl->ops;
  impl->wal_dir = options.data_dir + "/wal";
  impl->segment_dir = options.data_dir + "/segments";
  impl->options = std::move(options);
  if (impl->options.read_only) {
    std::error_code ec;
    if (!std::filesystem::is_directory(impl->segment_dir, ec)) {
      return Status::NotFound("There is no store in '" + impl->options.data_dir +
                              "' (no segments/ folder): ingest events first, or pass the "
                              "right --data-dir");
    }
    TH_RETURN_IF_ERROR(impl->Recover());
    return std::unique_ptr<Store>(new Store(std::move(impl)));
  }
  TH_RETURN_IF_ERROR(impl->ops->CreateDirs(impl->wal_dir));
  TH_RETURN_IF_ERROR(impl->ops->CreateDirs(impl->segment_dir));
  TH_ASSIGN_OR_RETURN(impl->dir_lock, DirLock::Acquire(impl->options.data_dir));
  TH_RETURN_IF_ERROR(impl->Recover());

  std::unique_ptr<Store> store(new Store(std::move(impl)));
  Impl& s = *store->impl_;
  // Write what the WAL replay brought back as segments now, so the old WAL files go.
  {
    std::lock_guard maintenance(s.maintenance_mu);
    TH_RETURN_IF_ERROR(s.FlushLocked());
  }
  if (s.options.background) s.background = std::thread([&s] { s.BackgroundLoop(); });
  return store;
}

Store::~Store() {
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->changed.notify_all();
  if (impl_->background.joinable()) impl_->background.join();
}

Result<AppendResult> Store::Append(std::span<const Event> events) {
  std::vector<StoredEvent> stored;
  stored.reserve(events.size());
  for (const Event& event : events) stored.push_back(StoredEvent::FromEvent(event));
  return AppendOwned(std::move(stored));
}

Result<AppendResult> Store::Append(std::span<const StoredEvent> events) {
  return AppendOwned(std::vector<StoredEvent>(events.begin(), events.end()));
}

Result<AppendResult> Store::AppendOwned(std::vector<StoredEvent> events) {
  Impl& s = *impl_;
  TH_RETURN_IF_ERROR(s.CheckWritable());
  AppendResult result;
  if (events.empty()) return result;

  auto chunk = std::make_shared<std::vector<StoredEvent>>();
  auto mine = std::make_shared<InflightBatch>();
  std::vector<std::shared_ptr<InflightBatch>> waits;  // batches holding keys we skipped
  std::shared_lock phase(s.wal_phase, std::defer_lock);
  {
    std::unique_lock lock(s.mu);
    // Back-pressure: while the memtable is full and a flush is behind, wait.
    auto full = [&s] {
      return s.active.bytes >= s.options.max_memtable_bytes ||
             s.active.events >= s.options.max_memtable_events;
    };
    if (full()) {
      s.changed.notify_all();  // wake the background thread
      bool ok = s.changed.wait_for(lock, std::chrono::milliseconds(s.options.append_wait_ms),
                                   [&] { return !full() || s.stopping; });
      if (!ok || s.stopping) {
        std::string why = s.counters.last_error.empty() ? std::string("flushing is behind")
                                                        : s.counters.last_error;
        return Status::Unavailable("The store cannot take more events now (" + why +
                                   "); retry later");
      }
    }
    std::unordered_set<DedupKey, DedupKeyHash> batch_keys;
    batch_keys.reserve(events.size());
    for (StoredEvent& event : events) {
      if (!batch_keys.insert(event.key).second) {
        ++result.duplicates;
        continue;
      }
      if (auto it = s.inflight.find(event.key); it != s.inflight.end()) {
        waits.push_back(it->second);
        ++result.duplicates;
        continue;
      }
      if (s.IsStored(event.key, event.time, event.time_is_fallback)) {
        ++result.duplicates;
        continue;
      }
      chunk->push_back(std::move(event));
    }
    for (const StoredEvent& event : *chunk) s.inflight.emplace(event.key, mine);
    // Lock order: wal_phase before mu. A flush that freezes the memtable meanwhile is fine:
    // our events are neither in the WAL nor in the memtable yet, and their keys are inflight.
    lock.unlock();
    phase.lock();
  }

  Status written = Status::OK();
  if (!chunk->empty()) {
    // Framed straight into one buffer: one copy of each event instead of three.
    size_t total = 0;
    for (const StoredEvent& event : *chunk) {
      total +=
          kWalRecordHeaderBytes + kWalRecordFixedBytes + event.source.size() + event.raw.size();
    }
    std::string framed;
    framed.reserve(total);
    for (const StoredEvent& event : *chunk) {
      const size_t start = BeginWalRecord(&framed);
      if (AppendWalRecordPayload(event, &framed) > kWalMaxRecordBytes) {
        written = Status::InvalidArgument("An event of " + std::to_string(event.raw.size()) +
                                          " bytes is larger than a WAL record may be");
        break;
      }
      FinishWalRecord(start, &framed);
    }
    if (written.ok()) written = s.wal->AppendFramed(std::move(framed), chunk->size());
  }

  {
    std::unique_lock lock(s.mu);
    for (const StoredEvent& event : *chunk) s.inflight.erase(event.key);
    mine->done = true;
    mine->status = written;
    if (written.ok() && !chunk->empty()) {
      if (s.active.empty()) s.active_since_ms = SteadyMillis(s.clock);
      result.stored = chunk->size();
      s.active.Add(std::move(chunk));
      s.counters.appended += result.stored;
    }
    phase.unlock();
    s.changed.notify_all();
    if (!written.ok()) return written.Annotate("Storing events");
    // A key we skipped because another Append was writing it counts as stored only if that
    // write succeeded; otherwise the caller must retry (and keep its input unacknowledged).
    for (const auto& other : waits) {
      s.changed.wait(lock, [&] { return other->done; });
      if (!other->status.ok()) {
        return Status::Unavailable("A concurrent write of the same events failed (" +
                                   other->status.message() + "); retry");
      }
    }
    s.counters.duplicates += result.duplicates;
  }
  return result;
}

StoreSnapshot Store::Snapshot() const {
  std::lock_guard lock(impl_->mu);
  StoreSnapshot snapshot;
  snapshot.segments = impl_->segments;
  snapshot.memtable = impl_->frozen.chunks;
  snapshot.memtable.insert(snapshot.memtable.end(), impl_->active.chunks.begin(),
                           impl_->active.chunks.end());
  return snapshot;
}

Status Store::Flush() {
  TH_RETURN_IF_ERROR(impl_->CheckWritable());
  std::lock_guard maintenance(impl_->maintenance_mu);
  return impl_->FlushLocked();
}

Status Store::Maintain() {
  Impl& s = *impl_;
  TH_RETURN_IF_ERROR(s.CheckWritable());
  std::lock_guard maintenance(s.maintenance_mu);
  bool due;
  {
    std::lock_guard lock(s.mu);
    due = s.FlushDue();
  }
  if (due) TH_RETURN_IF_ERROR(s.FlushLocked());
  TH_RETURN_IF_ERROR(s.MergeLocked());
  return s.ExpireLocked();
}

StoreStats Store::stats() const {
  std::lock_guard lock(impl_->mu);
  StoreStats stats = impl_->counters;
  stats.segments = impl_->segments.size();
  stats.memtable_events = impl_->active.events + impl_->frozen.events;
  stats.memtable_bytes = impl_->active.bytes + impl_->frozen.bytes;
  stats.events = stats.memtable_events;
  stats.segment_bytes = 0;
  bool any = false;
  auto widen = [&](int64_t lo, int64_t hi) {
    stats.min_time = any ? std::min(stats.min_time, lo) : lo;
    stats.max_time = any ? std::max(stats.max_time, hi) : hi;
    any = true;
  };
  for (const auto& segment : impl_->segments) {
    const SegmentInfo& info = segment->info();
    stats.events += info.rows;
    stats.segment_bytes += info.file_bytes;
    widen(info.min_time, info.max_time);
  }
  for (const Memtable* table : {&impl_->frozen, &impl_->active}) {
    if (!table->empty()) widen(table->min_time, table->max_time);
  }
  return stats;
}

const StoreOptions& Store::options() const { return impl_->options; }

}  // namespace trailhound::store
