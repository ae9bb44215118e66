#include "sources/sqs_s3/source_status.h"

#include <gtest/gtest.h>

#include <numeric>
#include <thread>

#include "testing/fake_clock.h"

namespace trailhound::sources {
namespace {

using namespace std::chrono_literals;

uint64_t Sum(const std::vector<uint64_t>& series) {
  return std::accumulate(series.begin(), series.end(), uint64_t{0});
}

Status AccessDenied() {
  return Status::PermissionDenied("Failed to GetObject s3://b/k: Access Denied")
      .WithAwsError("AccessDenied", "r", 403);
}

TEST(SourceStateName, NamesEveryState) {
  EXPECT_EQ(SourceStateName(SourceState::kStarting), "Starting");
  EXPECT_EQ(SourceStateName(SourceState::kRunning), "Running");
  EXPECT_EQ(SourceStateName(SourceState::kDegraded), "Degraded");
  EXPECT_EQ(SourceStateName(SourceState::kError), "Error");
  EXPECT_EQ(SourceStateName(SourceState::kStopped), "Stopped");
}

TEST(SourceStatus, StartsThenRunsThenDegradesAfterAnErrorAndRecovers) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  EXPECT_EQ(status.Snapshot().state, SourceState::kStarting);
  status.OnReceived(0, {});
  EXPECT_EQ(status.Snapshot().state, SourceState::kRunning);
  status.OnObjectFailed(AccessDenied(), Hint{"allow s3:GetObject"});
  auto degraded = status.Snapshot();
  EXPECT_EQ(degraded.state, SourceState::kDegraded);
  ASSERT_TRUE(degraded.last_error.has_value());
  EXPECT_EQ(degraded.last_error->hint, "allow s3:GetObject");
  EXPECT_EQ(degraded.last_error->message, AccessDenied().ToString());
  EXPECT_EQ(degraded.last_error->at, clock.Now());
  EXPECT_EQ(degraded.counters.errors.at("AccessDenied"), 1u);
  EXPECT_EQ(degraded.counters.objects_failed, 1u);
  clock.Advance(4min + 59s);
  EXPECT_EQ(status.Snapshot().state, SourceState::kDegraded);
  clock.Advance(1s);
  EXPECT_EQ(status.Snapshot().state, SourceState::kRunning);
  // The last error is still shown after the source recovered.
  EXPECT_TRUE(status.Snapshot().last_error.has_value());
}

TEST(SourceStatus, AFailedReceiveIsAnErrorUntilAReceiveSucceeds) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  status.OnError(Status::Unauthenticated("bad key"), Hint{}, /*polling=*/true);
  EXPECT_EQ(status.Snapshot().state, SourceState::kError);  // even before any receive
  clock.Advance(10min);
  EXPECT_EQ(status.Snapshot().state, SourceState::kError);  // no matter how long ago
  status.OnReceived(1, {});
  EXPECT_EQ(status.Snapshot().state, SourceState::kRunning);  // the error is 10 min old
  status.OnError(Status::Unavailable("reset"), Hint{}, /*polling=*/true);
  status.OnReceived(0, {});
  EXPECT_EQ(status.Snapshot().state, SourceState::kDegraded);
}

TEST(SourceStatus, AnObjectFailureDoesNotStopAStartingSourceFromStarting) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  status.OnObjectFailed(AccessDenied(), Hint{});
  EXPECT_EQ(status.Snapshot().state, SourceState::kStarting);
}

TEST(SourceStatus, StoppedWinsOverEverything) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  status.OnError(Status::Unavailable("x"), Hint{}, /*polling=*/true);
  status.SetStopped();
  EXPECT_EQ(status.Snapshot().state, SourceState::kStopped);
}

TEST(SourceStatus, CountsEveryTelemetryEvent) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  status.OnReceived(10, {});
  status.OnDeleted(7);
  status.OnLeft(2);
  status.OnIgnored(1);
  status.OnUnrecognized(3);
  status.OnObjectFetched(1000);
  status.OnObjectFetched(24);
  status.OnObjectSkipped();
  status.OnStored(90, 4, {});
  status.OnVisibilityExtended(2);
  const SourceCounters c = status.Snapshot().counters;
  EXPECT_EQ(c.messages_received, 10u);
  EXPECT_EQ(c.messages_deleted, 7u);
  EXPECT_EQ(c.messages_left, 2u);
  EXPECT_EQ(c.messages_ignored, 1u);
  EXPECT_EQ(c.messages_unrecognized, 3u);
  EXPECT_EQ(c.objects_fetched, 2u);
  EXPECT_EQ(c.bytes_fetched, 1024u);
  EXPECT_EQ(c.objects_skipped, 1u);
  EXPECT_EQ(c.events_stored, 90u);
  EXPECT_EQ(c.events_duplicate, 4u);
  EXPECT_EQ(c.visibility_extensions, 2u);
  EXPECT_TRUE(c.errors.empty());
}

TEST(SourceStatus, EpmCountsTheLastMinuteAndTheSeriesTheLastHour) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  status.OnStored(100, 5, {});
  clock.Advance(30s);
  status.OnStored(50, 0, {});
  auto now = status.Snapshot();
  EXPECT_EQ(now.epm, 150);
  EXPECT_EQ(now.counters.events_duplicate, 5u);
  ASSERT_EQ(now.epm_series.size(), 60u);
  EXPECT_EQ(Sum(now.epm_series), 150u);
  clock.Advance(31s);  // the first batch is 61 s old, the second 31 s
  EXPECT_EQ(status.Snapshot().epm, 50);
  clock.Advance(30s);
  auto later = status.Snapshot();
  EXPECT_EQ(later.epm, 0);
  EXPECT_EQ(Sum(later.epm_series), 150u);
  clock.Advance(2h);
  auto idle = status.Snapshot();
  ASSERT_EQ(idle.epm_series.size(), 60u);
  EXPECT_EQ(Sum(idle.epm_series), 0u);
  EXPECT_EQ(idle.counters.events_stored, 150u);  // counters never roll
}

TEST(SourceStatus, TheSeriesIsOldestFirstWithZerosForIdleMinutes) {
  testing::FakeClock clock;  // starts on a minute boundary
  SourceStatus status("main", &clock);
  status.OnStored(7, 0, {});  // minute 0
  clock.Advance(2min);
  status.OnStored(3, 0, {});  // minute 2
  clock.Advance(1min);
  auto s = status.Snapshot();  // minute 3 is the newest entry
  ASSERT_EQ(s.epm_series.size(), 60u);
  EXPECT_EQ(s.epm_series[59], 0u);
  EXPECT_EQ(s.epm_series[58], 3u);
  EXPECT_EQ(s.epm_series[57], 0u);
  EXPECT_EQ(s.epm_series[56], 7u);
  EXPECT_EQ(Sum(s.epm_series), 10u);
  // 57 minutes later minute 0 is the oldest entry, then it falls out.
  clock.Advance(56min);
  s = status.Snapshot();
  EXPECT_EQ(s.epm_series[0], 7u);
  EXPECT_EQ(s.epm_series[2], 3u);
  clock.Advance(1min);
  s = status.Snapshot();
  EXPECT_EQ(s.epm_series[1], 3u);
  EXPECT_EQ(Sum(s.epm_series), 3u);
}

TEST(SourceStatus, ManyBatchesInOneMinuteAllCount) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  for (int i = 0; i < 6000; ++i) {
    status.OnStored(1, 0, {});
    clock.Advance(5ms);
  }
  auto s = status.Snapshot();
  EXPECT_EQ(s.epm, 6000);
  EXPECT_EQ(Sum(s.epm_series), 6000u);
}

TEST(SourceStatus, AWallClockThatGoesBackLosesNothing) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  status.OnStored(5, 0, {});
  clock.SetNow(clock.Now() - 10s);
  status.OnStored(5, 0, {});
  auto s = status.Snapshot();
  EXPECT_EQ(s.epm, 10);
  EXPECT_EQ(Sum(s.epm_series), 10u);
}

TEST(SourceStatus, LagsAreQuantilesOfRecentSamples) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  std::vector<std::chrono::system_clock::time_point> sent;
  for (int i = 1; i <= 100; ++i) sent.push_back(clock.Now() - std::chrono::seconds(i));
  status.OnReceived(sent.size(), sent);
  auto snapshot = status.Snapshot();
  ASSERT_TRUE(snapshot.lag.message_p50_secs.has_value());
  EXPECT_NEAR(*snapshot.lag.message_p50_secs, 50, 1.5);
  EXPECT_NEAR(*snapshot.lag.message_p95_secs, 95, 1.5);
  EXPECT_FALSE(snapshot.lag.event_p50_secs.has_value());
  EXPECT_FALSE(snapshot.lag.event_p95_secs.has_value());
}

TEST(SourceStatus, EventLagComesFromEventTimesAndNeverGoesNegative) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  const int64_t now_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now().time_since_epoch()).count();
  std::vector<int64_t> times(64, now_ms - 300'000);  // CloudTrail's ~5 minutes
  status.OnStored(times.size(), 0, times);
  auto s = status.Snapshot();
  ASSERT_TRUE(s.lag.event_p50_secs.has_value());
  EXPECT_DOUBLE_EQ(*s.lag.event_p50_secs, 300);
  EXPECT_DOUBLE_EQ(*s.lag.event_p95_secs, 300);

  SourceStatus skewed("skewed", &clock);
  std::vector<int64_t> future(3, now_ms + 60'000);  // a clock ahead of ours
  skewed.OnStored(future.size(), 0, future);
  EXPECT_DOUBLE_EQ(*skewed.Snapshot().lag.event_p95_secs, 0);
}

TEST(SourceStatus, LagSamplesKeepOnlyTheNewest) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  std::vector<std::chrono::system_clock::time_point> old(10, clock.Now() - 1h);
  for (int i = 0; i < 100; ++i) status.OnReceived(old.size(), old);  // 1000 samples of 1 h
  std::vector<std::chrono::system_clock::time_point> fresh(10, clock.Now() - 2s);
  for (int i = 0; i < 100; ++i) status.OnReceived(fresh.size(), fresh);  // replace them all
  auto s = status.Snapshot();
  EXPECT_DOUBLE_EQ(*s.lag.message_p50_secs, 2);
  EXPECT_DOUBLE_EQ(*s.lag.message_p95_secs, 2);
}

TEST(SourceStatus, RecentErrorsAndErrorCodesStayBounded) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  for (int i = 0; i < 500; ++i) {
    status.OnError(Status::Unavailable("x" + std::to_string(i))
                       .WithAwsError("Code" + std::to_string(i), "r", 500),
                   Hint{}, false);
  }
  auto snapshot = status.Snapshot();
  ASSERT_EQ(snapshot.recent_errors.size(), 20u);
  EXPECT_NE(snapshot.recent_errors.back().message.find("x499"), std::string::npos);
  EXPECT_NE(snapshot.recent_errors.front().message.find("x480"), std::string::npos);
  EXPECT_EQ(snapshot.last_error->message, snapshot.recent_errors.back().message);
  EXPECT_EQ(snapshot.counters.errors.size(), 51u);  // 50 codes and "other"
  EXPECT_EQ(snapshot.counters.errors.at("other"), 450u);
  // A code seen before the cap keeps its own key.
  status.OnError(Status::Unavailable("x").WithAwsError("Code0", "r", 500), Hint{}, false);
  EXPECT_EQ(status.Snapshot().counters.errors.at("Code0"), 2u);
}

TEST(SourceStatus, ErrorsWithoutAnAwsCodeAreCountedByStatusCodeName) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  status.OnObjectFailed(Status::Corruption("truncated gzip"), Hint{});
  status.OnError(Status::DeadlineExceeded("timeout"), Hint{}, true);
  auto errors = status.Snapshot().counters.errors;
  EXPECT_EQ(errors.at(std::string(StatusCodeName(StatusCode::kCorruption))), 1u);
  EXPECT_EQ(errors.at(std::string(StatusCodeName(StatusCode::kDeadlineExceeded))), 1u);
}

TEST(SourceStatus, HugeErrorMessagesAndCodesAreCut) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  status.OnError(
      Status::Internal(std::string(100'000, 'm')).WithAwsError(std::string(500, 'C'), "r", 500),
      Hint{}, false);
  auto s = status.Snapshot();
  EXPECT_LT(s.last_error->message.size(), 2100u);
  ASSERT_EQ(s.counters.errors.size(), 1u);
  EXPECT_LT(s.counters.errors.begin()->first.size(), 70u);
}

TEST(SourceStatus, QueueDepthAndStartTimeAreReported) {
  testing::FakeClock clock;
  const auto started = clock.Now();
  SourceStatus status("main", &clock);
  EXPECT_FALSE(status.Snapshot().queue.has_value());
  clock.Advance(1min);
  status.SetQueueDepth(QueueDepth{3, 8, 1, clock.Now()});
  auto s = status.Snapshot();
  EXPECT_EQ(s.name, "main");
  EXPECT_EQ(s.started_at, started);
  ASSERT_TRUE(s.queue.has_value());
  EXPECT_EQ(s.queue->visible, 3);
  EXPECT_EQ(s.queue->in_flight, 8);
  EXPECT_EQ(s.queue->delayed, 1);
  EXPECT_EQ(s.queue->measured_at, clock.Now());
}

TEST(SourceStatus, ReportsFromManyThreadsAreAllCounted) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      const int64_t times[] = {0, 1, 2};
      for (int i = 0; i < 1000; ++i) {
        status.OnStored(2, 1, times);
        status.OnObjectFailed(AccessDenied(), Hint{});
        (void)status.Snapshot();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  auto s = status.Snapshot();
  EXPECT_EQ(s.counters.events_stored, 8000u);
  EXPECT_EQ(s.counters.objects_failed, 4000u);
  EXPECT_EQ(s.counters.errors.at("AccessDenied"), 4000u);
  EXPECT_EQ(s.epm, 8000);
}

}  // namespace
}  // namespace trailhound::sources
