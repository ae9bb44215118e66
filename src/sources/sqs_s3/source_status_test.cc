#include "sources/sqs_s3/source_status.h"

#include <gtest/gtest.h>

#include <numeric>

#include "testing/fake_clock.h"

namespace trailhound::sources {
namespace {

using namespace std::chrono_literals;

TEST(SourceStatus, StartsThenRunsThenDegradesAfterAnErrorAndRecovers) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  EXPECT_EQ(status.Snapshot().state, SourceState::kStarting);
  status.OnReceived(0, {});
  EXPECT_EQ(status.Snapshot().state, SourceState::kRunning);
  status.OnObjectFailed(Status::PermissionDenied("denied").WithAwsError("AccessDenied", "r", 403),
                        Hint{"allow s3:GetObject"});
  auto degraded = status.Snapshot();
  EXPECT_EQ(degraded.state, SourceState::kDegraded);
  ASSERT_TRUE(degraded.last_error.has_value());
  EXPECT_EQ(degraded.last_error->hint, "allow s3:GetObject");
  EXPECT_EQ(degraded.counters.errors.at("AccessDenied"), 1u);
  EXPECT_EQ(degraded.counters.objects_failed, 1u);
  clock.Advance(6min);
  EXPECT_EQ(status.Snapshot().state, SourceState::kRunning);
  status.OnError(Status::Unauthenticated("bad key"), Hint{}, /*polling=*/true);
  EXPECT_EQ(status.Snapshot().state, SourceState::kError);
  status.OnReceived(1, {});
  EXPECT_EQ(status.Snapshot().state, SourceState::kDegraded);
  status.SetStopped();
  EXPECT_EQ(status.Snapshot().state, SourceState::kStopped);
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
  EXPECT_EQ(std::accumulate(now.epm_series.begin(), now.epm_series.end(), uint64_t{0}), 150u);
  clock.Advance(61s);
  auto later = status.Snapshot();
  EXPECT_EQ(later.epm, 0);
  EXPECT_EQ(std::accumulate(later.epm_series.begin(), later.epm_series.end(), uint64_t{0}), 150u);
  clock.Advance(2h);
  auto idle = status.Snapshot();
  EXPECT_EQ(std::accumulate(idle.epm_series.begin(), idle.epm_series.end(), uint64_t{0}), 0u);
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
}

TEST(SourceStatus, RecentErrorsAndErrorCodesStayBounded) {
  testing::FakeClock clock;
  SourceStatus status("main", &clock);
  for (int i = 0; i < 500; ++i) {
    status.OnError(Status::Unavailable("x").WithAwsError("Code" + std::to_string(i), "r", 500),
                   Hint{}, false);
  }
  auto snapshot = status.Snapshot();
  EXPECT_EQ(snapshot.recent_errors.size(), 20u);
  EXPECT_LE(snapshot.counters.errors.size(), 51u);
  EXPECT_GT(snapshot.counters.errors.at("other"), 0u);
}

}  // namespace
}  // namespace trailhound::sources
