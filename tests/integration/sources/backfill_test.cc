// Backfill on a real S3 emulator (fauxqs): over a thousand simulated log files across three
// days, two accounts and two regions are read straight from the bucket into a real store.
// Checks: every event stored once; a second run stores nothing new (with the checkpoint it
// reads nothing, without it everything is a duplicate); a run stopped half-way and resumed
// still ends exact; a backfill running while the SQS source ingests the same files stores no
// duplicate; the command line prints its summary and honours --regions.
#include "sources/sqs_s3/backfill.h"

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "../aws/emulator_checks.h"
#include "aws/credentials_environment.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "core/temp_dir.h"
#include "sinks/store_sink.h"
#include "sources/simulate/cloudtrail_simulator.h"
#include "sources/sqs_s3/sqs_source.h"
#include "store/store.h"
#include "testing/fauxqs.h"

namespace trailhound::testing {
namespace {

using checks::AnyCredentials;

using namespace std::chrono_literals;

constexpr char kBucket[] = "backfill-trail-logs";
constexpr int64_t kFirstDay = 20089;  // 2025-01-01

class Backfill : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto fauxqs = checks::StartEmulator<Fauxqs, FauxqsOptions>();
    ASSERT_TRUE(fauxqs.ok()) << fauxqs.status().ToString();
    fauxqs_ = std::move(*fauxqs).release();
    aws::S3Client s3(checks::MakeSender(AnyCredentials()), checks::S3OptionsFor(endpoint()));
    ASSERT_TRUE(s3.CreateBucket(kBucket).ok());
    sources::simulate::SimulatorOptions sim;
    sim.events = 30'000;
    sim.seed = 77;
    sim.regions = {"us-east-1", "ap-northeast-3"};
    sim.span_secs = 3 * 86400;
    sim.max_events_per_file = 40;
    auto simulator = sources::simulate::CloudTrailSimulator::Create(sim);
    ASSERT_TRUE(simulator.ok());
    ASSERT_TRUE(simulator
                    ->ForEachFile([&](sources::simulate::SimulatedFile& file) -> Status {
                      keys_.push_back(file.key);
                      return s3.PutObject(kBucket, file.key, std::move(file.body)).status();
                    })
                    .ok());
    // A digest beside the logs: never read as a log.
    ASSERT_TRUE(s3.PutObject(kBucket,
                             "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2025/01/01/"
                             "111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_"
                             "20250101T000000Z.json.gz",
                             "{}")
                    .ok());
    events_ = sim.events;
  }
  static void TearDownTestSuite() {
    delete fauxqs_;
    fauxqs_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(fauxqs_, nullptr);
    store::StoreOptions options;
    options.data_dir = dir_.Path("data");
    auto store = store::Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    sink_ = std::make_unique<sinks::StoreSink>(store_.get());
  }

  static std::string endpoint() { return fauxqs_->endpoint(); }

  sources::BackfillOptions Options(bool checkpoint = true) const {
    sources::BackfillOptions options;
    options.source.name = "cloudtrail-main";
    options.source.endpoint_url = endpoint();
    options.source.bucket_region = "us-east-1";
    options.source.credentials.access_key_id = "AKIAFAUXQSTESTKEY000";
    options.source.credentials.secret_access_key = Secret("fauxqs-accepts-any-secret");
    options.bucket = kBucket;
    options.from_day = kFirstDay;
    options.to_day = kFirstDay + 2;
    options.workers = 4;
    if (checkpoint) options.checkpoint_path = dir_.Path("data/backfill/cloudtrail-main.json");
    return options;
  }

  sources::BackfillSummary Run(const sources::BackfillOptions& options,
                               sources::BackfillProgress& progress,
                               const std::atomic<bool>* cancel = nullptr) {
    auto summary = sources::RunBackfill(options, sink_.get(), aws::ProcessCredentialsEnvironment(),
                                        &progress, cancel);
    EXPECT_TRUE(summary.ok()) << summary.status().ToString();
    if (!summary.ok()) return sources::BackfillSummary{};
    for (const std::string& error : summary->errors) ADD_FAILURE() << "backfill: " << error;
    return *summary;
  }

  static inline Fauxqs* fauxqs_ = nullptr;
  static inline std::vector<std::string> keys_;
  static inline uint64_t events_ = 0;
  TempDir dir_{"trailhound-backfill"};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<sinks::StoreSink> sink_;
};

TEST_F(Backfill, StoresEveryEventOnceAndASecondRunNothingNew) {
  ASSERT_GE(keys_.size(), 1000u);
  sources::BackfillProgress first;
  sources::BackfillSummary summary = Run(Options(), first);
  EXPECT_TRUE(summary.ok()) << (summary.errors.empty() ? "" : summary.errors[0]);
  EXPECT_EQ(summary.accounts, (std::vector<std::string>{"111122223333", "444455556666"}));
  EXPECT_EQ(summary.regions, (std::vector<std::string>{"ap-northeast-3", "us-east-1"}));
  EXPECT_EQ(first.prefixes_total.load(), 2u * 2u * 3u);  // accounts × regions × days
  EXPECT_EQ(first.objects_done.load(), keys_.size());    // the digest is not read
  EXPECT_EQ(first.objects_failed.load(), 0u);
  EXPECT_EQ(first.events_stored.load(), events_);
  EXPECT_EQ(store_->stats().events, events_);

  // With the checkpoint every day is done: nothing is even listed.
  sources::BackfillProgress again;
  EXPECT_TRUE(Run(Options(), again).ok());
  EXPECT_EQ(again.prefixes_skipped.load(), 12u);
  EXPECT_EQ(again.objects_done.load(), 0u);
  // Without it everything is read again and every event is a duplicate.
  sources::BackfillProgress fresh;
  EXPECT_TRUE(Run(Options(false), fresh).ok());
  EXPECT_EQ(fresh.objects_done.load(), keys_.size());
  EXPECT_EQ(fresh.events_stored.load(), 0u);
  EXPECT_EQ(fresh.events_duplicate.load(), events_);
  EXPECT_EQ(store_->stats().events, events_);
}

TEST_F(Backfill, StoppedHalfWayAndResumedIsStillExact) {
  std::atomic<bool> cancel{false};
  sources::BackfillProgress first;
  std::thread stopper([&] {
    while (first.objects_done.load() < keys_.size() / 3 && !first.listing_done.load()) {
      std::this_thread::sleep_for(1ms);
    }
    cancel = true;
  });
  sources::BackfillSummary stopped = Run(Options(), first, &cancel);
  stopper.join();
  EXPECT_TRUE(stopped.cancelled);
  EXPECT_LT(first.objects_done.load(), keys_.size());
  EXPECT_LT(store_->stats().events, events_);

  sources::BackfillProgress resumed;
  sources::BackfillSummary rest = Run(Options(), resumed);
  EXPECT_TRUE(rest.ok());
  EXPECT_GT(resumed.prefixes_skipped.load(), 0u);  // the days finished before the stop
  EXPECT_LT(resumed.objects_done.load(), keys_.size());
  EXPECT_EQ(store_->stats().events, events_);
}

TEST_F(Backfill, BesideTheLiveSourceNothingIsStoredTwice) {
  aws::SqsClient sqs(checks::MakeSender(AnyCredentials()), checks::SqsOptionsFor(endpoint()));
  auto queue = sqs.CreateQueue("backfill-live", {{"VisibilityTimeout", "10"}});
  ASSERT_TRUE(queue.ok());
  for (size_t i = 0; i < keys_.size(); i += 5) {
    std::string list;
    for (size_t j = i; j < std::min(keys_.size(), i + 5); ++j) {
      list += (list.empty() ? "\"" : ",\"") + keys_[j] + "\"";
    }
    ASSERT_TRUE(sqs.SendMessage(*queue, R"({"s3Bucket":")" + std::string(kBucket) +
                                            R"(","s3ObjectKey":[)" + list + "]}")
                    .ok());
  }
  sources::SqsSourceOptions live = Options().source;
  live.queue_url = *queue;
  live.wait_time_secs = 1;
  live.visibility_timeout_secs = 30;
  live.max_objects_in_flight = 4;
  auto source = sources::SqsSource::Create(live, sink_.get(), aws::ProcessCredentialsEnvironment());
  ASSERT_TRUE(source.ok());
  (*source)->Start();
  sources::BackfillProgress progress;
  EXPECT_TRUE(Run(Options(false), progress).ok());
  const auto deadline = std::chrono::steady_clock::now() + 180s;
  while ((*source)->status().counters.messages_deleted < (keys_.size() + 4) / 5 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  (*source)->Stop();
  const auto status = (*source)->status();
  const auto& counters = status.counters;
  EXPECT_EQ(counters.messages_deleted, (keys_.size() + 4) / 5)
      << (status.last_error ? status.last_error->message : "no error");
  // Both read every file; together they stored each event once.
  EXPECT_EQ(progress.events_stored.load() + counters.events_stored, events_);
  EXPECT_EQ(store_->stats().events, events_);
}

TEST_F(Backfill, TheCommandPrintsItsSummaryAndHonoursRegions) {
  const std::string config = dir_.Write(
      "trailhound.yaml", "data_dir: " + dir_.Path("cli-data") +
                             "\nsources:\n  - name: cloudtrail-main\n    queue_url: " +
                             fauxqs_->QueueUrl("unused") + "\n    endpoint_url: " + endpoint() +
                             "\n    bucket_region: us-east-1\n    credentials:\n"
                             "      access_key_id: AKIAFAUXQSTESTKEY000\n"
                             "      secret_access_key: fauxqs-accepts-any-secret\n");
  const std::string command = std::string(TRAILHOUND_BINARY) + " backfill --config " + config +
                              " --source cloudtrail-main --bucket " + kBucket +
                              " --from 2025-01-01 --to 2025-01-03 --regions ap-northeast-3 2>&1";
  auto run = [&]() {
    std::string out;
    FILE* pipe = ::popen(command.c_str(), "r");
    EXPECT_NE(pipe, nullptr);
    if (pipe == nullptr) return std::make_pair(-1, out);
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0) {
      out.append(buffer.data(), n);
    }
    int status = ::pclose(pipe);
    return std::make_pair(WIFEXITED(status) ? WEXITSTATUS(status) : -1, out);
  };
  auto [status, out] = run();
  EXPECT_EQ(status, 0) << out;
  EXPECT_NE(out.find("for 2 accounts and 1 region"), std::string::npos) << out;
  EXPECT_NE(out.find("(0 failed) in 6 day prefixes"), std::string::npos) << out;
  auto [again_status, again] = run();
  EXPECT_EQ(again_status, 0) << again;
  EXPECT_NE(again.find("0 objects read (0 failed) in 0 day prefixes (6 already done before)"),
            std::string::npos)
      << again;
}

}  // namespace
}  // namespace trailhound::testing
