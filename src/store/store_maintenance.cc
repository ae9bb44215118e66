// Store maintenance: flush (memtable → day-partitioned segments, then drop the WAL files they
// cover), merge (small segments of one day → one segment that names them in `replaces`), and
// retention (whole segments older than retention_days). All run under maintenance_mu, on the
// background thread or from Flush/Maintain.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "store/store_impl.h"

namespace trailhound::store {

namespace {

int64_t SteadyMillis(Clock* clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             clock->SteadyNow().time_since_epoch())
      .count();
}

int64_t WallMillis(Clock* clock) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock->Now().time_since_epoch())
      .count();
}

// The frozen memtable's events grouped by UTC day.
std::map<int64_t, std::vector<const StoredEvent*>> ByDay(const Memtable& table) {
  std::map<int64_t, std::vector<const StoredEvent*>> days;
  for (const auto& chunk : table.chunks) {
    for (const StoredEvent& event : *chunk) days[DayOf(event.time)].push_back(&event);
  }
  return days;
}

// `table` without the events of `day`.
Memtable WithoutDay(const Memtable& table, int64_t day) {
  auto rest = std::make_shared<std::vector<StoredEvent>>();
  for (const auto& chunk : table.chunks) {
    for (const StoredEvent& event : *chunk) {
      if (DayOf(event.time) != day) rest->push_back(event);
    }
  }
  Memtable out;
  if (!rest->empty()) out.Add(std::move(rest));
  return out;
}

}  // namespace

bool Store::Impl::FlushDue() const {
  if (active.empty()) return false;
  return active.bytes >= options.max_memtable_bytes ||
         active.events >= options.max_memtable_events ||
         SteadyMillis(clock) - active_since_ms >= options.flush_interval_ms;
}

Status Store::Impl::FlushLocked() {
  {
    // Freeze: no Append is between its WAL write and its memtable insert while we hold
    // wal_phase, so the WAL files below the rotation hold exactly the frozen events.
    std::unique_lock phase(wal_phase);
    std::lock_guard lock(mu);
    if (frozen.empty()) {  // else an earlier flush failed part-way: finish that one first
      if (active.empty()) {
        // Nothing unflushed: every WAL record is in a segment (or was a duplicate).
        return wal->DropFilesBefore(wal->current_sequence());
      }
      TH_ASSIGN_OR_RETURN(frozen_wal_sequence, wal->Rotate());
      frozen = std::move(active);
      active = Memtable{};
    }
  }

  // `frozen` is only replaced by this thread (under maintenance_mu), so reading it without mu
  // is safe; searches share its chunks, which are immutable. `held` keeps the chunks alive
  // while `frozen` shrinks day by day.
  const std::vector<MemtableChunk> held = frozen.chunks;
  for (auto& [day, events] : ByDay(frozen)) {
    uint64_t id;
    {
      std::lock_guard lock(mu);
      id = next_segment_id++;
    }
    Result<SegmentInfo> info = WriteSegment(segment_dir, id, events, {}, options.segment);
    if (!info.ok()) return info.status().Annotate("Flushing the memtable");
    Result<std::shared_ptr<const Segment>> segment = Segment::Open(info->path);
    if (!segment.ok()) return segment.status().Annotate("Flushing the memtable");
    Memtable rest = WithoutDay(frozen, day);
    std::lock_guard lock(mu);
    segments.push_back(std::move(*segment));
    std::sort(segments.begin(), segments.end(),
              [](const auto& a, const auto& b) { return a->info().min_time < b->info().min_time; });
    frozen = std::move(rest);
  }
  uint64_t drop_before;
  {
    std::lock_guard lock(mu);
    frozen = Memtable{};
    drop_before = frozen_wal_sequence;
    ++counters.flushes;
  }
  changed.notify_all();
  return wal->DropFilesBefore(drop_before);
}

Status Store::Impl::MergeLocked() {
  // Candidates: small segments that lie within one UTC day, grouped by that day.
  std::map<int64_t, std::vector<std::shared_ptr<const Segment>>> days;
  {
    std::lock_guard lock(mu);
    for (const auto& segment : segments) {
      const SegmentInfo& info = segment->info();
      if (info.rows >= options.merge_target_rows) continue;
      if (DayOf(info.min_time) != DayOf(info.max_time)) continue;
      days[DayOf(info.min_time)].push_back(segment);
    }
  }
  for (auto& [day, group] : days) {
    if (group.size() < options.merge_min_segments) continue;
    // The smallest first, as many as fit in merge_target_rows (at least two).
    std::sort(group.begin(), group.end(),
              [](const auto& a, const auto& b) { return a->info().rows < b->info().rows; });
    std::vector<std::shared_ptr<const Segment>> inputs;
    uint64_t rows = 0;
    for (const auto& segment : group) {
      if (inputs.size() >= 2 && rows + segment->info().rows > options.merge_target_rows) break;
      rows += segment->info().rows;
      inputs.push_back(segment);
    }
    if (inputs.size() < 2) continue;

    std::vector<StoredEvent> events;
    events.reserve(rows);
    std::vector<uint64_t> replaces;
    BlockRows block;
    BlockReadMask mask;
    mask.raw = true;
    for (const auto& segment : inputs) {
      replaces.push_back(segment->info().id);
      for (size_t b = 0; b < segment->block_count(); ++b) {
        TH_RETURN_IF_ERROR(segment->ReadBlock(b, mask, &block));
        for (size_t r = 0; r < block.size(); ++r) {
          StoredEvent& event = events.emplace_back();
          event.time = block.time[r];
          event.time_is_fallback = block.time_is_fallback[r] != 0;
          event.source = std::string(block.source[r]);
          event.category = block.category[r];
          event.raw = std::string(block.raw[r]);
          event.key = block.key[r];
        }
      }
    }
    std::vector<const StoredEvent*> pointers;
    pointers.reserve(events.size());
    for (const StoredEvent& event : events) pointers.push_back(&event);
    uint64_t id;
    {
      std::lock_guard lock(mu);
      id = next_segment_id++;
    }
    Result<SegmentInfo> info = WriteSegment(segment_dir, id, pointers, replaces, options.segment);
    if (!info.ok()) return info.status().Annotate("Merging segments");
    TH_ASSIGN_OR_RETURN(std::shared_ptr<const Segment> merged, Segment::Open(info->path));
    {
      std::lock_guard lock(mu);
      std::erase_if(segments, [&](const auto& segment) {
        return std::find(replaces.begin(), replaces.end(), segment->info().id) != replaces.end();
      });
      segments.push_back(std::move(merged));
      std::sort(segments.begin(), segments.end(), [](const auto& a, const auto& b) {
        return a->info().min_time < b->info().min_time;
      });
      ++counters.merges;
    }
    // Searches that still hold an input keep reading it: the mapping outlives the unlink.
    for (const auto& segment : inputs) TH_RETURN_IF_ERROR(ops->RemoveFile(segment->info().path));
    TH_RETURN_IF_ERROR(ops->SyncDir(segment_dir));
  }
  return Status::OK();
}

Status Store::Impl::ExpireLocked() {
  if (options.retention_days == 0) return Status::OK();
  int64_t cutoff = WallMillis(clock) - options.retention_days * kMillisPerDay;
  std::vector<std::shared_ptr<const Segment>> expired;
  {
    std::lock_guard lock(mu);
    for (const auto& segment : segments) {
      if (segment->info().max_time < cutoff) expired.push_back(segment);
    }
    std::erase_if(segments, [&](const auto& segment) { return segment->info().max_time < cutoff; });
    counters.segments_expired += expired.size();
  }
  for (const auto& segment : expired) {
    spdlog::info(
        "Deleting segment '{}' ({} events up to {} ms): older than the retention of {} "
        "days",
        segment->info().path, segment->info().rows, segment->info().max_time,
        options.retention_days);
    TH_RETURN_IF_ERROR(ops->RemoveFile(segment->info().path));
  }
  if (!expired.empty()) TH_RETURN_IF_ERROR(ops->SyncDir(segment_dir));
  return Status::OK();
}

void Store::Impl::BackgroundLoop() {
  constexpr auto kTick = std::chrono::seconds(1);
  constexpr int64_t kMaintenanceEveryMs = 10'000;
  int64_t last_maintenance = SteadyMillis(clock);
  std::unique_lock lock(mu);
  while (!stopping) {
    changed.wait_for(lock, kTick, [this] { return stopping || FlushDue(); });
    if (stopping) break;
    bool flush = FlushDue();
    bool maintain = SteadyMillis(clock) - last_maintenance >= kMaintenanceEveryMs;
    if (!flush && !maintain) continue;
    lock.unlock();
    Status status = Status::OK();
    {
      std::lock_guard maintenance(maintenance_mu);
      if (flush) status = FlushLocked();
      if (status.ok() && maintain) {
        status = MergeLocked();
        if (status.ok()) status = ExpireLocked();
        last_maintenance = SteadyMillis(clock);
      }
    }
    lock.lock();
    if (status.ok()) {
      counters.last_error.clear();
      continue;
    }
    if (counters.last_error.empty()) {
      spdlog::error("Store maintenance failed (events stay in the WAL; retrying every second): {}",
                    status.ToString());
    }
    counters.last_error = status.ToString();
    changed.wait_for(lock, kTick, [this] { return stopping; });
  }
}

}  // namespace trailhound::store
