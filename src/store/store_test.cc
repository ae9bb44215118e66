#include "store/store.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "query/parser.h"
#include "store/fault_injecting_file_ops.h"
#include "store/search.h"
#include "store/wal_test_util.h"
#include "testing/fake_clock.h"

namespace trailhound::store {
namespace {

namespace fs = std::filesystem;
using testing::ReadBytes;
using testing::TempDir;
using testing::WriteBytes;

constexpr int64_t kDay = 86'400'000;
constexpr int64_t kT0 = 1'714'521'600'000;  // 2024-05-01T00:00:00Z

// A CloudTrail-like record; `n` makes it unique, `account` and `id` form its dedup key.
StoredEvent MakeEvent(int n, int64_t time, std::string event_name = "GetObject",
                      std::string account = "111122223333") {
  StoredEvent event;
  event.time = time;
  event.source = "cloudtrail-main";
  event.category = EventCategory::kCloudServiceActivity;
  std::string id = "id-" + std::to_string(n);
  event.raw = R"({"eventID":")" + id + R"(","eventName":")" + event_name +
              R"(","recipientAccountId":")" + account + R"(","n":)" + std::to_string(n) + "}";
  event.key = MakeDedupKey(account, id, event.raw);
  return event;
}

std::vector<StoredEvent> MakeEvents(int first, int count, int64_t time0, int64_t step_ms = 1000) {
  std::vector<StoredEvent> events;
  for (int i = 0; i < count; ++i) events.push_back(MakeEvent(first + i, time0 + i * step_ms));
  return events;
}

StoreOptions TestOptions(const std::string& dir) {
  StoreOptions options;
  options.data_dir = dir;
  options.background = false;
  options.segment.rows_per_block = 64;
  return options;
}

std::unique_ptr<Store> OpenStore(const StoreOptions& options) {
  auto store = Store::Open(options);
  EXPECT_TRUE(store.ok()) << store.status().ToString();
  return store.ok() ? std::move(*store) : nullptr;
}

uint64_t Count(const Store& store, std::string_view text = "") {
  auto query = query::ParseQuery(text);
  EXPECT_TRUE(query.ok()) << query.status().ToString();
  SearchOptions options;
  options.pipeline.event_limit = 1;
  auto result = Search(store, *query, options);
  EXPECT_TRUE(result.ok()) << result.status().ToString();
  return result.ok() ? result->total : 0;
}

size_t CountFiles(const std::string& dir, std::string_view suffix) {
  size_t n = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().string().ends_with(suffix)) ++n;
  }
  return n;
}

TEST(Store, AppendedEventsAreSearchableAtOnce) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  auto events = MakeEvents(0, 10, kT0);
  auto result = store->Append(std::span<const StoredEvent>(events));
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->stored, 10u);
  EXPECT_EQ(result->duplicates, 0u);
  EXPECT_EQ(Count(*store), 10u);
  EXPECT_EQ(Count(*store, "n:3"), 1u);
  EXPECT_EQ(store->stats().memtable_events, 10u);
}

TEST(Store, SkipsDuplicatesInABatchAcrossBatchesAndAfterFlush) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  auto events = MakeEvents(0, 10, kT0);
  events.push_back(events[3]);  // twice in one batch
  auto first = store->Append(std::span<const StoredEvent>(events));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->stored, 10u);
  EXPECT_EQ(first->duplicates, 1u);

  auto again = store->Append(std::span<const StoredEvent>(events));  // memtable dedup
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->stored, 0u);
  EXPECT_EQ(again->duplicates, 11u);

  ASSERT_TRUE(store->Flush().ok());
  auto after_flush = store->Append(std::span<const StoredEvent>(events));  // segment dedup
  ASSERT_TRUE(after_flush.ok());
  EXPECT_EQ(after_flush->stored, 0u);
  EXPECT_EQ(Count(*store), 10u);
}

TEST(Store, TheSameEventIdInAnotherAccountIsADifferentEvent) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  std::vector<StoredEvent> events = {MakeEvent(1, kT0, "A", "111111111111"),
                                     MakeEvent(1, kT0, "A", "222222222222")};
  auto result = store->Append(std::span<const StoredEvent>(events));
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->stored, 2u);
}

TEST(Store, ReopeningReplaysTheWalOnceAndKeepsDeduplicating) {
  TempDir dir;
  auto events = MakeEvents(0, 100, kT0);
  {
    auto store = OpenStore(TestOptions(dir.path()));
    ASSERT_TRUE(store->Append(std::span<const StoredEvent>(events)).ok());
  }  // closed without a flush: the events are only in the WAL
  auto store = OpenStore(TestOptions(dir.path()));
  EXPECT_EQ(store->stats().wal_replayed, 100u);
  EXPECT_EQ(Count(*store), 100u);
  auto again = store->Append(std::span<const StoredEvent>(events));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->stored, 0u);
  EXPECT_EQ(again->duplicates, 100u);
}

TEST(Store, FlushWritesOneSegmentPerDayAndDropsTheWal) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  std::vector<StoredEvent> events = MakeEvents(0, 50, kT0);
  auto next_day = MakeEvents(50, 50, kT0 + kDay);
  events.insert(events.end(), next_day.begin(), next_day.end());
  ASSERT_TRUE(store->Append(std::span<const StoredEvent>(events)).ok());
  ASSERT_TRUE(store->Flush().ok());
  StoreStats stats = store->stats();
  EXPECT_EQ(stats.segments, 2u);
  EXPECT_EQ(stats.memtable_events, 0u);
  EXPECT_EQ(stats.events, 100u);
  EXPECT_EQ(stats.min_time, kT0);
  EXPECT_EQ(stats.max_time, kT0 + kDay + 49'000);
  EXPECT_EQ(CountFiles(dir.path() + "/segments", ".seg"), 2u);
  EXPECT_EQ(Count(*store), 100u);
  // Only the WAL file started by the flush is left.
  EXPECT_EQ(CountFiles(dir.path() + "/wal", ""), 1u);
}

TEST(Store, ACrashBetweenSegmentWriteAndWalDropDuplicatesNothing) {
  TempDir dir;
  auto events = MakeEvents(0, 100, kT0);
  std::string saved_wal = dir.path() + "/saved-wal";
  {
    auto store = OpenStore(TestOptions(dir.path()));
    ASSERT_TRUE(store->Append(std::span<const StoredEvent>(events)).ok());
    fs::copy(dir.path() + "/wal", saved_wal);
    ASSERT_TRUE(store->Flush().ok());
  }
  // Put the WAL back as it was before the flush dropped it: the state after a crash.
  fs::remove_all(dir.path() + "/wal");
  fs::rename(saved_wal, dir.path() + "/wal");
  auto store = OpenStore(TestOptions(dir.path()));
  EXPECT_EQ(store->stats().wal_replayed, 100u);
  EXPECT_EQ(Count(*store), 100u);
  EXPECT_EQ(store->stats().events, 100u);
}

TEST(Store, MergeReplacesSmallSegmentsOfADay) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.merge_min_segments = 3;
  auto store = OpenStore(options);
  for (int i = 0; i < 4; ++i) {
    auto events = MakeEvents(i * 10, 10, kT0 + i * 60'000);
    ASSERT_TRUE(store->Append(std::span<const StoredEvent>(events)).ok());
    ASSERT_TRUE(store->Flush().ok());
  }
  EXPECT_EQ(store->stats().segments, 4u);
  ASSERT_TRUE(store->Maintain().ok());
  EXPECT_EQ(store->stats().segments, 1u);
  EXPECT_EQ(store->stats().merges, 1u);
  EXPECT_EQ(Count(*store), 40u);
  EXPECT_EQ(CountFiles(dir.path() + "/segments", ".seg"), 1u);
}

TEST(Store, RecoveryRemovesSegmentsThatAFinishedMergeReplaced) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.merge_min_segments = 2;
  std::string kept = dir.path() + "/kept.seg";
  {
    auto store = OpenStore(options);
    for (int i = 0; i < 2; ++i) {
      auto events = MakeEvents(i * 10, 10, kT0 + i * 60'000);
      ASSERT_TRUE(store->Append(std::span<const StoredEvent>(events)).ok());
      ASSERT_TRUE(store->Flush().ok());
    }
    std::string first = store->Snapshot().segments.front()->info().path;
    fs::copy_file(first, kept);
    ASSERT_TRUE(store->Maintain().ok());
    ASSERT_EQ(store->stats().segments, 1u);
    // A crash after the merged segment was renamed into place but before its inputs went.
    fs::copy_file(kept, first);
  }
  auto store = OpenStore(options);
  EXPECT_EQ(store->stats().segments, 1u);
  EXPECT_EQ(Count(*store), 20u);
}

TEST(Store, RecoveryRemovesUnfinishedSegmentWrites) {
  TempDir dir;
  { auto store = OpenStore(TestOptions(dir.path())); }
  WriteBytes(dir.path() + "/segments/00000000000000000007.seg.tmp", "half a segment");
  auto store = OpenStore(TestOptions(dir.path()));
  EXPECT_EQ(CountFiles(dir.path() + "/segments", ".tmp"), 0u);
}

TEST(Store, RetentionDeletesWholeSegmentsOlderThanItsDays) {
  TempDir dir;
  trailhound::testing::FakeClock clock(
      std::chrono::system_clock::time_point(std::chrono::milliseconds(kT0 + 10 * kDay)));
  StoreOptions options = TestOptions(dir.path());
  options.retention_days = 7;
  options.clock = &clock;
  auto store = OpenStore(options);
  auto old_events = MakeEvents(0, 10, kT0);              // 10 days old
  auto new_events = MakeEvents(10, 10, kT0 + 5 * kDay);  // 5 days old
  ASSERT_TRUE(store->Append(std::span<const StoredEvent>(old_events)).ok());
  ASSERT_TRUE(store->Append(std::span<const StoredEvent>(new_events)).ok());
  ASSERT_TRUE(store->Flush().ok());
  ASSERT_TRUE(store->Maintain().ok());
  EXPECT_EQ(store->stats().segments_expired, 1u);
  EXPECT_EQ(Count(*store), 10u);
  EXPECT_EQ(Count(*store, "n:3"), 0u);
  EXPECT_EQ(Count(*store, "n:13"), 1u);
}

TEST(Store, AWalSyncFailureFailsTheAppendAndEveryLaterOne) {
  TempDir dir;
  FaultInjectingFileOps ops(DefaultFileOps());
  StoreOptions options = TestOptions(dir.path());
  options.file_ops = &ops;
  auto store = OpenStore(options);
  ops.FailNextSyncs(1);
  auto events = MakeEvents(0, 5, kT0);
  auto failed = store->Append(std::span<const StoredEvent>(events));
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.status().code(), StatusCode::kIoError);
  EXPECT_EQ(Count(*store), 0u);  // not acknowledged, not visible
  auto later = store->Append(std::span<const StoredEvent>(events));
  EXPECT_FALSE(later.ok());
}

TEST(Store, ConcurrentAppendsOfTheSameEventsStoreEachOnce) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  auto events = MakeEvents(0, 500, kT0);
  std::atomic<uint64_t> stored{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (size_t i = 0; i < events.size(); i += 50) {
        auto r = store->Append(std::span<const StoredEvent>(events).subspan(i, 50));
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        stored += r->stored;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(stored.load(), 500u);
  EXPECT_EQ(Count(*store), 500u);
}

TEST(Store, AFullMemtableMakesAppendWaitThenFailRetriably) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.max_memtable_events = 10;
  options.append_wait_ms = 50;
  auto store = OpenStore(options);
  auto events = MakeEvents(0, 10, kT0);
  ASSERT_TRUE(store->Append(std::span<const StoredEvent>(events)).ok());
  auto more = MakeEvents(10, 1, kT0);
  auto blocked = store->Append(std::span<const StoredEvent>(more));
  ASSERT_FALSE(blocked.ok());
  EXPECT_TRUE(blocked.status().IsRetriable()) << blocked.status().ToString();
  ASSERT_TRUE(store->Flush().ok());
  EXPECT_TRUE(store->Append(std::span<const StoredEvent>(more)).ok());
}

TEST(Store, TheBackgroundThreadFlushesAFullMemtable) {
  TempDir dir;
  StoreOptions options = TestOptions(dir.path());
  options.background = true;
  options.max_memtable_events = 100;
  auto store = OpenStore(options);
  for (int i = 0; i < 10; ++i) {
    auto events = MakeEvents(i * 100, 100, kT0);
    auto r = store->Append(std::span<const StoredEvent>(events));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  EXPECT_EQ(Count(*store), 1000u);
  EXPECT_GE(store->stats().flushes, 1u);
}

TEST(Store, SearchSkipsBlocksThatCannotMatch) {
  TempDir dir;
  auto store = OpenStore(TestOptions(dir.path()));
  std::vector<StoredEvent> events;
  for (int i = 0; i < 64 * 20; ++i) {
    // One rare event name in one block only.
    events.push_back(MakeEvent(i, kT0 + i * 1000, i == 700 ? "DeleteTrail" : "GetObject"));
  }
  ASSERT_TRUE(store->Append(std::span<const StoredEvent>(events)).ok());
  ASSERT_TRUE(store->Flush().ok());
  auto query = query::ParseQuery("eventName:deletetrail");
  ASSERT_TRUE(query.ok());
  SearchStats stats;
  auto result = Search(*store, *query, {}, &stats);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->total, 1u);
  EXPECT_EQ(stats.blocks_total, 20u);
  EXPECT_LE(stats.blocks_scanned, 3u);  // the block that has it, plus Bloom false positives

  SearchOptions window;
  window.from_ms = kT0 + 100'000;
  window.to_ms = kT0 + 200'000;
  auto ranged = Search(*store, *query::ParseQuery(""), window, &stats);
  ASSERT_TRUE(ranged.ok());
  EXPECT_EQ(ranged->total, 100u);
  EXPECT_LE(stats.blocks_scanned, 3u);

  // The same window written as _time terms of the filter prunes the same way.
  auto in_filter =
      query::ParseQuery("_time:>=2024-05-01T00:01:40Z AND _time:<2024-05-01T00:03:20Z");
  ASSERT_TRUE(in_filter.ok());
  auto filtered = Search(*store, *in_filter, {}, &stats);
  ASSERT_TRUE(filtered.ok());
  EXPECT_EQ(filtered->total, 100u);
  EXPECT_LE(stats.blocks_scanned, 3u);
}

}  // namespace
}  // namespace trailhound::store
