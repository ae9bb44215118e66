// What the integration tests of the SQS source share: simulated CloudTrail log files held in
// memory, the bucket and queue a source reads, the options of a source that polls fast, the
// store it writes into, and how many messages its queue still holds. Helpers that fail
// report it with gtest expectations and return an empty value; PutLogFiles and TestStore::Open
// assert instead (a fatal failure: wrap them in ASSERT_NO_FATAL_FAILURE).
// Not thread-safe: call them from the test's thread.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/credentials.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "core/temp_dir.h"
#include "sinks/store_sink.h"
#include "sources/simulate/cloudtrail_simulator.h"
#include "sources/sqs_s3/sqs_source.h"
#include "store/store.h"

namespace trailhound::testing {

// Simulated CloudTrail log files: keys (a test may rename them), bodies and events per file.
struct LogFiles {
  std::vector<std::string> keys;
  std::vector<std::string> bodies;
  std::vector<uint64_t> events;
  uint64_t total_events = 0;
};

// The files of `events` simulated events (seeded with `seed`), at most `max_events_per_file`
// in each.
inline LogFiles SimulatedLogs(uint64_t events, uint64_t seed, uint32_t max_events_per_file = 60) {
  sources::simulate::SimulatorOptions sim;
  sim.events = events;
  sim.seed = seed;
  sim.max_events_per_file = max_events_per_file;
  LogFiles files;
  auto simulator = sources::simulate::CloudTrailSimulator::Create(sim);
  EXPECT_TRUE(simulator.ok()) << simulator.status().ToString();
  if (!simulator.ok()) return files;
  Status made = simulator->ForEachFile([&](sources::simulate::SimulatedFile& file) -> Status {
    files.keys.push_back(file.key);
    files.bodies.push_back(std::move(file.body));
    files.events.push_back(file.events);
    files.total_events += file.events;
    return Status::OK();
  });
  EXPECT_TRUE(made.ok()) << made.ToString();
  return files;
}

// Puts files [first, last) of `files` (up to the last file when `last` is past it) into
// `bucket`; fails the calling test (a fatal failure) at the first that fails.
inline void PutLogFiles(aws::S3Client& s3, const std::string& bucket, const LogFiles& files,
                        size_t first = 0, size_t last = SIZE_MAX) {
  for (size_t i = first; i < std::min(last, files.keys.size()); ++i) {
    auto put = s3.PutObject(bucket, files.keys[i], files.bodies[i]);
    ASSERT_TRUE(put.ok()) << files.keys[i] << ": " << put.status().ToString();
  }
}

// A new bucket and a new queue with VisibilityTimeout `visibility_timeout_secs`; the queue's
// URL, or "" when either could not be created.
inline std::string CreateBucketAndQueue(aws::S3Client& s3, aws::SqsClient& sqs,
                                        const std::string& bucket, const std::string& queue,
                                        int visibility_timeout_secs = 30) {
  Status bucket_created = s3.CreateBucket(bucket);
  EXPECT_TRUE(bucket_created.ok()) << bucket_created.ToString();
  if (!bucket_created.ok()) return "";
  auto url =
      sqs.CreateQueue(queue, {{"VisibilityTimeout", std::to_string(visibility_timeout_secs)}});
  EXPECT_TRUE(url.ok()) << url.status().ToString();
  return url.ok() ? *url : std::string();
}

// The options of source `name` reading `queue_url` through `endpoint` as `credentials`, with
// 1 s long polls so that tests and drains are quick; the rest as SqsSourceOptions has it.
inline sources::SqsSourceOptions FastSourceOptions(const std::string& name,
                                                   const std::string& queue_url,
                                                   const std::string& endpoint,
                                                   const aws::Credentials& credentials) {
  sources::SqsSourceOptions options;
  options.name = name;
  options.queue_url = queue_url;
  options.endpoint_url = endpoint;
  options.credentials.access_key_id = credentials.access_key_id;
  options.credentials.secret_access_key = credentials.secret_access_key;
  options.wait_time_secs = 1;
  return options;
}

// Visible plus in-flight messages of the queue at `queue_url`; -1 when they could not be read.
inline int64_t MessagesInQueue(aws::SqsClient& sqs, const std::string& queue_url) {
  auto attributes = sqs.GetQueueAttributes(
      queue_url, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"});
  EXPECT_TRUE(attributes.ok()) << attributes.status().ToString();
  if (!attributes.ok()) return -1;
  return std::stoll((*attributes)["ApproximateNumberOfMessages"]) +
         std::stoll((*attributes)["ApproximateNumberOfMessagesNotVisible"]);
}

// Where a source under test stores: a real store in a temp dir of its own and a sink into it.
// The sink refers to the store; both live as long as this object.
class TestStore {
 public:
  explicit TestStore(std::string_view temp_prefix = "trailhound") : dir_(temp_prefix) {}

  // Opens the store and the sink; fails the calling test (a fatal failure) when it cannot.
  // REQUIRES: called once, before any other member.
  void Open() {
    ASSERT_TRUE(dir_.ok());
    store::StoreOptions options;
    options.data_dir = dir_.path();
    auto store = store::Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    store_ = std::move(*store);
    sink_ = std::make_unique<sinks::StoreSink>(store_.get());
  }

  // The store and the sink. REQUIRES: Open() succeeded.
  store::Store& store() const { return *store_; }
  store::Store* operator->() const { return store_.get(); }
  sinks::StoreSink* sink() const { return sink_.get(); }

 private:
  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<sinks::StoreSink> sink_;
};

}  // namespace trailhound::testing
