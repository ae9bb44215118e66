// Store recovery: what Open does before the store takes writes. Segments first (a finished
// merge's inputs and unfinished writes' temp files are removed), then the WAL, whose records
// are deduplicated against the segments: a crash between writing a flush's segments and
// dropping its WAL files replays events that are already stored, and they are skipped.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <string_view>

#include "store/store_impl.h"
#include "store/wal_reader.h"

namespace trailhound::store {

Status Store::Impl::Recover() {
  TH_ASSIGN_OR_RETURN(std::vector<std::string> names, ops->ListDir(segment_dir));
  std::vector<std::shared_ptr<const Segment>> found;
  std::set<uint64_t> replaced;
  uint64_t max_id = 0;
  bool removed = false;
  for (const std::string& name : names) {
    std::string path = segment_dir + "/" + name;
    if (std::string_view(name).ends_with(".tmp")) {
      if (options.read_only) continue;
      spdlog::warn("Removing '{}', a segment write that did not finish", path);
      TH_RETURN_IF_ERROR(ops->RemoveFile(path));
      removed = true;
      continue;
    }
    std::optional<uint64_t> id = ParseSegmentFileName(name);
    if (!id) continue;
    Result<std::shared_ptr<const Segment>> opened = Segment::Open(path);
    if (!opened.ok() && options.read_only && opened.status().code() == StatusCode::kNotFound) {
      continue;  // removed by the writer's merge or retention since we listed the folder
    }
    if (!opened.ok()) return opened.status();
    std::shared_ptr<const Segment> segment = std::move(*opened);
    max_id = std::max(max_id, *id);
    for (uint64_t r : segment->info().replaces) {
      replaced.insert(r);
      max_id = std::max(max_id, r);
    }
    found.push_back(std::move(segment));
  }
  for (auto& segment : found) {
    if (!replaced.contains(segment->info().id)) {
      segments.push_back(std::move(segment));
      continue;
    }
    // Its rows are all in the merged segment that names it; the merge stopped before
    // deleting it.
    if (options.read_only) continue;
    spdlog::info("Removing segment '{}', replaced by a merge", segment->info().path);
    TH_RETURN_IF_ERROR(ops->RemoveFile(segment->info().path));
    removed = true;
  }
  if (removed) TH_RETURN_IF_ERROR(ops->SyncDir(segment_dir));
  std::sort(segments.begin(), segments.end(),
            [](const auto& a, const auto& b) { return a->info().min_time < b->info().min_time; });
  next_segment_id = max_id + 1;

  auto chunk = std::make_shared<std::vector<StoredEvent>>();
  std::unordered_set<DedupKey, DedupKeyHash> replayed_keys;
  WalReplayOptions replay_options;
  replay_options.truncate_torn_tail = !options.read_only;
  replay_options.file_ops = ops;
  std::error_code exists_error;
  if (options.read_only && !std::filesystem::is_directory(wal_dir, exists_error)) {
    return Status::OK();  // nothing was ever appended
  }
  auto replay = WalReader::Replay(
      wal_dir,
      [&](WalPosition position, std::string_view record) -> Status {
        Result<StoredEvent> event = DecodeWalRecord(record);
        if (!event.ok()) {
          return event.status().Annotate("WAL file " + std::to_string(position.sequence) +
                                         " offset " + std::to_string(position.offset));
        }
        ++counters.wal_replayed;
        if (replayed_keys.contains(event->key) ||
            IsStored(event->key, event->time, event->time_is_fallback)) {
          return Status::OK();
        }
        replayed_keys.insert(event->key);
        chunk->push_back(std::move(*event));
        return Status::OK();
      },
      replay_options);
  if (!replay.ok()) return replay.status().Annotate("Recovering the WAL in '" + wal_dir + "'");
  if (replay->torn_tail && !options.read_only) {
    spdlog::warn(
        "Cut {} bytes of an incomplete WAL record at the end of '{}' (a write that "
        "was never acknowledged)",
        replay->torn_bytes, replay->torn_file);
  }
  if (!chunk->empty()) {
    // A reader (search beside a running writer) replays the WAL to see recent events: that
    // is no recovery, and its stdout may be JSON or CSV, so it stays silent.
    if (!options.read_only) {
      spdlog::info("Recovered {} events from the WAL in '{}'", chunk->size(), wal_dir);
    }
    active.Add(std::move(chunk));
  }

  if (options.read_only) return Status::OK();
  WalWriterOptions wal_options;
  wal_options.max_file_bytes = options.wal_max_file_bytes;
  wal_options.file_ops = ops;
  TH_ASSIGN_OR_RETURN(wal, WalWriter::Open(wal_dir, wal_options));
  return Status::OK();
}

}  // namespace trailhound::store
