// FaultInjectingFileOps: a FileOps for tests that passes every call to a real FileOps,
// counts data syncs, and injects what a healthy disk will not do on demand: EIO from
// fdatasync, ENOSPC from a write, EIO from a rename, a slow sync (to make group commit
// observable).
// Thread safety: every method may be called from any thread.
// Lifetime: the delegate is not owned and must outlive this object and its files.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "store/file_ops.h"

namespace trailhound::store {

class FaultInjectingFileOps final : public FileOps {
 public:
  explicit FaultInjectingFileOps(FileOps* delegate) : delegate_(delegate) {}

  // The next `n` file syncs fail with EIO (after really syncing).
  void FailNextSyncs(int n) { failing_syncs_.store(n); }
  // The next `n` appends fail with ENOSPC after writing half of their bytes.
  void FailNextAppends(int n) { failing_appends_.store(n); }
  // The next `n` renames fail with EIO without renaming.
  void FailNextRenames(int n) { failing_renames_.store(n); }
  // Each file sync first sleeps this long.
  void SetSyncDelay(std::chrono::microseconds d) { sync_delay_us_.store(d.count()); }
  // When false, file syncs are counted but not performed (fast tests on slow disks).
  void SetRealSyncs(bool real) { real_syncs_.store(real); }
  // File syncs attempted so far (header syncs of new files included).
  int syncs() const { return syncs_.load(); }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    TH_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> f, delegate_->NewWritableFile(path));
    return std::unique_ptr<WritableFile>(std::make_unique<File>(this, std::move(f)));
  }
  Status SyncDir(const std::string& dir) override { return delegate_->SyncDir(dir); }
  Status CreateDirs(const std::string& dir) override { return delegate_->CreateDirs(dir); }
  Result<std::vector<std::string>> ListDir(const std::string& dir) override {
    return delegate_->ListDir(dir);
  }
  Result<std::string> ReadFile(const std::string& path) override {
    return delegate_->ReadFile(path);
  }
  Status Truncate(const std::string& path, uint64_t size) override {
    return delegate_->Truncate(path, size);
  }
  Status RemoveFile(const std::string& path) override { return delegate_->RemoveFile(path); }
  Status Rename(const std::string& from, const std::string& to) override {
    if (Take(failing_renames_)) {
      return Status::IoError("Failed to rename '" + from + "' to '" + to + "': Input/output error");
    }
    return delegate_->Rename(from, to);
  }

 private:
  static bool Take(std::atomic<int>& budget) {
    int n = budget.load();
    while (n > 0 && !budget.compare_exchange_weak(n, n - 1)) {
    }
    return n > 0;
  }

  class File final : public WritableFile {
   public:
    File(FaultInjectingFileOps* owner, std::unique_ptr<WritableFile> file)
        : owner_(owner), file_(std::move(file)) {}
    Status Append(std::span<const std::string_view> pieces) override {
      if (Take(owner_->failing_appends_)) {
        if (!pieces.empty()) {
          std::string_view half = pieces[0].substr(0, pieces[0].size() / 2);
          TH_RETURN_IF_ERROR(file_->Append({&half, 1}));
        }
        return Status::IoError("Failed to write '" + path() + "': No space left on device");
      }
      return file_->Append(pieces);
    }
    Status Sync() override {
      owner_->syncs_.fetch_add(1);
      if (auto us = owner_->sync_delay_us_.load(); us > 0) {
        std::this_thread::sleep_for(std::chrono::microseconds(us));
      }
      Status s = owner_->real_syncs_.load() ? file_->Sync() : Status::OK();
      if (Take(owner_->failing_syncs_)) {
        return Status::IoError("Failed to sync '" + path() + "': Input/output error");
      }
      return s;
    }
    const std::string& path() const override { return file_->path(); }

   private:
    FaultInjectingFileOps* owner_;
    std::unique_ptr<WritableFile> file_;
  };

  FileOps* delegate_;
  std::atomic<int> failing_syncs_{0};
  std::atomic<int> failing_appends_{0};
  std::atomic<int> failing_renames_{0};
  std::atomic<int64_t> sync_delay_us_{0};
  std::atomic<bool> real_syncs_{true};
  std::atomic<int> syncs_{0};
};

}  // namespace trailhound::store
