// The SQS source against a misbehaving S3 (issue 4's acceptance criteria): a fault-injecting
// proxy (testing/fault_proxy.h) sits between the source and fauxqs and answers SlowDown,
// resets connections, trickles a GetObject body, or redirects a bucket to its real region.
// Each test runs a real SqsSource storing into a real store and checks the contracts: nothing
// lost, nothing twice, a message deleted only when its objects are durable, and a status that
// says what is going on.
//
// S3 goes through the proxy. SQS goes straight to fauxqs in the faults and region tests
// (s3_endpoint_url): the faults under test are S3's, and receives and deletes that never
// see the proxy keep the message counts exact. The heartbeat test sends SQS through the
// proxy too (endpoint_url), which also checks that the proxy leaves SQS calls alone.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../aws/emulator_checks.h"
#include "aws/credentials_environment.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "core/clock.h"
#include "notification_bodies.h"
#include "source_test_util.h"
#include "sources/sqs_s3/sqs_source.h"
#include "store/store.h"
#include "testing/fault_proxy.h"
#include "testing/fauxqs.h"

namespace trailhound::testing {
namespace {

using checks::AnyCredentials;
using checks::SnsEnvelope;

using namespace std::chrono_literals;
using sources::SourceState;
using sources::SourceStatusSnapshot;
using sources::SqsSource;

// The system's monotonic time and sleeps, and a wall clock that a test can move forward: the
// status stays Degraded for 5 minutes after an error, which a test does not wait for.
class ShiftableClock final : public Clock {
 public:
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::now() + std::chrono::milliseconds(offset_ms_.load());
  }
  std::chrono::steady_clock::time_point SteadyNow() const override {
    return std::chrono::steady_clock::now();
  }
  void SleepFor(std::chrono::milliseconds duration) override {
    std::this_thread::sleep_for(duration);
  }
  void Shift(std::chrono::milliseconds by) { offset_ms_ += by.count(); }

 private:
  std::atomic<int64_t> offset_ms_{0};
};

uint64_t ErrorCount(const SourceStatusSnapshot& status) {
  uint64_t total = 0;
  for (const auto& [code, count] : status.counters.errors) total += count;
  return total;
}

std::string DescribeErrors(const SourceStatusSnapshot& status) {
  std::string text;
  for (const auto& error : status.recent_errors) {
    text += "\n  " + error.message + "\n    hint: " + error.hint;
  }
  return text;
}

// Each test gets its own fauxqs, proxy and store.
class SqsSourceFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    auto fauxqs = checks::StartEmulator<Fauxqs, FauxqsOptions>();
    ASSERT_TRUE(fauxqs.ok()) << fauxqs.status().ToString();
    fauxqs_ = std::move(*fauxqs);
    FaultProxyOptions proxy_options;
    proxy_options.source_dir = TRAILHOUND_SOURCE_DIR;
    auto proxy = FaultProxy::Start(fauxqs_->endpoint(), proxy_options);
    ASSERT_TRUE(proxy.ok()) << proxy.status().ToString();
    proxy_ = std::move(*proxy);

    // The test's own calls go straight to fauxqs.
    auto sender = checks::MakeSender(AnyCredentials());
    s3_ = std::make_unique<aws::S3Client>(sender, checks::S3OptionsFor(fauxqs_->endpoint()));
    sqs_ = std::make_unique<aws::SqsClient>(sender, checks::SqsOptionsFor(fauxqs_->endpoint()));

    store_.Open();
  }

  void TearDown() override {
    if (source_ != nullptr) source_->Stop();
  }

  // A bucket and a queue (VisibilityTimeout 30 s); the queue's URL.
  std::string CreateBucketAndQueue(const std::string& bucket, const std::string& queue) {
    return testing::CreateBucketAndQueue(*s3_, *sqs_, bucket, queue);
  }

  void Upload(const std::string& bucket, const LogFiles& files, size_t first, size_t last) {
    PutLogFiles(*s3_, bucket, files, first, last);
  }

  // CloudTrail's notifications for files [first, last), `per_message` keys each; how many.
  size_t Notify(const std::string& queue_url, const std::string& bucket, const LogFiles& files,
                size_t first, size_t last, size_t per_message) {
    size_t sent = 0;
    for (size_t i = first; i < last; i += per_message) {
      const std::string body = CloudTrailMessage(
          bucket, {files.keys.begin() + i, files.keys.begin() + std::min(last, i + per_message)});
      auto id = sqs_->SendMessage(queue_url, SnsEnvelope(body));
      EXPECT_TRUE(id.ok()) << id.status().ToString();
      ++sent;
    }
    return sent;
  }

  sources::SqsSourceOptions SourceOptions(const std::string& queue_url) {
    sources::SqsSourceOptions options =
        FastSourceOptions("cloudtrail-faults", queue_url, fauxqs_->endpoint(), AnyCredentials());
    options.s3_endpoint_url = proxy_->endpoint();
    options.queue_depth_interval_ms = 60'000;
    options.drain_timeout_ms = 10'000;
    return options;
  }

  void StartSource(const sources::SqsSourceOptions& options, Clock* clock) {
    auto source =
        SqsSource::Create(options, store_.sink(), aws::ProcessCredentialsEnvironment(), clock);
    ASSERT_TRUE(source.ok()) << source.status().ToString();
    source_ = std::move(*source);
    source_->Start();
  }

  // Polls the status every 50 ms until `done` holds or `timeout` passes; calls `each` on
  // every snapshot. The last snapshot.
  SourceStatusSnapshot WaitFor(const std::function<bool(const SourceStatusSnapshot&)>& done,
                               std::chrono::milliseconds timeout,
                               const std::function<void(const SourceStatusSnapshot&)>& each = {}) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    SourceStatusSnapshot status = source_->status();
    while (true) {
      if (each) each(status);
      if (done(status) || std::chrono::steady_clock::now() >= deadline) return status;
      std::this_thread::sleep_for(50ms);
      status = source_->status();
    }
  }

  // Visible plus in-flight messages of the queue.
  int64_t MessagesInQueue(const std::string& queue_url) {
    return testing::MessagesInQueue(*sqs_, queue_url);
  }

  std::unique_ptr<Fauxqs> fauxqs_;
  std::unique_ptr<FaultProxy> proxy_;
  std::unique_ptr<aws::S3Client> s3_;
  std::unique_ptr<aws::SqsClient> sqs_;
  TestStore store_{"trailhound-faults"};
  ShiftableClock clock_;
  std::unique_ptr<SqsSource> source_;  // stopped before the clock, store and services go
};

// 20% of S3 requests answered 503 SlowDown, 5% of the rest reset before the response, 10% of
// the GetObject answers reset half-way through the body. The sender retries SlowDown and the
// early resets (aws/retry.h: 3 attempts, backoff with jitter); an object cut mid-body is not
// retried there (its bytes already reached the decoder), so it fails, its message is left,
// SQS re-delivers it and the store's dedup absorbs what was stored of it the first time.
TEST_F(SqsSourceFaults, NothingIsLostUnderSlowDownAndResetsAndTheStatusRecovers) {
  const std::string bucket = "faults-trail-logs";
  const std::string queue = CreateBucketAndQueue(bucket, "faults-cloudtrail");
  ASSERT_FALSE(queue.empty());
  const LogFiles files = SimulatedLogs(3000, 41, 100);
  ASSERT_GE(files.keys.size(), 50u);
  // Most files now, under faults; the last 10 after the faults are switched off.
  const size_t faulted_files = files.keys.size() - 10;
  uint64_t faulted_events = 0;
  for (size_t i = 0; i < faulted_files; ++i) faulted_events += files.events[i];
  Upload(bucket, files, 0, files.keys.size());
  ASSERT_FALSE(HasFatalFailure());

  FaultProxyConfig faults;
  faults.slowdown_fraction = 0.2;
  faults.reset_before_response_fraction = 0.05;
  faults.reset_mid_body_fraction = 0.1;
  ASSERT_TRUE(proxy_->Configure(faults).ok());
  const size_t faulted_messages = Notify(queue, bucket, files, 0, faulted_files, 2);

  sources::SqsSourceOptions options = SourceOptions(queue);
  // Short, so that a left message comes back soon; the heartbeat keeps the others.
  options.visibility_timeout_secs = 4;
  options.max_objects_in_flight = 4;
  StartSource(options, &clock_);
  ASSERT_FALSE(HasFatalFailure());

  bool saw_degraded = false;
  bool saw_throttling_hint = false;
  bool saw_reset_hint = false;
  SourceStatusSnapshot status = WaitFor(
      [&](const SourceStatusSnapshot& s) {
        return s.counters.messages_deleted >= faulted_messages &&
               store_->stats().events >= faulted_events;
      },
      60s,
      [&](const SourceStatusSnapshot& s) {
        saw_degraded = saw_degraded || s.state == SourceState::kDegraded;
        for (const auto& error : s.recent_errors) {
          saw_reset_hint =
              saw_reset_hint || error.hint.find("broke during the transfer") != std::string::npos;
          saw_throttling_hint =
              saw_throttling_hint || (error.message.find("SlowDown") != std::string::npos &&
                                      error.hint.find("throttling") != std::string::npos &&
                                      error.hint.find("retries") != std::string::npos);
        }
      });
  auto stats = proxy_->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();

  // The faults happened...
  EXPECT_GT(stats->slowdowns, 0u);
  EXPECT_GT(stats->resets_before_response, 0u);
  EXPECT_GT(stats->resets_mid_body, 0u);
  EXPECT_NEAR(static_cast<double>(stats->slowdowns) / static_cast<double>(stats->s3_requests), 0.2,
              0.02);
  // ...and nothing was lost or stored twice: every event once, every message deleted once.
  EXPECT_EQ(store_->stats().events, faulted_events) << DescribeErrors(status);
  EXPECT_EQ(status.counters.events_stored, faulted_events);
  EXPECT_EQ(status.counters.messages_deleted, faulted_messages);
  // The retries absorbed the SlowDowns and early resets: objects failed only when cut
  // mid-body, or when all three attempts were faulted.
  EXPECT_GT(status.counters.objects_failed, 0u);
  EXPECT_LE(status.counters.objects_failed,
            stats->resets_mid_body + (stats->slowdowns + stats->resets_before_response) / 3);
  EXPECT_LT(status.counters.objects_failed, stats->slowdowns);
  // A message with a failed object was left, not deleted: SQS re-delivered it and its object
  // was fetched again (after the events of the first half were stored).
  EXPECT_GE(status.counters.messages_left, 1u);
  EXPECT_GT(status.counters.messages_received, faulted_messages);
  EXPECT_GT(status.counters.events_duplicate, 0u);
  for (const std::string& name : stats->reset_mid_body_keys) {
    auto fetched = stats->get_object.find(name);
    ASSERT_NE(fetched, stats->get_object.end()) << name;
    EXPECT_GE(fetched->second, 2u) << name << " was cut mid-body and never fetched again";
  }
  // The status said so while it happened, with a hint about throttling and retries.
  EXPECT_TRUE(saw_degraded);
  EXPECT_TRUE(saw_throttling_hint) << DescribeErrors(status);
  EXPECT_TRUE(saw_reset_hint) << DescribeErrors(status);
  EXPECT_GE(status.counters.errors["SlowDown"], stats->slowdowns);

  // The faults end: the next files arrive without a single error.
  ASSERT_TRUE(proxy_->Configure(FaultProxyConfig{}).ok());
  const uint64_t errors_before = ErrorCount(status);
  const uint64_t failed_before = status.counters.objects_failed;
  const size_t later_messages = Notify(queue, bucket, files, faulted_files, files.keys.size(), 2);
  status = WaitFor(
      [&](const SourceStatusSnapshot& s) {
        return s.counters.messages_deleted >= faulted_messages + later_messages &&
               store_->stats().events >= files.total_events;
      },
      30s);
  EXPECT_EQ(store_->stats().events, files.total_events);
  EXPECT_EQ(status.counters.messages_deleted, faulted_messages + later_messages);
  EXPECT_EQ(ErrorCount(status), errors_before) << DescribeErrors(status);
  EXPECT_EQ(status.counters.objects_failed, failed_before);
  EXPECT_EQ(MessagesInQueue(queue), 0);
  // Degraded lasts 5 minutes after the last error (source_status.h); once they passed
  // without a new one the source is Running again, its last error still on record.
  EXPECT_EQ(status.state, SourceState::kDegraded);
  clock_.Shift(5min + 1s);
  status = source_->status();
  EXPECT_EQ(status.state, SourceState::kRunning);
  EXPECT_TRUE(status.last_error.has_value());
}

// An object whose body takes 3× the visibility timeout to arrive: the heartbeat extends its
// message's visibility in time, so SQS never hands it out again and it is fetched once.
TEST_F(SqsSourceFaults, AnObjectSlowerThanTheVisibilityTimeoutIsFetchedOnce) {
  const std::string bucket = "slow-trail-logs";
  const std::string queue = CreateBucketAndQueue(bucket, "slow-cloudtrail");
  ASSERT_FALSE(queue.empty());
  const LogFiles all = SimulatedLogs(400, 7, 400);
  ASSERT_FALSE(all.keys.empty());
  size_t largest = 0;
  for (size_t i = 1; i < all.keys.size(); ++i) {
    if (all.bodies[i].size() > all.bodies[largest].size()) largest = i;
  }
  LogFiles files;
  files.keys = {all.keys[largest]};
  files.bodies = {all.bodies[largest]};
  files.events = {all.events[largest]};
  files.total_events = all.events[largest];
  Upload(bucket, files, 0, 1);
  ASSERT_FALSE(HasFatalFailure());

  constexpr int kVisibilitySecs = 2;
  const uint64_t body_bytes = files.bodies[0].size();
  FaultProxyConfig faults;
  faults.throttles.push_back({files.keys[0], std::max<uint64_t>(10, body_bytes / 6)});  // ~6 s
  ASSERT_TRUE(proxy_->Configure(faults).ok());
  ASSERT_EQ(Notify(queue, bucket, files, 0, 1, 1), 1u);

  sources::SqsSourceOptions options = SourceOptions(queue);
  options.endpoint_url = proxy_->endpoint();  // SQS through the proxy too
  options.s3_endpoint_url.clear();
  options.visibility_timeout_secs = kVisibilitySecs;
  options.pollers = 1;
  options.max_objects_in_flight = 2;
  const auto started = std::chrono::steady_clock::now();
  StartSource(options, SystemClock());
  ASSERT_FALSE(HasFatalFailure());

  SourceStatusSnapshot status =
      WaitFor([](const SourceStatusSnapshot& s) { return s.counters.messages_deleted >= 1; }, 30s);
  const double elapsed_secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  auto stats = proxy_->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();

  // The test did what it means to: the body took well over the visibility timeout.
  EXPECT_EQ(stats->throttled, 1u);
  EXPECT_GT(elapsed_secs, 2.0 * kVisibilitySecs);
  // Fetched once, received once, stored once, deleted.
  EXPECT_EQ(stats->GetObjectRequests(bucket, files.keys[0]), 1u);
  EXPECT_EQ(status.counters.objects_fetched, 1u);
  EXPECT_EQ(status.counters.messages_received, 1u);
  EXPECT_EQ(status.counters.messages_deleted, 1u);
  EXPECT_GT(status.counters.visibility_extensions, 0u);
  EXPECT_EQ(status.counters.events_stored, files.total_events);
  EXPECT_EQ(status.counters.events_duplicate, 0u);
  EXPECT_EQ(store_->stats().events, files.total_events);
  EXPECT_EQ(status.state, SourceState::kRunning) << DescribeErrors(status);
  EXPECT_EQ(MessagesInQueue(queue), 0);
  // The proxy left the SQS calls alone: only the GetObject was S3.
  EXPECT_EQ(stats->s3_requests, 1u);
  EXPECT_GT(stats->requests, stats->s3_requests);
}

// bucket_region says eu-west-1, but the bucket lives in ap-northeast-3 (Osaka): S3 answers
// 301 PermanentRedirect with x-amz-bucket-region. The S3 client follows it and remembers the
// region, so nothing is lost; the status turns Degraded (SourceStatus has no softer level
// than an error) with a hint that names the right region.
TEST_F(SqsSourceFaults, AWrongBucketRegionIsFollowedAndTheHintNamesTheRightOne) {
  const std::string bucket = "osaka-trail-logs";
  const std::string queue = CreateBucketAndQueue(bucket, "osaka-cloudtrail");
  ASSERT_FALSE(queue.empty());
  const LogFiles files = SimulatedLogs(600, 5, 100);
  ASSERT_GE(files.keys.size(), 4u);
  Upload(bucket, files, 0, files.keys.size());
  ASSERT_FALSE(HasFatalFailure());

  FaultProxyConfig faults;
  faults.bucket_regions[bucket] = "ap-northeast-3";
  ASSERT_TRUE(proxy_->Configure(faults).ok());
  const size_t sent = Notify(queue, bucket, files, 0, files.keys.size(), 3);

  sources::SqsSourceOptions options = SourceOptions(queue);
  options.bucket_region = "eu-west-1";
  options.max_objects_in_flight = 2;
  StartSource(options, SystemClock());
  ASSERT_FALSE(HasFatalFailure());

  SourceStatusSnapshot status = WaitFor(
      [&](const SourceStatusSnapshot& s) {
        return s.counters.messages_deleted >= sent && store_->stats().events >= files.total_events;
      },
      30s);
  auto stats = proxy_->Stats();
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();

  // Redirected at first (once per worker that asked before the region was learnt), then sent
  // to the right region: every event stored, every message deleted, no object failed.
  EXPECT_GE(stats->redirects, 1u);
  EXPECT_LE(stats->redirects, static_cast<uint64_t>(options.max_objects_in_flight));
  EXPECT_EQ(store_->stats().events, files.total_events);
  EXPECT_EQ(status.counters.messages_deleted, sent);
  EXPECT_EQ(status.counters.objects_failed, 0u);
  EXPECT_EQ(MessagesInQueue(queue), 0);
  // The status tells the operator that bucket_region is wrong, once, and what to set.
  EXPECT_EQ(status.state, SourceState::kDegraded);
  EXPECT_EQ(ErrorCount(status), 1u) << DescribeErrors(status);
  ASSERT_TRUE(status.last_error.has_value());
  EXPECT_NE(status.last_error->message.find("ap-northeast-3"), std::string::npos)
      << status.last_error->message;
  EXPECT_NE(status.last_error->message.find("eu-west-1"), std::string::npos)
      << status.last_error->message;
  EXPECT_NE(status.last_error->hint.find("set bucket_region: ap-northeast-3"), std::string::npos)
      << status.last_error->hint;
  EXPECT_NE(status.last_error->hint.find(bucket), std::string::npos) << status.last_error->hint;
}

}  // namespace
}  // namespace trailhound::testing
