#include "store/wal_writer.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "store/fault_injecting_file_ops.h"
#include "store/wal_format.h"
#include "store/wal_test_util.h"

namespace trailhound::store {
namespace {

using testing::ReplayAll;
using testing::TempDir;

std::unique_ptr<WalWriter> OpenOrDie(const std::string& dir, WalWriterOptions options = {}) {
  auto w = WalWriter::Open(dir, options);
  EXPECT_TRUE(w.ok()) << w.status().ToString();
  return w.ok() ? std::move(*w) : nullptr;
}

Status AppendOne(WalWriter& w, std::string_view record) { return w.Append({&record, 1}); }

TEST(WalWriter, RecordsRoundTripInOrder) {
  TempDir dir;
  std::vector<std::string> want = {"first", "", std::string(100000, 'x'), "last"};
  {
    auto w = OpenOrDie(dir.path());
    std::vector<std::string_view> batch(want.begin(), want.begin() + 3);
    ASSERT_TRUE(w->Append(batch).ok());
    ASSERT_TRUE(AppendOne(*w, want[3]).ok());
    EXPECT_EQ(w->stats().records, 4u);
  }
  auto got = ReplayAll(dir.path());
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  EXPECT_EQ(got.records, want);
  EXPECT_FALSE(got.stats.torn_tail);
  EXPECT_EQ(got.positions[0].offset, kWalFileHeaderBytes);
}

TEST(WalWriter, ReopenStartsANewFileAfterTheLast) {
  TempDir dir;
  ASSERT_TRUE(AppendOne(*OpenOrDie(dir.path()), "a").ok());
  auto w = OpenOrDie(dir.path());
  EXPECT_EQ(w->current_sequence(), 2u);
  ASSERT_TRUE(AppendOne(*w, "b").ok());
  auto got = ReplayAll(dir.path());
  ASSERT_TRUE(got.status.ok());
  EXPECT_EQ(got.records, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(got.stats.files, 2u);
}

TEST(WalWriter, RejectsOversizedRecordWithoutWriting) {
  TempDir dir;
  auto w = OpenOrDie(dir.path());
  std::string big(kWalMaxRecordBytes + 1, 'x');
  EXPECT_EQ(AppendOne(*w, big).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(AppendOne(*w, "ok").ok());  // not poisoned
}

TEST(WalWriter, ConcurrentAppendsReplayExactlyOnceInPerThreadOrder) {
  TempDir dir;
  FaultInjectingFileOps ops(DefaultFileOps());
  constexpr int kThreads = 8;
  constexpr int kPerThread = 1000;
  {
    auto w = OpenOrDie(dir.path(), {.max_file_bytes = 64 << 10, .file_ops = &ops});
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kPerThread; ++i) {
          std::string rec = std::to_string(t) + ":" + std::to_string(i);
          ASSERT_TRUE(AppendOne(*w, rec).ok());
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(w->stats().appends, uint64_t{kThreads * kPerThread});
  }
  auto got = ReplayAll(dir.path());
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  ASSERT_EQ(got.records.size(), size_t{kThreads * kPerThread});
  EXPECT_GT(got.stats.files, 1u);  // rotation happened under concurrency too
  std::map<int, int> next;         // thread -> next expected index
  for (const std::string& rec : got.records) {
    size_t colon = rec.find(':');
    int t = std::stoi(rec.substr(0, colon));
    int i = std::stoi(rec.substr(colon + 1));
    EXPECT_EQ(i, next[t]) << "thread " << t;
    next[t] = i + 1;
  }
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(next[t], kPerThread);
}

TEST(WalWriter, GroupCommitSyncsFewerTimesThanAppends) {
  TempDir dir;
  FaultInjectingFileOps ops(DefaultFileOps());
  ops.SetSyncDelay(std::chrono::milliseconds(2));  // a slow disk: waiters pile up
  auto w = OpenOrDie(dir.path(), {.file_ops = &ops});
  constexpr int kThreads = 8;
  constexpr int kPerThread = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kPerThread; ++i) ASSERT_TRUE(AppendOne(*w, "event").ok());
    });
  }
  for (auto& th : threads) th.join();
  WalWriterStats s = w->stats();
  EXPECT_EQ(s.appends, uint64_t{kThreads * kPerThread});
  EXPECT_LT(s.syncs, s.appends / 2) << "syncs=" << s.syncs;
  EXPECT_LE(ops.syncs(), static_cast<int>(s.syncs) + 1);  // + the header sync
}

TEST(WalWriter, RotatesAtMaxFileBytesAndReplaysAcrossFiles) {
  TempDir dir;
  std::vector<std::string> want;
  {
    auto w = OpenOrDie(dir.path(), {.max_file_bytes = 200});
    for (int i = 0; i < 100; ++i) {
      want.push_back("record-" + std::to_string(i));
      ASSERT_TRUE(AppendOne(*w, want.back()).ok());
    }
    EXPECT_GT(w->current_sequence(), 10u);
  }
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) {
    EXPECT_LE(e.file_size(), 200u) << e.path();
  }
  auto got = ReplayAll(dir.path());
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  EXPECT_EQ(got.records, want);
  EXPECT_GT(got.stats.files, 10u);
}

TEST(WalWriter, DropFilesBeforeCheckpointKeepsLaterRecords) {
  TempDir dir;
  auto w = OpenOrDie(dir.path());
  ASSERT_TRUE(AppendOne(*w, "flushed-1").ok());
  ASSERT_TRUE(AppendOne(*w, "flushed-2").ok());
  auto checkpoint = w->Rotate();
  ASSERT_TRUE(checkpoint.ok());
  ASSERT_TRUE(AppendOne(*w, "pending").ok());
  ASSERT_TRUE(w->DropFilesBefore(*checkpoint).ok());
  auto got = ReplayAll(dir.path());
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  EXPECT_EQ(got.records, std::vector<std::string>{"pending"});
  EXPECT_EQ(got.positions[0].sequence, *checkpoint);
  // The current file is never dropped.
  ASSERT_TRUE(w->DropFilesBefore(*checkpoint + 100).ok());
  EXPECT_EQ(ReplayAll(dir.path()).records, std::vector<std::string>{"pending"});
}

TEST(WalWriter, PoisonedAfterFailedSync) {
  TempDir dir;
  FaultInjectingFileOps ops(DefaultFileOps());
  auto w = OpenOrDie(dir.path(), {.file_ops = &ops});
  ASSERT_TRUE(AppendOne(*w, "durable").ok());
  ops.FailNextSyncs(1);
  Status s = AppendOne(*w, "maybe");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find(WalFileName(1)), std::string::npos) << s.ToString();
  // The disk is "fine" again, but a retried fsync proves nothing: stay failed.
  Status later = AppendOne(*w, "later");
  EXPECT_EQ(later.code(), StatusCode::kIoError);
  EXPECT_NE(later.message().find("earlier failure"), std::string::npos) << later.ToString();
  EXPECT_FALSE(w->Rotate().ok());
  EXPECT_EQ(w->stats().records, 1u);
}

TEST(WalWriter, PoisonedAfterFailedWriteAndRecoveryKeepsTheDurablePrefix) {
  TempDir dir;
  FaultInjectingFileOps ops(DefaultFileOps());
  {
    auto w = OpenOrDie(dir.path(), {.file_ops = &ops});
    ASSERT_TRUE(AppendOne(*w, "durable").ok());
    ops.FailNextAppends(1);  // ENOSPC after half a record reached the file
    Status s = AppendOne(*w, "half-written record");
    EXPECT_EQ(s.code(), StatusCode::kIoError);
    EXPECT_NE(s.message().find("No space left"), std::string::npos);
    EXPECT_FALSE(AppendOne(*w, "later").ok());
  }
  auto got = ReplayAll(dir.path(), {.truncate_torn_tail = true});
  ASSERT_TRUE(got.status.ok()) << got.status.ToString();
  EXPECT_EQ(got.records, std::vector<std::string>{"durable"});
  EXPECT_TRUE(got.stats.torn_tail);
  ASSERT_TRUE(AppendOne(*OpenOrDie(dir.path()), "after recovery").ok());
  auto again = ReplayAll(dir.path());
  ASSERT_TRUE(again.status.ok()) << again.status.ToString();
  EXPECT_EQ(again.records, (std::vector<std::string>{"durable", "after recovery"}));
}

}  // namespace
}  // namespace trailhound::store
