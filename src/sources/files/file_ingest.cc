#include "sources/files/file_ingest.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <thread>

#include "codecs/cloudtrail_key.h"
#include "codecs/cloudtrail_reader.h"
#include "transforms/normalize/cloudtrail_normalizer.h"

namespace trailhound::sources::files {

namespace {

namespace fs = std::filesystem;

Result<std::string> ReadWholeFile(const std::string& path, uint64_t max_bytes) {
  std::error_code ec;
  uint64_t size = fs::file_size(path, ec);
  if (ec) return Status::IoError("Cannot read '" + path + "': " + ec.message());
  if (size > max_bytes) {
    return Status::ResourceExhausted("'" + path + "' is " + std::to_string(size) +
                                     " bytes, over the limit of " + std::to_string(max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  if (!in) return Status::IoError("Cannot read '" + path + "'");
  return bytes;
}

int64_t ModifiedMillis(const std::string& path) {
  std::error_code ec;
  auto written = fs::last_write_time(path, ec);
  if (ec) return 0;
  auto system = std::chrono::file_clock::to_sys(written);
  return std::chrono::duration_cast<std::chrono::milliseconds>(system.time_since_epoch()).count();
}

// One worker: reads files until none is left.
class Worker {
 public:
  Worker(EventSink& sink, const FileIngestOptions& options, FileIngestProgress& progress)
      : sink_(sink), options_(options), progress_(progress) {}

  // The file's status (OK, or why it is not clean) and, separately, a sink failure.
  Status IngestOne(const std::string& path, Status* sink_status) {
    if (codecs::ClassifyCloudTrailKey(path).kind == codecs::CloudTrailObjectKind::kDigest) {
      progress_.files_skipped.fetch_add(1);
      return Status::OK();
    }
    TH_ASSIGN_OR_RETURN(std::string bytes, ReadWholeFile(path, options_.max_file_bytes));
    const int64_t fallback_time = ModifiedMillis(path);
    codecs::CloudTrailReadStats stats;
    Status normalize_error;
    Status read = codecs::ReadCloudTrailObject(
        bytes, path, codecs::CloudTrailReaderOptions{},
        [&](const codecs::CloudTrailRecord& record) -> Status {
          Result<Event> event =
              normalizer_.Normalize(record.json, options_.source_name, fallback_time);
          if (!event.ok()) {
            if (normalize_error.ok()) normalize_error = event.status();
            return Status::OK();
          }
          batch_.push_back(std::move(*event));
          if (batch_.size() >= options_.batch_events) return Flush();
          return Status::OK();
        },
        &stats);
    Status flushed = Flush();
    if (!flushed.ok()) {
      *sink_status = flushed;
      return flushed;
    }
    progress_.records_invalid.fetch_add(stats.records_invalid);
    if (stats.kind == codecs::CloudTrailObjectKind::kDigest) progress_.files_skipped.fetch_add(1);
    if (!read.ok()) return read;
    return normalize_error;
  }

  Status Flush() {
    if (batch_.empty()) return Status::OK();
    Result<SinkWriteResult> written = sink_.Write(batch_);
    batch_.clear();
    if (!written.ok()) return written.status();
    progress_.events_stored.fetch_add(written->stored);
    progress_.events_duplicate.fetch_add(written->duplicates);
    return Status::OK();
  }

 private:
  EventSink& sink_;
  const FileIngestOptions& options_;
  FileIngestProgress& progress_;
  transforms::CloudTrailNormalizer normalizer_;
  std::vector<Event> batch_;
};

}  // namespace

Result<std::vector<std::string>> ListInputFiles(const std::vector<std::string>& paths) {
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status))
      return Status::NotFound("No such file or directory: '" + path + "'");
    if (!fs::is_directory(status)) {
      files.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->is_regular_file(ec)) found.push_back(it->path().string());
    }
    if (ec) return Status::IoError("Cannot list '" + path + "': " + ec.message());
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

Status IngestFiles(const std::vector<std::string>& files, EventSink& sink,
                   const FileIngestOptions& options, FileIngestProgress& progress,
                   const FileErrorCallback& on_error) {
  progress.files_total.store(files.size());
  uint64_t total_bytes = 0;
  for (const std::string& file : files) {
    std::error_code ec;
    uint64_t size = fs::file_size(file, ec);
    if (!ec) total_bytes += size;
  }
  progress.bytes_total.store(total_bytes);

  int workers = options.workers > 0
                    ? options.workers
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  workers = std::min<int>(workers, static_cast<int>(std::max<size_t>(1, files.size())));
  std::atomic<size_t> next{0};
  std::mutex mu;
  Status first_file_error;
  Status sink_error;
  std::atomic<bool> stop{false};
  auto run = [&] {
    Worker worker(sink, options, progress);
    while (!stop.load()) {
      size_t index = next.fetch_add(1);
      if (index >= files.size()) break;
      const std::string& path = files[index];
      Status sink_status;
      Status status = worker.IngestOne(path, &sink_status);
      std::error_code ec;
      uint64_t size = fs::file_size(path, ec);
      progress.bytes_done.fetch_add(ec ? 0 : size);
      progress.files_done.fetch_add(1);
      if (!sink_status.ok()) {
        std::lock_guard lock(mu);
        if (sink_error.ok()) sink_error = sink_status;
        stop.store(true);
        break;
      }
      if (!status.ok()) {
        progress.files_failed.fetch_add(1);
        if (on_error) on_error(FileError{path, status});
        std::lock_guard lock(mu);
        if (first_file_error.ok()) first_file_error = status;
      }
    }
  };
  std::vector<std::thread> threads;
  for (int i = 1; i < workers; ++i) threads.emplace_back(run);
  run();
  for (auto& thread : threads) thread.join();
  if (!sink_error.ok()) return sink_error.Annotate("Storing events");
  return first_file_error;
}

}  // namespace trailhound::sources::files
