#include "store/wal_writer.h"

#include <algorithm>
#include <condition_variable>
#include <vector>

#include "store/wal_format.h"

namespace trailhound::store {

// One Append call waiting in the queue. It lives on the caller's stack; the leader
// touches it only while the caller is blocked, and signals it under mu_.
struct WalWriter::Waiter {
  std::string encoded;  // the framed records, encoded by the caller before queueing
  uint64_t records = 0;
  Status status;
  bool done = false;
  std::condition_variable cv;
};

WalWriter::WalWriter(std::string dir, WalWriterOptions options)
    : dir_(std::move(dir)),
      options_(options),
      ops_(options.file_ops != nullptr ? options.file_ops : DefaultFileOps()) {}

WalWriter::~WalWriter() = default;

Result<std::unique_ptr<WalWriter>> WalWriter::Open(std::string dir, WalWriterOptions options) {
  std::unique_ptr<WalWriter> w(new WalWriter(std::move(dir), options));
  TH_RETURN_IF_ERROR(w->ops_->CreateDirs(w->dir_));
  TH_ASSIGN_OR_RETURN(std::vector<std::string> names, w->ops_->ListDir(w->dir_));
  uint64_t last = 0;
  for (const std::string& name : names) {
    if (auto seq = ParseWalFileName(name)) last = std::max(last, *seq);
  }
  std::lock_guard io(w->io_mu_);
  TH_RETURN_IF_ERROR(w->StartFile(last + 1));
  return w;
}

Status WalWriter::StartFile(uint64_t sequence) {
  std::string path = dir_ + "/" + WalFileName(sequence);
  TH_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> f, ops_->NewWritableFile(path));
  const std::string header = EncodeWalFileHeader(sequence);
  const std::string_view piece = header;
  TH_RETURN_IF_ERROR(f->Append({&piece, 1}));
  TH_RETURN_IF_ERROR(f->Sync());
  // The new name must be durable too, or a crash could lose the whole file.
  TH_RETURN_IF_ERROR(ops_->SyncDir(dir_));
  file_ = std::move(f);
  sequence_ = sequence;
  file_bytes_ = header.size();
  current_sequence_.store(sequence, std::memory_order_relaxed);
  return Status::OK();
}

Status WalWriter::WriteGroup(std::span<const std::string_view> pieces, uint64_t bytes) {
  if (file_bytes_ > kWalFileHeaderBytes && file_bytes_ + bytes > options_.max_file_bytes) {
    TH_RETURN_IF_ERROR(StartFile(sequence_ + 1));
  }
  TH_RETURN_IF_ERROR(file_->Append(pieces));
  file_bytes_ += bytes;
  syncs_.fetch_add(1, std::memory_order_relaxed);
  return file_->Sync();
}

Status WalWriter::Poisoned() const {
  return Status::IoError("WAL writer for '" + dir_ +
                         "' stopped after an earlier failure: " + poison_.ToString());
}

Status WalWriter::Append(std::span<const std::string_view> records) {
  size_t total = 0;
  for (std::string_view r : records) {
    if (r.size() > kWalMaxRecordBytes) {
      return Status::InvalidArgument("WAL record of " + std::to_string(r.size()) +
                                     " bytes exceeds the limit of " +
                                     std::to_string(kWalMaxRecordBytes));
    }
    total += kWalRecordHeaderBytes + r.size();
  }
  std::string framed;
  framed.reserve(total);
  for (std::string_view r : records) AppendWalRecord(r, &framed);
  return AppendFramed(std::move(framed), records.size());
}

Status WalWriter::AppendFramed(std::string framed, uint64_t count) {
  Waiter self;
  self.encoded = std::move(framed);
  self.records = count;

  std::unique_lock lock(mu_);
  if (!poison_.ok()) return Poisoned();
  if (count == 0) return Status::OK();
  queue_.push_back(&self);
  while (!self.done && queue_.front() != &self) self.cv.wait(lock);
  if (self.done) return self.status;

  // This thread leads the next group: the waiters at the front, up to max_batch_bytes
  // (always at least itself), in queue order.
  std::vector<std::string_view> pieces;
  uint64_t bytes = 0;
  uint64_t group_records = 0;
  for (const Waiter* w : queue_) {
    if (!pieces.empty() && bytes + w->encoded.size() > options_.max_batch_bytes) break;
    pieces.push_back(w->encoded);
    bytes += w->encoded.size();
    group_records += w->records;
  }
  Status s = poison_.ok() ? Status::OK() : Poisoned();
  lock.unlock();
  if (s.ok()) {
    std::lock_guard io(io_mu_);
    s = WriteGroup(pieces, bytes);
  }
  lock.lock();
  if (!s.ok() && poison_.ok()) {
    // Poison the writer. After a failed fsync, Linux reports the error once and marks the
    // dirty pages clean (or drops them): a retried fsync can return OK although the data
    // never reached the disk ("fsyncgate", PostgreSQL 2018). We therefore cannot tell
    // which earlier or later writes are durable, and a failed write may have left a
    // partial record that later records would follow as mid-file garbage. The only safe
    // answer is to fail every later Append (their messages stay in SQS and are
    // re-delivered) and let recovery replay what is actually on disk.
    poison_ = s;
  } else if (s.ok()) {
    appends_.fetch_add(pieces.size(), std::memory_order_relaxed);
    records_.fetch_add(group_records, std::memory_order_relaxed);
    bytes_.fetch_add(bytes, std::memory_order_relaxed);
  }
  for (size_t i = 0; i < pieces.size(); ++i) {
    Waiter* w = queue_.front();
    queue_.pop_front();
    w->status = s;
    w->done = true;
    if (w != &self) w->cv.notify_one();
  }
  if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next leader
  return s;
}

Result<uint64_t> WalWriter::Rotate() {
  std::lock_guard io(io_mu_);
  {
    std::lock_guard lock(mu_);
    if (!poison_.ok()) return Poisoned();
  }
  Status s = StartFile(sequence_ + 1);
  if (!s.ok()) {
    std::lock_guard lock(mu_);
    if (poison_.ok()) poison_ = s;  // a half-created file may now be the last one
    return s;
  }
  return sequence_;
}

Status WalWriter::DropFilesBefore(uint64_t sequence) {
  std::lock_guard io(io_mu_);
  const uint64_t limit = std::min(sequence, sequence_);
  TH_ASSIGN_OR_RETURN(std::vector<std::string> names, ops_->ListDir(dir_));
  // Oldest first, so that a crash part-way leaves no gap in the middle of the sequence.
  std::sort(names.begin(), names.end());
  bool removed = false;
  for (const std::string& name : names) {
    auto seq = ParseWalFileName(name);
    if (!seq || *seq >= limit) continue;
    TH_RETURN_IF_ERROR(ops_->RemoveFile(dir_ + "/" + name));
    removed = true;
  }
  return removed ? ops_->SyncDir(dir_) : Status::OK();
}

uint64_t WalWriter::current_sequence() const {
  return current_sequence_.load(std::memory_order_relaxed);
}

WalWriterStats WalWriter::stats() const {
  WalWriterStats s;
  s.appends = appends_.load(std::memory_order_relaxed);
  s.records = records_.load(std::memory_order_relaxed);
  s.bytes = bytes_.load(std::memory_order_relaxed);
  s.syncs = syncs_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace trailhound::store
