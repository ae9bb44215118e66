#include "store/file_ops.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <filesystem>

namespace trailhound::store {
namespace {

Status PosixError(std::string_view what, const std::string& path, int err) {
  return Status::IoError(std::string(what) + " '" + path + "': " + std::strerror(err));
}

// Closes a descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

class PosixWritableFile final : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}

  Status Append(std::span<const std::string_view> pieces) override {
    std::vector<iovec> iov;
    iov.reserve(pieces.size());
    for (std::string_view p : pieces) {
      if (!p.empty()) iov.push_back({const_cast<char*>(p.data()), p.size()});
    }
    size_t first = 0;
    while (first < iov.size()) {
      int n = static_cast<int>(std::min<size_t>(iov.size() - first, IOV_MAX));
      ssize_t written = ::writev(fd_.get(), iov.data() + first, n);
      if (written < 0) {
        if (errno == EINTR) continue;
        return PosixError("Failed to write", path_, errno);
      }
      // Skip what was written; a short write resumes inside an iovec.
      auto left = static_cast<size_t>(written);
      while (first < iov.size() && left >= iov[first].iov_len) left -= iov[first++].iov_len;
      if (left > 0) {
        iov[first].iov_base = static_cast<char*>(iov[first].iov_base) + left;
        iov[first].iov_len -= left;
      }
    }
    return Status::OK();
  }

  Status Sync() override {
    if (::fdatasync(fd_.get()) != 0) return PosixError("Failed to sync", path_, errno);
    return Status::OK();
  }

  const std::string& path() const override { return path_; }

 private:
  std::string path_;
  Fd fd_;
};

class PosixFileOps final : public FileOps {
 public:
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) return PosixError("Failed to create", path, errno);
    return std::unique_ptr<WritableFile>(std::make_unique<PosixWritableFile>(path, fd));
  }

  Status SyncDir(const std::string& dir) override {
    Fd fd(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (fd.get() < 0) return PosixError("Failed to open directory", dir, errno);
    if (::fsync(fd.get()) != 0) return PosixError("Failed to sync directory", dir, errno);
    return Status::OK();
  }

  Status CreateDirs(const std::string& dir) override {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Status::IoError("Failed to create directory '" + dir + "': " + ec.message());
    return Status::OK();
  }

  Result<std::vector<std::string>> ListDir(const std::string& dir) override {
    std::error_code ec;
    std::vector<std::string> names;
    for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      names.push_back(it->path().filename().string());
    }
    if (ec) return Status::IoError("Failed to list directory '" + dir + "': " + ec.message());
    return names;
  }

  Result<std::string> ReadFile(const std::string& path) override {
    Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (fd.get() < 0) return PosixError("Failed to open", path, errno);
    std::string data;
    char buf[1 << 16];
    for (;;) {
      ssize_t n = ::read(fd.get(), buf, sizeof(buf));
      if (n < 0) {
        if (errno == EINTR) continue;
        return PosixError("Failed to read", path, errno);
      }
      if (n == 0) break;
      data.append(buf, static_cast<size_t>(n));
    }
    return data;
  }

  Status Truncate(const std::string& path, uint64_t size) override {
    Fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (fd.get() < 0) return PosixError("Failed to open", path, errno);
    if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) {
      return PosixError("Failed to truncate", path, errno);
    }
    if (::fdatasync(fd.get()) != 0) return PosixError("Failed to sync", path, errno);
    return Status::OK();
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0) return PosixError("Failed to remove", path, errno);
    return Status::OK();
  }

  Status Rename(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) {
      return Status::IoError("Failed to rename '" + from + "' to '" + to +
                             "': " + std::strerror(errno));
    }
    return Status::OK();
  }
};

}  // namespace

FileOps* DefaultFileOps() {
  static auto* ops = new PosixFileOps();  // never destroyed: safe at exit
  return ops;
}

}  // namespace trailhound::store
