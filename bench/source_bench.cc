// The SQS event source end to end, on fauxqs sharing this machine, against two baselines
// measured in the same run:
//   fetch-only   the same objects read with GetObject by the same number of threads and
//                thrown away: what the emulator and the network deliver at best
//   local        the same files ingested from local disk (IngestFiles → the same store):
//                what decoding and storing cost without S3 and SQS
//   source       SqsSource: CloudTrail SNS notifications in the queue (3 keys each), long
//                polls, GetObject, gunzip, parse, normalise, store (WAL + fdatasync),
//                DeleteMessageBatch after durable
//   big objects  a few ~100 MB (uncompressed) log files through the source, RSS sampled
//                every 20 ms: memory stays bounded whatever the object size
// Reported: events/s, MB/s, the ratio to each baseline, Trailhound's and fauxqs' CPU
// seconds (utime+stime from /proc) per wall second, peak RSS per phase.
// Environment: TRAILHOUND_BENCH_EVENTS (default 300,000), TRAILHOUND_BENCH_BIG_OBJECTS
// (default 3), TRAILHOUND_BENCH_BIG_MB (default 100), TRAILHOUND_BENCH_WORKERS (default: the
// source's default max_objects_in_flight);
// TRAILHOUND_BENCH_EVENTS=0 runs the big objects alone, for a clean peak RSS.
// Run: cmake -DTRAILHOUND_BENCH=ON ... && build-bench/bench/source_bench
// Not Google Benchmark: each phase is one long run of a whole pipeline, not a loop body.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "aws/aws_client.h"
#include "aws/credentials.h"
#include "aws/credentials_environment.h"
#include "aws/http.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "codecs/compress.h"
#include "codecs/decompress.h"
#include "core/temp_dir.h"
#include "sinks/store_sink.h"
#include "sources/files/file_ingest.h"
#include "sources/simulate/cloudtrail_simulator.h"
#include "sources/sqs_s3/sqs_source.h"
#include "store/store.h"
#include "testing/fauxqs.h"

namespace trailhound::bench {
namespace {

using Clock = std::chrono::steady_clock;

uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  return value != nullptr ? std::strtoull(value, nullptr, 10) : fallback;
}

[[noreturn]] void Die(const std::string& what, const Status& status) {
  std::fprintf(stderr, "source_bench: %s: %s\n", what.c_str(), status.ToString().c_str());
  std::exit(1);
}

template <typename T>
T Check(Result<T> result, const std::string& what) {
  if (!result.ok()) Die(what, result.status());
  return std::move(*result);
}

void Check(const Status& status, const std::string& what) {
  if (!status.ok()) Die(what, status);
}

// utime + stime of a process in seconds (/proc/<pid>/stat fields 14 and 15).
double CpuSeconds(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string stat((std::istreambuf_iterator<char>(in)), {});
  size_t close = stat.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> field; ++i) {
    if (i == 14) utime = std::stoull(field);
    if (i == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

uint64_t RssBytes() {
  std::ifstream in("/proc/self/statm");
  uint64_t pages = 0, resident = 0;
  in >> pages >> resident;
  return resident * static_cast<uint64_t>(::sysconf(_SC_PAGESIZE));
}

// Samples this process's RSS every 20 ms while alive; peak() is the largest sample.
class RssSampler {
 public:
  RssSampler() : thread_([this] { Run(); }) {}
  ~RssSampler() {
    stop_ = true;
    thread_.join();
  }
  uint64_t peak() const { return peak_.load(); }

 private:
  void Run() {
    while (!stop_) {
      uint64_t rss = RssBytes();
      if (rss > peak_) peak_ = rss;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> peak_{0};
  std::thread thread_;
};

// Wall time and CPU of this process and of fauxqs over one phase.
class PhaseMeter {
 public:
  explicit PhaseMeter(pid_t fauxqs)
      : fauxqs_(fauxqs),
        start_(Clock::now()),
        self_cpu_(CpuSeconds(::getpid())),
        fauxqs_cpu_(CpuSeconds(fauxqs)) {}
  double wall() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }
  double self_cpu() const { return CpuSeconds(::getpid()) - self_cpu_; }
  double fauxqs_cpu() const { return CpuSeconds(fauxqs_) - fauxqs_cpu_; }

 private:
  pid_t fauxqs_;
  Clock::time_point start_;
  double self_cpu_, fauxqs_cpu_;
};

struct PhaseResult {
  std::string name;
  uint64_t events = 0;
  uint64_t json_bytes = 0;
  double wall = 0, self_cpu = 0, fauxqs_cpu = 0;
  uint64_t peak_rss = 0;
  double events_per_sec() const { return wall > 0 ? static_cast<double>(events) / wall : 0; }
};

void Print(const PhaseResult& r, const PhaseResult* baseline) {
  std::printf(
      "%-13s %9llu events %7.2f s %10.0f ev/s %7.1f MB/s  cpu: trailhound %4.2f fauxqs %4.2f"
      "  peak RSS %5.0f MB",
      r.name.c_str(), static_cast<unsigned long long>(r.events), r.wall, r.events_per_sec(),
      static_cast<double>(r.json_bytes) / 1e6 / r.wall, r.self_cpu / r.wall, r.fauxqs_cpu / r.wall,
      static_cast<double>(r.peak_rss) / 1e6);
  if (baseline != nullptr && baseline->events_per_sec() > 0) {
    std::printf("  (%.2fx %s)", r.events_per_sec() / baseline->events_per_sec(),
                baseline->name.c_str());
  }
  std::printf("\n");
  std::fflush(stdout);
}

struct Uploaded {
  std::vector<std::string> keys;
  uint64_t events = 0;
  uint64_t json_bytes = 0;
};

std::string SnsEnvelope(const std::string& message) {
  std::string escaped;
  for (char c : message) {
    if (c == '"' || c == '\\') escaped += '\\';
    escaped += c;
  }
  return R"({"Type":"Notification","MessageId":"m","TopicArn":"arn:aws:sns:us-east-1:000000000000:ct","Message":")" +
         escaped + R"(","Timestamp":"2025-01-01T00:00:00.000Z"})";
}

// One CloudTrail notification per three keys, the way CloudTrail batches them.
void Notify(aws::SqsClient& sqs, const std::string& queue, const std::string& bucket,
            const std::vector<std::string>& keys) {
  for (size_t i = 0; i < keys.size(); i += 3) {
    std::string list;
    for (size_t j = i; j < std::min(keys.size(), i + 3); ++j) {
      list += (list.empty() ? "\"" : ",\"") + keys[j] + "\"";
    }
    Check(sqs.SendMessage(queue, SnsEnvelope(R"({"s3Bucket":")" + bucket + R"(","s3ObjectKey":[)" +
                                             list + "]}"))
              .status(),
          "SendMessage");
  }
}

sources::SqsSourceOptions SourceOptions(const std::string& queue, const std::string& endpoint,
                                        int workers) {
  sources::SqsSourceOptions options;
  options.name = "bench";
  options.queue_url = queue;
  options.endpoint_url = endpoint;
  options.credentials.access_key_id = "AKIAFAUXQSBENCHKEY00";
  options.credentials.secret_access_key = Secret("fauxqs-accepts-any-secret");
  options.wait_time_secs = 1;
  options.visibility_timeout_secs = 300;
  options.max_objects_in_flight = workers;
  options.queue_depth_interval_ms = 60'000;
  return options;
}

// Runs the source until `events` are stored and every message is deleted.
PhaseResult RunSource(const std::string& name, pid_t fauxqs_pid,
                      const sources::SqsSourceOptions& options, const std::string& data_dir,
                      uint64_t events, uint64_t json_bytes, uint64_t messages) {
  store::StoreOptions store_options;
  store_options.data_dir = data_dir;
  auto store = Check(store::Store::Open(store_options), "Store::Open");
  sinks::StoreSink sink(store.get());
  auto source = Check(
      sources::SqsSource::Create(options, &sink, aws::ProcessCredentialsEnvironment()), "source");
  RssSampler rss;
  PhaseMeter meter(fauxqs_pid);
  source->Start();
  const auto deadline = Clock::now() + std::chrono::minutes(10);
  sources::SourceStatusSnapshot status;
  while (Clock::now() < deadline) {
    status = source->status();
    if (status.counters.events_stored >= events && status.counters.messages_deleted >= messages) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  PhaseResult result{name, status.counters.events_stored, json_bytes};
  result.wall = meter.wall();
  result.self_cpu = meter.self_cpu();
  result.fauxqs_cpu = meter.fauxqs_cpu();
  source->Stop();
  result.peak_rss = rss.peak();
  if (status.counters.events_stored != events || status.counters.events_duplicate != 0) {
    std::fprintf(stderr, "source_bench: %s stored %llu of %llu events (%llu duplicates)\n",
                 name.c_str(), static_cast<unsigned long long>(status.counters.events_stored),
                 static_cast<unsigned long long>(events),
                 static_cast<unsigned long long>(status.counters.events_duplicate));
    std::exit(1);
  }
  return result;
}

// ~`mb` MB of JSON: the records of simulated files concatenated into one log file.
std::string BigLogFile(uint64_t mb, uint64_t seed, uint64_t* events, uint64_t* json_bytes) {
  sources::simulate::SimulatorOptions sim;
  sim.events = mb * 1'000'000 / 1200 + 1;
  sim.seed = seed;
  sim.max_events_per_file = 5000;
  auto simulator = Check(sources::simulate::CloudTrailSimulator::Create(sim), "simulator");
  std::string json = R"({"Records":[)";
  bool first = true;
  Check(simulator.ForEachFile([&](sources::simulate::SimulatedFile& file) -> Status {
    std::string decoded;
    codecs::StreamDecompressor inflater("sim", {}, [&](std::string_view bytes) {
      decoded.append(bytes);
      return Status::OK();
    });
    TH_RETURN_IF_ERROR(inflater.Feed(file.body));
    TH_RETURN_IF_ERROR(inflater.Finish());
    // {"Records":[ ... ]} → the records between the brackets.
    size_t open = decoded.find('[');
    size_t close = decoded.rfind(']');
    if (!first) json += ',';
    json.append(decoded, open + 1, close - open - 1);
    first = false;
    *events += file.events;
    return Status::OK();
  }),
        "simulate big file");
  json += "]}";
  *json_bytes = json.size();
  return Check(codecs::GzipCompress(json, 6), "gzip");
}

// The three phases over many small objects (the usual CloudTrail delivery).
void SmallObjects(uint64_t events, int workers, testing::Fauxqs& fauxqs_ref, aws::S3Client& s3,
                  aws::SqsClient& sqs, const std::string& bucket, const TempDir& dir) {
  testing::Fauxqs* fauxqs = &fauxqs_ref;
  const std::string endpoint = fauxqs->endpoint();
  // The objects: uploaded to fauxqs and written to local disk.
  sources::simulate::SimulatorOptions sim;
  sim.events = events;
  sim.seed = 7;
  auto simulator = Check(sources::simulate::CloudTrailSimulator::Create(sim), "simulator");
  Uploaded uploaded;
  std::vector<std::string> local_files;
  Check(simulator.ForEachFile([&](sources::simulate::SimulatedFile& file) -> Status {
    std::string local = dir.Write("local/" + file.key, file.body);
    local_files.push_back(local);
    TH_RETURN_IF_ERROR(s3.PutObject(bucket, file.key, file.body).status());
    uploaded.keys.push_back(file.key);
    uploaded.events += file.events;
    uploaded.json_bytes += file.json_bytes;
    return Status::OK();
  }),
        "upload");
  std::printf(
      "%llu events in %zu objects (%.1f MB JSON), %d workers, 2 pollers, fauxqs on the "
      "same %u cores\n\n",
      static_cast<unsigned long long>(uploaded.events), uploaded.keys.size(),
      static_cast<double>(uploaded.json_bytes) / 1e6, workers, std::thread::hardware_concurrency());

  // Baseline 1: fetch only.
  PhaseResult fetch{"fetch-only", uploaded.events, uploaded.json_bytes};
  {
    PhaseMeter meter(fauxqs->pid());
    std::atomic<size_t> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < workers; ++t) {
      threads.emplace_back([&] {
        for (size_t i = next++; i < uploaded.keys.size(); i = next++) {
          Check(s3.GetObjectToString(bucket, uploaded.keys[i]).status(), "GetObject");
        }
      });
    }
    for (auto& thread : threads) thread.join();
    fetch.wall = meter.wall();
    fetch.self_cpu = meter.self_cpu();
    fetch.fauxqs_cpu = meter.fauxqs_cpu();
  }
  Print(fetch, nullptr);

  // Baseline 2: the same files from local disk into a store.
  PhaseResult local{"local-ingest", uploaded.events, uploaded.json_bytes};
  {
    store::StoreOptions store_options;
    store_options.data_dir = dir.Path("store-local");
    auto store = Check(store::Store::Open(store_options), "Store::Open");
    sinks::StoreSink sink(store.get());
    sources::files::FileIngestOptions options;
    options.workers = workers;
    options.source_name = "bench";
    sources::files::FileIngestProgress progress;
    RssSampler rss;
    PhaseMeter meter(fauxqs->pid());
    Check(sources::files::IngestFiles(local_files, sink, options, progress), "IngestFiles");
    local.wall = meter.wall();
    local.self_cpu = meter.self_cpu();
    local.fauxqs_cpu = meter.fauxqs_cpu();
    local.peak_rss = rss.peak();
  }
  Print(local, nullptr);

  // The source, end to end.
  const std::string queue = Check(sqs.CreateQueue("bench-cloudtrail"), "CreateQueue");
  Notify(sqs, queue, bucket, uploaded.keys);
  PhaseResult source = RunSource("source", fauxqs->pid(), SourceOptions(queue, endpoint, workers),
                                 dir.Path("store-source"), uploaded.events, uploaded.json_bytes,
                                 (uploaded.keys.size() + 2) / 3);
  Print(source, &fetch);
  std::printf("%-13s %.2fx local-ingest\n", "", source.events_per_sec() / local.events_per_sec());
}

// A few ~100 MB objects: RSS stays bounded (run alone, TRAILHOUND_BENCH_EVENTS=0, for a clean
// peak: freed memory of earlier phases stays in the process).
void BigObjects(uint64_t big_objects, uint64_t big_mb, int workers, testing::Fauxqs& fauxqs_ref,
                aws::S3Client& s3, aws::SqsClient& sqs, const std::string& bucket,
                const TempDir& dir) {
  testing::Fauxqs* fauxqs = &fauxqs_ref;
  const std::string endpoint = fauxqs->endpoint();
  {
    Uploaded big;
    for (uint64_t i = 0; i < big_objects; ++i) {
      uint64_t json_bytes = 0;
      std::string body = BigLogFile(big_mb, 100 + i, &big.events, &json_bytes);
      big.json_bytes += json_bytes;
      std::string key =
          "AWSLogs/111122223333/CloudTrail/us-east-1/2025/01/02/"
          "111122223333_CloudTrail_us-east-1_20250102T00" +
          std::to_string(10 + i) + "Z_big" + std::to_string(i) + ".json.gz";
      Check(s3.PutObject(bucket, key, std::move(body)).status(), "PutObject big");
      big.keys.push_back(key);
    }
    const std::string big_queue = Check(sqs.CreateQueue("bench-big"), "CreateQueue");
    for (const auto& key : big.keys) Notify(sqs, big_queue, bucket, {key});
    std::printf("\n%llu big objects of ~%llu MB JSON each (%llu events); RSS before: %.0f MB\n",
                static_cast<unsigned long long>(big_objects),
                static_cast<unsigned long long>(big_mb),
                static_cast<unsigned long long>(big.events), static_cast<double>(RssBytes()) / 1e6);
    PhaseResult big_result =
        RunSource("big-objects", fauxqs->pid(), SourceOptions(big_queue, endpoint, workers),
                  dir.Path("store-big"), big.events, big.json_bytes, big.keys.size());
    Print(big_result, nullptr);
  }
}

int Main() {
  const uint64_t events = EnvOr("TRAILHOUND_BENCH_EVENTS", 300'000);
  const uint64_t big_objects = EnvOr("TRAILHOUND_BENCH_BIG_OBJECTS", 3);
  const uint64_t big_mb = EnvOr("TRAILHOUND_BENCH_BIG_MB", 100);
  const int workers = static_cast<int>(
      EnvOr("TRAILHOUND_BENCH_WORKERS", sources::SqsSourceOptions{}.max_objects_in_flight));

  testing::FauxqsOptions fauxqs_options;
  fauxqs_options.source_dir = TRAILHOUND_SOURCE_DIR;
  auto fauxqs = Check(testing::Fauxqs::Start(fauxqs_options), "start fauxqs");
  const std::string endpoint = fauxqs->endpoint();
  aws::Credentials credentials;
  credentials.access_key_id = "AKIAFAUXQSBENCHKEY00";
  credentials.secret_access_key = Secret("fauxqs-accepts-any-secret");
  auto sender = std::make_shared<aws::AwsRequestSender>(
      aws::MakeCurlHttpTransport(), aws::MakeStaticCredentialsProvider(credentials));
  aws::S3Options s3_options;
  s3_options.endpoint_url = endpoint;
  aws::S3Client s3(sender, s3_options);
  aws::SqsOptions sqs_options;
  sqs_options.endpoint_url = endpoint;
  sqs_options.region = "us-east-1";
  aws::SqsClient sqs(sender, sqs_options);
  const std::string bucket = "bench-cloudtrail";
  Check(s3.CreateBucket(bucket), "CreateBucket");
  TempDir dir("trailhound-source-bench");

  if (events > 0) SmallObjects(events, workers, *fauxqs, s3, sqs, bucket, dir);
  if (big_objects > 0) BigObjects(big_objects, big_mb, workers, *fauxqs, s3, sqs, bucket, dir);
  return 0;
}

}  // namespace
}  // namespace trailhound::bench

int main() { return trailhound::bench::Main(); }
