#include "sources/sqs_s3/backfill.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "aws/aws_client.h"
#include "aws/credentials.h"
#include "aws/regions.h"
#include "aws/s3.h"
#include "aws/sqs_queue_url.h"
#include "codecs/cloudtrail_key.h"
#include "sources/sqs_s3/hints.h"
#include "sources/sqs_s3/object_processor.h"
#include "transforms/normalize/iso8601.h"

namespace trailhound::sources {

namespace {

// "2025/01/31" for a day number.
std::string DayPath(int64_t day) {
  const std::chrono::year_month_day date{std::chrono::sys_days{std::chrono::days{day}}};
  return fmt::format("{:04}/{:02}/{:02}", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
}

// The last path component of a common prefix: "a/b/c/" → "c".
std::string LastComponent(const std::string& prefix) {
  std::string trimmed = prefix;
  if (!trimmed.empty() && trimmed.back() == '/') trimmed.pop_back();
  size_t slash = trimmed.rfind('/');
  return slash == std::string::npos ? trimmed : trimmed.substr(slash + 1);
}

bool Selected(const std::vector<std::string>& wanted, const std::string& value) {
  return wanted.empty() || std::find(wanted.begin(), wanted.end(), value) != wanted.end();
}

// The day prefixes already read completely, for one bucket and prefix.
class Checkpoint {
 public:
  Checkpoint(std::string path, std::string bucket, std::string prefix)
      : path_(std::move(path)), bucket_(std::move(bucket)), prefix_(std::move(prefix)) {}

  Status Load() {
    if (path_.empty() || !std::filesystem::exists(path_)) return Status::OK();
    std::ifstream in(path_);
    nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_object() || !j["done"].is_array()) {
      return Status::Corruption("The backfill checkpoint '" + path_ +
                                "' is not readable; delete it to start over");
    }
    if (j.value("bucket", "") != bucket_ || j.value("prefix", "") != prefix_) return Status::OK();
    for (const auto& done : j["done"]) {
      if (done.is_string()) done_.insert(done.get<std::string>());
    }
    return Status::OK();
  }

  bool Done(const std::string& day_prefix) const {
    std::lock_guard lock(mu_);
    return done_.contains(day_prefix);
  }

  // Records a completed day prefix and rewrites the file atomically (temp file, rename).
  Status MarkDone(const std::string& day_prefix) {
    std::lock_guard lock(mu_);
    done_.insert(day_prefix);
    if (path_.empty()) return Status::OK();
    nlohmann::json j = {{"bucket", bucket_}, {"prefix", prefix_}, {"done", done_}};
    std::filesystem::create_directories(std::filesystem::path(path_).parent_path());
    const std::string temp = path_ + ".tmp";
    {
      std::ofstream out(temp, std::ios::trunc);
      out << j.dump(1) << "\n";
      if (!out.flush()) return Status::IoError("Cannot write the checkpoint '" + temp + "'");
    }
    std::error_code ec;
    std::filesystem::rename(temp, path_, ec);
    if (ec)
      return Status::IoError("Cannot replace the checkpoint '" + path_ + "': " + ec.message());
    return Status::OK();
  }

 private:
  std::string path_, bucket_, prefix_;
  mutable std::mutex mu_;
  std::set<std::string> done_;
};

// A day prefix in work: how many of its objects are still open, and whether one failed.
struct DayWork {
  std::string prefix;
  size_t open = 0;
  bool failed = false;
  bool listed = false;
};

struct Job {
  std::shared_ptr<DayWork> day;
  ObjectRef object;
  uint64_t size = 0;
};

}  // namespace

Result<int64_t> ParseDay(std::string_view text) {
  // A bare date is the start of that day.
  auto millis = transforms::ParseIso8601Millis(text.size() == 10 ? std::string(text) + "T00:00:00Z"
                                                                 : std::string(text));
  if (!millis) {
    return Status::InvalidArgument("'" + std::string(text) +
                                   "' is not a date (YYYY-MM-DD or an ISO 8601 time)");
  }
  const int64_t day_ms = 86'400'000;
  return *millis >= 0 ? *millis / day_ms : -((-*millis + day_ms - 1) / day_ms);
}

Result<BackfillSummary> RunBackfill(const BackfillOptions& options, EventSink* sink,
                                    const aws::CredentialsEnvironment& env,
                                    BackfillProgress* progress, const std::atomic<bool>* cancel) {
  if (options.bucket.empty()) return Status::InvalidArgument("backfill needs the log bucket");
  if (options.to_day < options.from_day) {
    return Status::InvalidArgument("backfill: --to is before --from");
  }
  if (options.to_day - options.from_day > 3660) {
    return Status::InvalidArgument("backfill: at most 10 years at a time");
  }
  const SqsSourceOptions& source = options.source;
  BackfillSummary summary;

  // The source's credentials and endpoints; the bucket's region as configured, else learnt.
  aws::CredentialsEnvironment source_env = env;
  std::string region = source.bucket_region;
  if (region.empty() && !source.queue_url.empty()) {
    aws::SqsQueueUrlOptions url_options;
    url_options.region = source.region;
    url_options.endpoint_url = source.endpoint_url;
    if (auto url = aws::ParseSqsQueueUrl(source.queue_url, url_options); url.ok()) {
      region = url->region;
    }
  }
  if (region.empty()) region = "us-east-1";
  if (source_env.default_region.empty()) source_env.default_region = region;
  TH_ASSIGN_OR_RETURN(auto provider, aws::MakeCredentialsProvider(source.credentials, source_env));
  auto sender = std::make_shared<aws::AwsRequestSender>(source_env.transport, std::move(provider),
                                                        aws::RetryOptions{});
  aws::S3Options s3_options;
  s3_options.endpoint_url =
      !source.s3_endpoint_url.empty() ? source.s3_endpoint_url : source.endpoint_url;
  s3_options.region = region;
  aws::S3Client s3(sender, s3_options);
  HintContext context;
  context.bucket = options.bucket;
  auto partition = aws::PartitionOfRegion(region);
  context.partition = partition.ok() ? std::string(partition->id) : "aws";
  context.configured_bucket_region = source.bucket_region;
  if (!source.credentials.access_key_id.empty()) {
    context.access_key_id_masked = aws::MaskAccessKeyId(source.credentials.access_key_id);
  }
  auto annotate = [&](const Status& status) {
    HintContext c = context;
    c.operation = AwsOperation::kListObjectsV2;
    std::string hint = HintFor(status, c).text;
    return hint.empty() ? status : status.Annotate(hint);
  };

  // Accounts (through organization folders) and their regions.
  std::string root = options.prefix;
  if (!root.empty() && !root.ends_with("/")) root += "/";
  root += "AWSLogs/";
  auto folders = [&](const std::string& prefix) -> Result<std::vector<std::string>> {
    aws::S3ListRequest request;
    request.bucket = options.bucket;
    request.prefix = prefix;
    request.delimiter = "/";
    std::vector<std::string> found;
    Status listed = s3.ForEachListPage(request, [&](const aws::S3ListPage& page) {
      found.insert(found.end(), page.common_prefixes.begin(), page.common_prefixes.end());
      return Status::OK();
    });
    if (!listed.ok()) return annotate(listed);
    return found;
  };
  TH_ASSIGN_OR_RETURN(std::vector<std::string> top, folders(root));
  std::vector<std::string> account_prefixes;
  for (const std::string& folder : top) {
    const std::string name = LastComponent(folder);
    if (name.starts_with("o-")) {  // an organization trail: AWSLogs/<org id>/<account>/
      TH_ASSIGN_OR_RETURN(std::vector<std::string> inner, folders(folder));
      for (const std::string& account : inner) {
        if (Selected(options.accounts, LastComponent(account))) account_prefixes.push_back(account);
      }
    } else if (Selected(options.accounts, name)) {
      account_prefixes.push_back(folder);
    }
  }
  std::set<std::string> accounts, regions;
  std::vector<std::string> day_prefixes;
  for (const std::string& account : account_prefixes) {
    accounts.insert(LastComponent(account));
    TH_ASSIGN_OR_RETURN(std::vector<std::string> region_folders, folders(account + "CloudTrail/"));
    for (const std::string& folder : region_folders) {
      const std::string name = LastComponent(folder);
      if (!Selected(options.regions, name)) continue;
      regions.insert(name);
      for (int64_t day = options.from_day; day <= options.to_day; ++day) {
        day_prefixes.push_back(folder + DayPath(day) + "/");
      }
    }
  }
  summary.accounts.assign(accounts.begin(), accounts.end());
  summary.regions.assign(regions.begin(), regions.end());

  Checkpoint checkpoint(options.checkpoint_path, options.bucket, options.prefix);
  TH_RETURN_IF_ERROR(checkpoint.Load());
  std::vector<std::string> todo;
  for (const std::string& prefix : day_prefixes) {
    if (checkpoint.Done(prefix)) {
      ++progress->prefixes_skipped;
    } else {
      todo.push_back(prefix);
    }
  }
  progress->prefixes_total = todo.size();

  // Workers take objects from a bounded queue the lister fills, day by day.
  std::mutex mu;
  std::condition_variable changed;
  std::deque<Job> queue;
  bool listing_over = false;
  const size_t max_queued = static_cast<size_t>(std::max(1, options.workers)) * 64;
  SourceStatus status(source.name, SystemClock());
  auto stopping = [&] { return cancel != nullptr && cancel->load(); };
  auto finish_object = [&](const std::shared_ptr<DayWork>& day, bool failed) {
    bool complete = false;
    {
      std::lock_guard lock(mu);
      day->failed = day->failed || failed;
      complete = --day->open == 0 && day->listed && !day->failed;
      if (day->open == 0 && day->listed) ++progress->prefixes_done;
    }
    if (complete) {
      if (Status s = checkpoint.MarkDone(day->prefix); !s.ok()) {
        std::lock_guard lock(mu);
        summary.errors.push_back(s.ToString());
      }
    }
  };

  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, options.workers); ++i) {
    workers.emplace_back([&] {
      ObjectProcessorOptions processor_options;
      processor_options.source_name = source.name;
      processor_options.max_object_bytes = source.max_object_bytes;
      processor_options.max_decompressed_bytes = source.max_decompressed_bytes;
      ObjectProcessor processor(&s3, sink, &status, processor_options, context);
      while (true) {
        Job job;
        {
          std::unique_lock lock(mu);
          changed.wait(lock, [&] { return !queue.empty() || listing_over; });
          if (queue.empty()) return;
          job = std::move(queue.front());
          queue.pop_front();
        }
        changed.notify_all();
        bool failed = false;
        if (stopping()) {
          failed = true;  // not read: the day stays open for the next run
        } else {
          ObjectOutcome outcome = processor.Process(job.object);
          failed = outcome.outcome == AckOutcome::kErrored;
          if (failed) {
            ++progress->objects_failed;
            std::lock_guard lock(mu);
            if (summary.errors.size() < 100) {
              HintContext c = context;
              c.operation = AwsOperation::kGetObject;
              c.key = job.object.key;
              std::string hint = HintFor(outcome.status, c).text;
              summary.errors.push_back(outcome.status.ToString() +
                                       (hint.empty() ? "" : " — " + hint));
            }
          }
          progress->bytes_done += job.size;
          ++progress->objects_done;
          const SourceCounters counters = status.Snapshot().counters;
          progress->events_stored = counters.events_stored;
          progress->events_duplicate = counters.events_duplicate;
        }
        finish_object(job.day, failed);
      }
    });
  }

  // The lister: one day prefix at a time, every page, log files only.
  for (const std::string& prefix : todo) {
    if (stopping()) break;
    auto day = std::make_shared<DayWork>();
    day->prefix = prefix;
    {
      std::lock_guard lock(mu);
      day->open = 1;  // held by the lister until the day is listed
    }
    aws::S3ListRequest request;
    request.bucket = options.bucket;
    request.prefix = prefix;
    Status listed = s3.ForEachListPage(request, [&](const aws::S3ListPage& page) {
      for (const aws::S3ListedObject& object : page.objects) {
        if (codecs::ClassifyCloudTrailKey(object.key).kind != codecs::CloudTrailObjectKind::kLog) {
          continue;
        }
        std::unique_lock lock(mu);
        changed.wait(lock, [&] { return queue.size() < max_queued; });
        ++day->open;
        ++progress->objects_total;
        queue.push_back(Job{day, ObjectRef{options.bucket, object.key, object.size_bytes, {}, {}},
                            object.size_bytes});
        changed.notify_all();
      }
      return stopping() ? Status::Cancelled("stopped") : Status::OK();
    });
    {
      std::lock_guard lock(mu);
      day->listed = true;
    }
    if (!listed.ok() && listed.code() != StatusCode::kCancelled) {
      std::lock_guard lock(mu);
      summary.errors.push_back(annotate(listed).ToString());
      day->failed = true;
    }
    finish_object(day, !listed.ok());  // the lister's hold
  }
  {
    std::lock_guard lock(mu);
    listing_over = true;
  }
  progress->listing_done = true;
  changed.notify_all();
  for (auto& worker : workers) worker.join();

  const SourceStatusSnapshot snapshot = status.Snapshot();
  progress->events_stored = snapshot.counters.events_stored;
  progress->events_duplicate = snapshot.counters.events_duplicate;
  summary.cancelled = stopping();
  return summary;
}

}  // namespace trailhound::sources
