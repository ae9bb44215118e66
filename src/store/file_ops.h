// FileOps: the few file-system calls the store makes, behind an interface so that tests
// can count syncs and inject the failures a real disk rarely produces (EIO on fsync,
// ENOSPC mid-write). DefaultFileOps() is POSIX. Errors are kIoError naming the path.
// Thread safety: FileOps methods may be called concurrently; one WritableFile is used
// by one thread at a time. Lifetime: DefaultFileOps() is never destroyed.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace trailhound::store {

// An append-only file; closed by the destructor.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  // Writes all of `pieces`, in order, at the end of the file (one writev where possible).
  virtual Status Append(std::span<const std::string_view> pieces) = 0;
  // fdatasync: the appended bytes (and the size) are durable when it returns OK.
  virtual Status Sync() = 0;
  virtual const std::string& path() const = 0;
};

class FileOps {
 public:
  virtual ~FileOps() = default;
  // Creates `path`, which must not exist.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  // fsync of a directory, so that files created or removed in it are durable.
  virtual Status SyncDir(const std::string& dir) = 0;
  // Creates `dir` (and parents) if missing.
  virtual Status CreateDirs(const std::string& dir) = 0;
  // The names (not paths) of the entries of `dir`.
  virtual Result<std::vector<std::string>> ListDir(const std::string& dir) = 0;
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Truncates `path` to `size` bytes and syncs it.
  virtual Status Truncate(const std::string& path, uint64_t size) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
  // Atomically replaces `to` with `from` (POSIX rename). Durable once the directory is synced.
  virtual Status Rename(const std::string& from, const std::string& to) = 0;
};

FileOps* DefaultFileOps();

}  // namespace trailhound::store
