// DirLock: one writer per data directory. Holds an exclusive flock(2) on <dir>/LOCK for its
// lifetime and writes the holder's pid into it, so a second `trailhound run`/`ingest` on the
// same directory fails at once with a message naming the other process instead of two
// writers corrupting each other. The kernel drops the lock when the process dies, so a crash
// never leaves a stale lock. Thread safety: a plain RAII object. Errors: kFailedPrecondition
// when another process holds the lock, kIoError otherwise.
#pragma once

#include <memory>
#include <string>

#include "core/result.h"

namespace trailhound::store {

class DirLock {
 public:
  // REQUIRES: `dir` exists.
  static Result<std::unique_ptr<DirLock>> Acquire(const std::string& dir);
  ~DirLock();
  DirLock(const DirLock&) = delete;
  DirLock& operator=(const DirLock&) = delete;

 private:
  explicit DirLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace trailhound::store
