#include "sources/files/file_ingest.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/temp_dir.h"
#include "sources/simulate/cloudtrail_simulator.h"

namespace trailhound::sources::files {
namespace {

namespace fs = std::filesystem;

// Collects what it is given, like a store that never fails; counts repeated event ids as
// duplicates.
class CollectingSink final : public EventSink {
 public:
  Result<SinkWriteResult> Write(std::span<const Event> events) override {
    std::lock_guard lock(mu_);
    SinkWriteResult result;
    for (const Event& event : events) {
      if (ids_.insert(event.event_id).second) {
        ++result.stored;
        sources_.insert(event._source);
      } else {
        ++result.duplicates;
      }
    }
    return result;
  }
  size_t size() const { return ids_.size(); }
  std::set<std::string> sources_;

 private:
  std::mutex mu_;
  std::set<std::string> ids_;
};

void WriteFile(const fs::path& path, std::string_view bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

uint64_t Simulate(const std::string& dir, uint64_t events) {
  simulate::SimulatorOptions options;
  options.events = events;
  auto simulator = simulate::CloudTrailSimulator::Create(options);
  EXPECT_TRUE(simulator.ok());
  uint64_t files = 0;
  EXPECT_TRUE(simulator
                  ->ForEachFile([&](simulate::SimulatedFile& file) {
                    WriteFile(fs::path(dir) / file.key, file.body);
                    ++files;
                    return Status::OK();
                  })
                  .ok());
  return files;
}

TEST(FileIngest, StoresEveryEventOfASimulatedBucketCopy) {
  TempDir dir;
  uint64_t files = Simulate(dir.path(), 3000);
  auto list = ListInputFiles({dir.path()});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), files);
  CollectingSink sink;
  FileIngestProgress progress;
  FileIngestOptions options;
  options.workers = 2;
  options.batch_events = 100;
  options.source_name = "backup";
  Status status = IngestFiles(*list, sink, options, progress);
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(sink.size(), 3000u);
  EXPECT_EQ(progress.events_stored.load(), 3000u);
  EXPECT_EQ(progress.files_done.load(), files);
  EXPECT_EQ(progress.bytes_done.load(), progress.bytes_total.load());
  EXPECT_EQ(sink.sources_, std::set<std::string>{"backup"});

  FileIngestProgress again;
  ASSERT_TRUE(IngestFiles(*list, sink, options, again).ok());
  EXPECT_EQ(again.events_stored.load(), 0u);
  EXPECT_EQ(again.events_duplicate.load(), 3000u);
}

TEST(FileIngest, SkipsDigestsAndReportsABadFileWhileTheOthersGoOn) {
  TempDir dir;
  const std::string good = dir.path() +
                           "/AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/"
                           "111122223333_CloudTrail_us-east-1_20240501T0000Z_abc.json";
  WriteFile(good, R"({"Records":[{"eventID":"a","eventTime":"2024-05-01T00:00:00Z"},)"
                  R"({"eventID":"b","eventTime":"2024-05-01T00:00:01Z"}]})");
  const std::string digest = dir.path() +
                             "/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/05/01/"
                             "111122223333_CloudTrail-Digest_us-east-1_x_20240501T000000Z.json.gz";
  WriteFile(digest, "not even gzip: never read");
  const std::string broken = dir.path() + "/broken.json.gz";
  WriteFile(broken, std::string("\x1f\x8b\x08\x00garbage", 12));
  const std::string partial = dir.path() + "/partial.json";
  WriteFile(partial, R"({"Records":[{"eventID":"c"},{"eventID":)");

  auto list = ListInputFiles({dir.path()});
  ASSERT_TRUE(list.ok());
  CollectingSink sink;
  FileIngestProgress progress;
  std::vector<std::string> failed;
  std::mutex mu;
  Status status = IngestFiles(*list, sink, {}, progress, [&](const FileError& error) {
    std::lock_guard lock(mu);
    failed.push_back(error.path);
    EXPECT_NE(error.status.ToString().find(error.path), std::string::npos)
        << error.status.ToString();
  });
  EXPECT_FALSE(status.ok());
  std::sort(failed.begin(), failed.end());
  EXPECT_EQ(failed, (std::vector<std::string>{broken, partial}));
  EXPECT_EQ(progress.files_skipped.load(), 1u);
  EXPECT_EQ(progress.files_failed.load(), 2u);
  // The good file, and the record before the truncation of the partial one.
  EXPECT_EQ(sink.size(), 3u);
}

TEST(FileIngest, AMissingPathIsNotFound) {
  auto list = ListInputFiles({"/no/such/trailhound/path"});
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().code(), StatusCode::kNotFound);
  EXPECT_NE(list.status().message().find("/no/such/trailhound/path"), std::string::npos);
}

}  // namespace
}  // namespace trailhound::sources::files
