// Acceptance tests of `trailhound run` as a process, the way an operator runs it: each test
// starts its own fauxqs (S3 + SNS + SQS), writes a YAML config to a temp dir (the API on a
// free 127.0.0.1 port), runs the built binary as a child process and looks at it only from
// outside: the queue (the AWS CLI or an SQS client), `GET /api/sources`, `trailhound status`
// and `trailhound search` (read-only, beside the running server or after it).
//   1. the classic flow set up with the AWS CLI alone;
//   2. volume and every notification shape in one queue, keys with spaces and '+';
//   3. SIGKILL at random moments (seeded PRNG, the seed is printed) and restarts;
//   4. SIGTERM drains what is in flight and exits 0, a restart finishes the rest;
//   5. two sources in one process, each with its own queue, bucket and credentials.
// "Exactly once" is checked as count() == count_distinct(eventID) == the events generated.
// Every child is killed and reaped: RunChild's destructor, and PR_SET_PDEATHSIG when the test
// process itself dies.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "../aws/emulator_checks.h"
#include "aws/s3.h"
#include "aws/sns.h"
#include "aws/sqs.h"
#include "core/temp_dir.h"
#include "notification_bodies.h"
#include "sources/simulate/cloudtrail_simulator.h"
#include "testing/fauxqs.h"
#include "testing/service_process.h"

extern char** environ;

namespace trailhound::testing {
namespace {

using namespace std::chrono_literals;
using Json = nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace sim = sources::simulate;

using checks::AnyCredentials;
using EnvList = std::vector<std::pair<std::string, std::string>>;

// A port nothing listens on right now (the kernel's pick for 127.0.0.1:0); 0 on failure.
int FreePort() {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(addr);
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Polls `done` every `every` until it holds or `timeout` passes; whether it held.
bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout,
               std::chrono::milliseconds every = 200ms) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    if (done()) return true;
    if (Clock::now() >= deadline) return false;
    std::this_thread::sleep_for(every);
  }
}

// `trailhound run --config FILE` as a child process, stdout and stderr appended to a log
// file. The destructor SIGKILLs and reaps it when it still runs; PR_SET_PDEATHSIG kills it
// when the thread that started it dies first.
class RunChild {
 public:
  static std::unique_ptr<RunChild> Start(const std::string& config, const std::string& log,
                                         const EnvList& env = {}) {
    std::vector<std::string> args = {TRAILHOUND_BINARY, "run", "--config", config};
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string_view entry(*e);
      std::string_view key = entry.substr(0, entry.find('='));
      if (std::none_of(env.begin(), env.end(), [&](const auto& kv) { return kv.first == key; })) {
        env_strings.emplace_back(entry);
      }
    }
    for (const auto& [key, value] : env) env_strings.push_back(key + "=" + value);
    std::vector<char*> envp;
    for (std::string& entry : env_strings) envp.push_back(entry.data());
    envp.push_back(nullptr);

    const int out = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    const int in = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (out < 0 || in < 0) return nullptr;
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) {  // only async-signal-safe calls until exec
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);
      if (::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 || ::dup2(out, 2) < 0) ::_exit(127);
      sigset_t none;
      sigemptyset(&none);
      ::sigprocmask(SIG_SETMASK, &none, nullptr);
      ::execve(TRAILHOUND_BINARY, argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(out);
    ::close(in);
    if (pid < 0) return nullptr;
    return std::unique_ptr<RunChild>(new RunChild(pid));
  }

  RunChild(const RunChild&) = delete;
  RunChild& operator=(const RunChild&) = delete;
  ~RunChild() {
    if (pid_ <= 0) return;
    ::kill(pid_, SIGKILL);
    Wait(10s);
  }

  pid_t pid() const { return pid_; }
  bool running() { return Wait(0ms) == kStillRunning; }
  void Signal(int signal) {
    if (pid_ > 0) ::kill(pid_, signal);
  }

  static constexpr int kStillRunning = -1;
  // Waits up to `timeout` for the exit: its exit status, 128 + the signal that killed it, or
  // kStillRunning. Once reaped, the same status again.
  int Wait(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return exit_status_;
    const auto deadline = Clock::now() + timeout;
    while (true) {
      int status = 0;
      pid_t r = ::waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        pid_ = 0;
        return exit_status_;
      }
      if (r < 0 && errno != EINTR) {
        pid_ = 0;
        return exit_status_;
      }
      if (Clock::now() >= deadline) return kStillRunning;
      std::this_thread::sleep_for(10ms);
    }
  }

 private:
  explicit RunChild(pid_t pid) : pid_(pid) {}
  pid_t pid_;
  int exit_status_ = kStillRunning;
};

// ---- the fixture: fauxqs, clients, a temp dir, a port, and what looks at the process ----

class RunProcess : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(dir_.ok());
    auto fauxqs = checks::StartEmulator<Fauxqs, FauxqsOptions>();
    ASSERT_TRUE(fauxqs.ok()) << fauxqs.status().ToString();
    fauxqs_ = std::move(*fauxqs);
    endpoint_ = fauxqs_->endpoint();
    auto sender = checks::MakeSender(AnyCredentials());
    s3_ = std::make_unique<aws::S3Client>(sender, checks::S3OptionsFor(endpoint_));
    sqs_ = std::make_unique<aws::SqsClient>(sender, checks::SqsOptionsFor(endpoint_));
    sns_ = std::make_unique<aws::SnsClient>(sender, checks::SnsOptionsFor(endpoint_));
    port_ = FreePort();
    ASSERT_GT(port_, 0);
    data_ = dir_.Path("data");
    log_ = dir_.Path("run.log");
  }

  // The log of every run so far, for failure messages.
  std::string Log() const {
    std::ifstream in(log_);
    std::stringstream text;
    text << in.rdbuf();
    std::string all = text.str();
    return all.size() > 6000 ? "..." + all.substr(all.size() - 6000) : all;
  }

  // One entry of `sources:`, polling fast (1 s long polls) so that tests and drains are quick.
  std::string SourceYaml(const std::string& name, const std::string& queue_url,
                         const std::string& extra = "", const std::string& credentials = "") const {
    return "  - name: " + name + "\n    queue_url: " + queue_url +
           "\n    endpoint_url: " + endpoint_ + "\n    wait_time_secs: 1\n" + extra +
           "    credentials:\n" +
           (credentials.empty()
                ? std::string("      access_key_id: ") + checks::kAnyAccessKeyId +
                      "\n      secret_access_key: " + checks::kAnySecretAccessKey + "\n"
                : credentials);
  }

  std::string WriteConfig(const std::string& sources, const std::string& store = "") const {
    return dir_.Write("trailhound.yaml", "data_dir: " + data_ + "\nserver:\n  listen: 127.0.0.1:" +
                                             std::to_string(port_) + "\n" + store + "sources:\n" +
                                             sources);
  }

  // Starts `trailhound run` and waits until its API answers (or it exits: nullptr).
  std::unique_ptr<RunChild> StartRun(const std::string& config, const EnvList& env = {}) {
    auto child = RunChild::Start(config, log_, env);
    if (child == nullptr) return nullptr;
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(1s);
    const bool up = WaitUntil(
        [&] {
          if (!child->running()) return true;
          auto response = client.Get("/api/health");
          return response && response->status == 200;
        },
        20s, 20ms);
    if (!up || !child->running()) {
      ADD_FAILURE() << "trailhound run did not come up (exit " << child->Wait(0ms) << "):\n"
                    << Log();
      return nullptr;
    }
    return child;
  }

  // GET /api/sources of the running server; null when it did not answer.
  Json ApiSources() const {
    httplib::Client client("127.0.0.1", port_);
    client.set_connection_timeout(2s);
    client.set_read_timeout(5s);
    auto response = client.Get("/api/sources");
    if (!response || response->status != 200) return Json();
    return Json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  }

  // The source named `name` in /api/sources; null when absent.
  Json ApiSource(const std::string& name) const {
    Json all = ApiSources();
    if (!all.is_array()) return Json();
    for (const Json& source : all) {
      if (source.value("name", "") == name) return source;
    }
    return Json();
  }

  // `trailhound search QUERY --data-dir DATA --format json`, parsed; null on failure.
  Json Search(const std::string& query) const {
    Command command;
    command.name = "trailhound search";
    command.argv = {TRAILHOUND_BINARY, "search", query, "--data-dir", data_, "--format", "json"};
    command.timeout = 60s;
    auto run = RunCommand(command);
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    if (!run.ok()) return Json();
    EXPECT_EQ(run->exit_status, 0) << query << ": " << run->stderr_text;
    if (run->exit_status != 0) return Json();
    Json parsed = Json::parse(run->stdout_text, nullptr, /*allow_exceptions=*/false);
    EXPECT_FALSE(parsed.is_discarded()) << query << " printed no JSON:\n"
                                        << run->stdout_text.substr(0, 2000);
    return parsed.is_discarded() ? Json() : parsed;
  }

  struct Counts {
    int64_t events = -1;     // count()
    int64_t event_ids = -1;  // count_distinct(eventID)
    friend bool operator==(const Counts&, const Counts&) = default;
    friend std::ostream& operator<<(std::ostream& out, const Counts& c) {
      return out << c.events << " events, " << c.event_ids << " distinct eventIDs";
    }
  };
  // How many events match `filter`, and how many distinct eventIDs they have.
  Counts Count(const std::string& filter = "*") const {
    Json result = Search(filter + " | stats count() as events, count_distinct(eventID) as ids");
    Counts counts;
    if (!result.is_object() || !result.contains("rows")) return counts;
    if (result["rows"].empty()) return Counts{0, 0};
    counts.events = result["rows"][0].value("events", int64_t{-1});
    counts.event_ids = result["rows"][0].value("ids", int64_t{-1});
    return counts;
  }
  static Counts Exactly(uint64_t events) {
    return Counts{static_cast<int64_t>(events), static_cast<int64_t>(events)};
  }

  // Messages visible and in flight; -1 when the queue could not be read.
  std::pair<int, int> QueueDepth(const std::string& queue) const {
    auto attributes = sqs_->GetQueueAttributes(
        queue, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"});
    if (!attributes.ok()) return {-1, -1};
    return {std::stoi((*attributes)["ApproximateNumberOfMessages"]),
            std::stoi((*attributes)["ApproximateNumberOfMessagesNotVisible"])};
  }
  int MessagesLeft(const std::string& queue) const {
    auto [visible, in_flight] = QueueDepth(queue);
    return visible < 0 ? -1 : visible + in_flight;
  }

  // Generates the simulated files and puts each in `bucket` under rename(key, index) (the key
  // as it is when `rename` is empty). Returns the keys in order; the events go to `*events`.
  std::vector<std::string> UploadSimulated(
      const std::string& bucket, const sim::SimulatorOptions& options, uint64_t* events,
      const std::function<std::string(const std::string&, size_t)>& rename = nullptr) {
    std::vector<std::string> keys;
    *events = 0;
    auto simulator = sim::CloudTrailSimulator::Create(options);
    EXPECT_TRUE(simulator.ok()) << simulator.status().ToString();
    if (!simulator.ok()) return keys;
    Status uploaded = simulator->ForEachFile([&](sim::SimulatedFile& file) -> Status {
      std::string key = rename ? rename(file.key, keys.size()) : file.key;
      aws::S3PutOptions put;
      put.content_type = "application/json";
      TH_RETURN_IF_ERROR(s3_->PutObject(bucket, key, std::move(file.body), put).status());
      keys.push_back(std::move(key));
      *events += file.events;
      return Status::OK();
    });
    EXPECT_TRUE(uploaded.ok()) << uploaded.ToString();
    return keys;
  }

  // The messages CloudTrail would send for `keys`: one to three keys each, in order.
  static std::vector<std::string> CloudTrailMessages(const std::string& bucket,
                                                     const std::vector<std::string>& keys) {
    std::vector<std::string> bodies;
    for (size_t i = 0, n = 1; i < keys.size(); i += n, n = n % 3 + 1) {
      const size_t end = std::min(keys.size(), i + n);
      bodies.push_back(CloudTrailMessage(bucket, {keys.begin() + i, keys.begin() + end}));
    }
    return bodies;
  }

  TempDir dir_{"trailhound-run-process"};
  std::unique_ptr<Fauxqs> fauxqs_;
  std::string endpoint_;
  std::unique_ptr<aws::S3Client> s3_;
  std::unique_ptr<aws::SqsClient> sqs_;
  std::unique_ptr<aws::SnsClient> sns_;
  int port_ = 0;
  std::string data_;
  std::string log_;
};

// Sends `bodies` to `queue` from its own thread, spread evenly over `duration`, so that a
// test can crash or stop the collector while notifications keep arriving. Joined (early,
// when asked to stop) by the destructor.
class PacedSender {
 public:
  PacedSender(const std::string& endpoint, std::string queue, std::vector<std::string> bodies,
              std::chrono::milliseconds duration)
      : thread_([this, endpoint, queue = std::move(queue), bodies = std::move(bodies),
                 duration](std::stop_token stop) {
          aws::SqsClient sqs(checks::MakeSender(AnyCredentials()), checks::SqsOptionsFor(endpoint));
          const auto start = Clock::now();
          for (size_t i = 0; i < bodies.size() && !stop.stop_requested(); ++i) {
            const int64_t n = static_cast<int64_t>(bodies.size());
            std::this_thread::sleep_until(
                start + std::chrono::milliseconds(duration.count() * static_cast<int64_t>(i) / n));
            if (!sqs.SendMessage(queue, bodies[i]).ok()) {
              failed_ = true;
              return;
            }
            ++sent_;
          }
        }) {}

  // Waits for the last message; true when every one was sent.
  bool Finish(size_t expected) {
    if (thread_.joinable()) thread_.join();
    return !failed_ && sent_ == expected;
  }
  size_t sent() const { return sent_; }

 private:
  std::atomic<bool> failed_{false};
  std::atomic<size_t> sent_{0};
  std::jthread thread_;
};

// ---- 1. The classic flow, set up and fed with the AWS CLI alone ----

TEST_F(RunProcess, ClassicFlowWithTheAwsCliStoresEveryEventAndEmptiesTheQueue) {
  const auto started = Clock::now();
  // Every call is one `aws` process (~0.6 s each): the console steps, the upload, the
  // notification and the final look at the queue, eight calls in all.
  auto aws = [&](std::vector<std::string> args) {
    Command command;
    command.name = "aws " + args[0] + " " + args[1];
    command.argv = {"aws", "--endpoint-url", endpoint_, "--output", "text"};
    command.argv.insert(command.argv.end(), args.begin(), args.end());
    command.env = {
        {"AWS_ACCESS_KEY_ID", "AKIACLASSICFLOW00000"}, {"AWS_SECRET_ACCESS_KEY", "classic-secret"},
        {"AWS_DEFAULT_REGION", "us-east-1"},           {"AWS_CONFIG_FILE", "/dev/null"},
        {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},  {"AWS_PAGER", ""}};
    command.timeout = 60s;
    auto run = RunCommand(command);
    EXPECT_TRUE(run.ok()) << run.status().ToString();
    if (!run.ok()) return std::string("<failed>");
    EXPECT_EQ(run->exit_status, 0) << command.name << ": " << run->stderr_text;
    std::string out = run->stdout_text;
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
    return out;
  };
  const std::string bucket = "classic-trail-logs";
  aws({"s3api", "create-bucket", "--bucket", bucket});
  const std::string topic =
      aws({"sns", "create-topic", "--name", "cloudtrail-notify", "--query", "TopicArn"});
  const std::string queue =
      aws({"sqs", "create-queue", "--queue-name", "cloudtrail-siem", "--query", "QueueUrl"});
  const std::string queue_arn =
      aws({"sqs", "get-queue-attributes", "--queue-url", queue, "--attribute-names", "QueueArn",
           "--query", "Attributes.QueueArn"});
  ASSERT_TRUE(queue_arn.starts_with("arn:aws:sqs:")) << queue_arn;
  aws({"sns", "subscribe", "--topic-arn", topic, "--protocol", "sqs", "--notification-endpoint",
       queue_arn});

  // CloudTrail delivers its log files (gzipped JSON in the AWSLogs/ layout): one
  // `aws s3 cp --recursive` uploads them, then one SNS notification names them all.
  sim::SimulatorOptions options;
  options.events = 300;
  options.max_events_per_file = 100;
  options.accounts = {"123456789012"};
  options.regions = {"us-east-1"};
  options.seed = 11;
  auto simulator = sim::CloudTrailSimulator::Create(options);
  ASSERT_TRUE(simulator.ok());
  std::vector<std::string> keys;
  uint64_t events = 0;
  ASSERT_TRUE(simulator
                  ->ForEachFile([&](sim::SimulatedFile& file) -> Status {
                    keys.push_back(file.key);
                    events += file.events;
                    dir_.Write("upload/" + file.key, file.body);
                    return Status::OK();
                  })
                  .ok());
  ASSERT_EQ(events, options.events);
  ASSERT_GE(keys.size(), 2u);
  aws({"s3", "cp", "--recursive", "--only-show-errors", dir_.Path("upload"), "s3://" + bucket,
       "--content-type", "application/json"});
  aws({"sns", "publish", "--topic-arn", topic, "--message", CloudTrailMessage(bucket, keys)});

  auto run = StartRun(WriteConfig(SourceYaml("cloudtrail-main", queue)));
  ASSERT_NE(run, nullptr);
  Json source;
  ASSERT_TRUE(WaitUntil(
      [&] {
        source = ApiSource("cloudtrail-main");
        return source.is_object() && source["counters"]["messages_deleted"] == 1;
      },
      30s))
      << source.dump() << "\n"
      << Log();
  EXPECT_EQ(source["counters"]["events_stored"], events);
  EXPECT_EQ(source["counters"]["objects_fetched"], keys.size());
  EXPECT_EQ(source["status"], "Running") << source.dump();
  // A reader beside the running server sees every event once.
  EXPECT_EQ(Count(), Exactly(events));
  Json one = Search("eventID:\"" + Search("*")["events"][0]["eventID"].get<std::string>() + "\"");
  EXPECT_EQ(one["total"], 1);
  EXPECT_EQ(one["events"][0]["_source"], "cloudtrail-main");

  Command status;
  status.name = "trailhound status";
  status.argv = {TRAILHOUND_BINARY, "status", "--url", "http://127.0.0.1:" + std::to_string(port_)};
  auto printed = RunCommand(status);
  ASSERT_TRUE(printed.ok()) << printed.status().ToString();
  EXPECT_EQ(printed->exit_status, 0) << printed->stderr_text;
  EXPECT_NE(printed->stdout_text.find("cloudtrail-main"), std::string::npos);
  EXPECT_NE(printed->stdout_text.find("Running"), std::string::npos) << printed->stdout_text;

  // The queue ends empty: the message was deleted, not left to come back.
  EXPECT_EQ(aws({"sqs", "get-queue-attributes", "--queue-url", queue, "--attribute-names",
                 "ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "--query",
                 "[Attributes.ApproximateNumberOfMessages,"
                 "Attributes.ApproximateNumberOfMessagesNotVisible]"}),
            "0\t0");
  run->Signal(SIGTERM);
  EXPECT_EQ(run->Wait(60s), 0) << Log();
  EXPECT_EQ(Count(), Exactly(events)) << "after the server stopped";
  std::printf("classic flow: %llu events in %.1f s\n", static_cast<unsigned long long>(events),
              SecondsSince(started));
}

// ---- 2. Volume, every notification shape, awkward keys ----

TEST_F(RunProcess, TenThousandEventsInEveryShapeAreStoredOnceAndTheUnknownBodyIsReported) {
  const auto started = Clock::now();
  const std::string bucket = "shapes-trail-logs";
  ASSERT_TRUE(s3_->CreateBucket(bucket).ok());
  auto queue = sqs_->CreateQueue("shapes-siem");
  ASSERT_TRUE(queue.ok()) << queue.status().ToString();
  auto attributes = sqs_->GetQueueAttributes(*queue, {"QueueArn"});
  ASSERT_TRUE(attributes.ok());
  const std::string queue_arn = (*attributes)["QueueArn"];
  // Two topics on the same queue: one delivers SNS envelopes, one raw messages.
  auto enveloped = sns_->CreateTopic("shapes-enveloped");
  auto raw = sns_->CreateTopic("shapes-raw");
  ASSERT_TRUE(enveloped.ok() && raw.ok());
  ASSERT_TRUE(sns_->Subscribe(*enveloped, "sqs", queue_arn).ok());
  ASSERT_TRUE(sns_->Subscribe(*raw, "sqs", queue_arn, {{"RawMessageDelivery", "true"}}).ok());

  sim::SimulatorOptions options;
  options.events = 12'000;
  options.seed = 2024;
  options.max_events_per_file = 150;
  uint64_t events = 0;
  // Every third file gets a space and a '+' in its name, every seventh a trail prefix with both.
  const std::vector<std::string> keys =
      UploadSimulated(bucket, options, &events, [](const std::string& key, size_t i) {
        std::string renamed = key;
        if (i % 3 == 0) renamed.insert(renamed.size() - 8, " my logs+x" + std::to_string(i));
        if (i % 7 == 0) renamed = "team logs+sec/" + renamed;
        return renamed;
      });
  ASSERT_EQ(events, options.events);
  ASSERT_GE(keys.size(), 100u);
  ASSERT_TRUE(std::any_of(keys.begin(), keys.end(), [](const std::string& k) {
    return k.find(' ') != std::string::npos && k.find('+') != std::string::npos;
  }));

  // The shapes take turns; a message names one to three keys (EventBridge: one each).
  size_t messages = 0;
  for (size_t i = 0, turn = 0; i < keys.size(); ++turn) {
    const size_t n = std::min<size_t>(keys.size() - i, turn % 3 + 1);
    const std::vector<std::string> group(keys.begin() + i, keys.begin() + i + n);
    i += n;
    switch (turn % 5) {
      case 0:  // CloudTrail through SNS, in the envelope
        ASSERT_TRUE(sns_->Publish(*enveloped, CloudTrailMessage(bucket, group)).ok());
        ++messages;
        break;
      case 1:  // CloudTrail through SNS with raw message delivery
        ASSERT_TRUE(sns_->Publish(*raw, CloudTrailMessage(bucket, group)).ok());
        ++messages;
        break;
      case 2:  // S3 Event Notification straight to the queue
        ASSERT_TRUE(sqs_->SendMessage(*queue, S3Event(bucket, group)).ok());
        ++messages;
        break;
      case 3:  // S3 Event Notification through SNS
        ASSERT_TRUE(sns_->Publish(*enveloped, S3Event(bucket, group)).ok());
        ++messages;
        break;
      default:  // EventBridge "Object Created", one object per event
        for (const std::string& key : group) {
          ASSERT_TRUE(sqs_->SendMessage(*queue, EventBridge(bucket, key)).ok());
          ++messages;
        }
        break;
    }
  }
  ASSERT_TRUE(sqs_->SendMessage(*queue, Json{{"Service", "Amazon S3"},
                                             {"Event", "s3:TestEvent"},
                                             {"Time", "2025-01-01T00:00:00.000Z"},
                                             {"Bucket", bucket},
                                             {"RequestId", "5582815E1AEA5ADF"},
                                             {"HostId", "8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB"}}
                                            .dump())
                  .ok());
  auto unknown = sqs_->SendMessage(*queue, R"({"hello":"this is no notification"})");
  ASSERT_TRUE(unknown.ok());
  messages += 2;
  ASSERT_TRUE(WaitUntil([&] { return MessagesLeft(*queue) == static_cast<int>(messages); }, 10s))
      << "SNS fan-out did not deliver every message: " << MessagesLeft(*queue);
  const double delivered_at = SecondsSince(started);

  auto run = StartRun(WriteConfig(SourceYaml("cloudtrail-main", *queue)));
  ASSERT_NE(run, nullptr);
  Json source;
  ASSERT_TRUE(WaitUntil(
      [&] {
        source = ApiSource("cloudtrail-main");
        return source.is_object() &&
               source["counters"]["messages_deleted"].get<size_t>() +
                       source["counters"]["messages_unrecognized"].get<size_t>() >=
                   messages;
      },
      120s))
      << source.dump() << "\n"
      << Log();
  const double ingested_at = SecondsSince(started);
  const Json& counters = source["counters"];
  EXPECT_EQ(counters["messages_deleted"], messages - 1) << source.dump();
  EXPECT_EQ(counters["messages_ignored"], 1) << "the s3:TestEvent";
  EXPECT_GE(counters["messages_unrecognized"], 1);
  EXPECT_EQ(counters["objects_fetched"], keys.size());
  EXPECT_EQ(counters["objects_skipped"], 0);
  EXPECT_EQ(counters["objects_failed"], 0);
  EXPECT_EQ(counters["events_stored"], events);
  EXPECT_EQ(counters["events_duplicate"], 0);
  // The unknown body is reported with its message id, and the source is Degraded for it.
  EXPECT_EQ(source["status"], "Degraded") << source.dump();
  ASSERT_TRUE(source["last_error"].is_string()) << source.dump();
  EXPECT_NE(source["last_error"].get<std::string>().find(*unknown), std::string::npos)
      << source["last_error"];
  // It alone stays in the queue (hidden until SQS re-delivers it, then to a DLQ).
  EXPECT_EQ(MessagesLeft(*queue), 1);

  EXPECT_EQ(Count(), Exactly(events));
  // The running server's own search API agrees, and knows no other source.
  httplib::Client client("127.0.0.1", port_);
  auto response =
      client.Get("/api/search", {{"q", "* | stats count() as n by _source"}}, httplib::Headers{});
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;
  Json rows = Json::parse(response->body)["rows"];
  ASSERT_EQ(rows.size(), 1u) << rows.dump();
  EXPECT_EQ(rows[0]["_source"], "cloudtrail-main");
  EXPECT_EQ(rows[0]["n"], events);

  run->Signal(SIGTERM);
  EXPECT_EQ(run->Wait(60s), 0) << Log();
  std::printf("shapes: %llu events, %zu files, %zu messages; sent in %.1f s, stored by %.1f s\n",
              static_cast<unsigned long long>(events), keys.size(), messages, delivered_at,
              ingested_at);
}

// ---- 3. SIGKILL at random moments ----

TEST_F(RunProcess, KilledAtRandomMomentsEveryEventIsStoredExactlyOnce) {
  const auto started = Clock::now();
  const std::string bucket = "crash-trail-logs";
  ASSERT_TRUE(s3_->CreateBucket(bucket).ok());
  auto queue = sqs_->CreateQueue("crash-siem");
  ASSERT_TRUE(queue.ok());
  sim::SimulatorOptions options;
  options.events = 6000;
  options.seed = 77;
  options.max_events_per_file = 40;
  uint64_t events = 0;
  const std::vector<std::string> keys = UploadSimulated(bucket, options, &events);
  ASSERT_EQ(events, options.events);
  ASSERT_GE(keys.size(), 150u);
  const std::vector<std::string> bodies = CloudTrailMessages(bucket, keys);

  // Small segments and frequent flushes, so that kills also land in flushes and merges; a
  // 5 s visibility timeout, so that what a killed process held comes back soon.
  const std::string config =
      WriteConfig(SourceYaml("cloudtrail-main", *queue,
                             "    visibility_timeout_secs: 5\n    max_objects_in_flight: 4\n"),
                  "store:\n  flush_interval_secs: 1\n  max_memtable_mb: 1\n");

  uint64_t seed = std::random_device{}();
  if (const char* fixed = std::getenv("TRAILHOUND_CRASH_SEED")) {
    seed = std::strtoull(fixed, nullptr, 10);
  }
  std::printf("kill moments from seed %llu (set TRAILHOUND_CRASH_SEED to replay)\n",
              static_cast<unsigned long long>(seed));
  RecordProperty("crash_seed", std::to_string(seed));
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> delay_ms(100, 1800);

  // Notifications keep arriving while the collector crashes and restarts.
  PacedSender sender(endpoint_, *queue, bodies, 7s);
  constexpr int kKills = 6;
  for (int kill = 1; kill <= kKills; ++kill) {
    auto run = RunChild::Start(config, log_);
    ASSERT_NE(run, nullptr);
    const int delay = delay_ms(random);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    ASSERT_TRUE(run->running()) << "run exited before kill " << kill << ":\n" << Log();
    run->Signal(SIGKILL);
    ASSERT_EQ(run->Wait(10s), 128 + SIGKILL);
    // A reader copes with what the crash left (a torn WAL tail, a half-written segment).
    const Counts stored = Count();
    auto [visible, in_flight] = QueueDepth(*queue);
    std::printf(
        "kill %d after %d ms: %lld events stored (%lld distinct); %zu/%zu sent, queue "
        "%d visible + %d in flight\n",
        kill, delay, static_cast<long long>(stored.events),
        static_cast<long long>(stored.event_ids), sender.sent(), bodies.size(), visible, in_flight);
    ASSERT_EQ(stored.events, stored.event_ids) << "a duplicate after kill " << kill;
    ASSERT_LE(stored.events, static_cast<int64_t>(events));
  }
  ASSERT_TRUE(sender.Finish(bodies.size())) << "the notifications were not all sent";

  // The last run finishes: messages held by killed runs come back after 5 s.
  auto run = StartRun(config);
  ASSERT_NE(run, nullptr);
  Counts stored;
  EXPECT_TRUE(WaitUntil(
      [&] {
        if (MessagesLeft(*queue) != 0) return false;
        stored = Count();
        return stored.events >= static_cast<int64_t>(events);
      },
      90s, 300ms))
      << "queue " << MessagesLeft(*queue) << ", stored " << stored.events << "\n"
      << Log();
  Json source = ApiSource("cloudtrail-main");
  EXPECT_EQ(source["status"], "Running") << source.dump();
  run->Signal(SIGTERM);
  EXPECT_EQ(run->Wait(60s), 0) << "SIGTERM must drain and exit 0\n" << Log();
  EXPECT_EQ(Count(), Exactly(events));
  EXPECT_EQ(MessagesLeft(*queue), 0);
  std::printf("crashes: %llu events in %zu files, %d kills, done in %.1f s\n",
              static_cast<unsigned long long>(events), keys.size(), kKills, SecondsSince(started));
}

// ---- 4. SIGTERM drains what is in flight ----

TEST_F(RunProcess, SigtermDrainsInFlightObjectsExitsZeroAndARestartFinishesTheRest) {
  const auto started = Clock::now();
  const std::string bucket = "drain-trail-logs";
  ASSERT_TRUE(s3_->CreateBucket(bucket).ok());
  auto queue = sqs_->CreateQueue("drain-siem");
  ASSERT_TRUE(queue.ok());
  sim::SimulatorOptions options;
  options.events = 10'000;
  options.seed = 99;
  options.max_events_per_file = 400;
  uint64_t events = 0;
  const std::vector<std::string> keys = UploadSimulated(bucket, options, &events);
  ASSERT_EQ(events, options.events);
  const std::vector<std::string> bodies = CloudTrailMessages(bucket, keys);
  const std::string config =
      WriteConfig(SourceYaml("cloudtrail-main", *queue,
                             "    visibility_timeout_secs: 30\n    max_objects_in_flight: 2\n"));

  PacedSender sender(endpoint_, *queue, bodies, 8s);
  auto run = StartRun(config);
  ASSERT_NE(run, nullptr);
  // SIGTERM at a moment when messages are received and not yet deleted, after some events
  // were stored.
  Json source;
  uint64_t in_flight = 0;
  ASSERT_TRUE(WaitUntil(
      [&] {
        source = ApiSource("cloudtrail-main");
        if (!source.is_object()) return false;
        const Json& c = source["counters"];
        const uint64_t received = c["messages_received"];
        const uint64_t done = c["messages_deleted"].get<uint64_t>() +
                              c["messages_ignored"].get<uint64_t>() +
                              c["messages_unrecognized"].get<uint64_t>();
        in_flight = received > done ? received - done : 0;
        return in_flight > 0 && c["events_stored"].get<uint64_t>() > 0 &&
               sender.sent() >= bodies.size() / 4;
      },
      30s, 5ms))
      << source.dump();
  const auto sigterm_at = Clock::now();
  run->Signal(SIGTERM);
  const int exit_status = run->Wait(70s);
  const double drain_secs = SecondsSince(sigterm_at);
  EXPECT_EQ(exit_status, 0) << Log();
  EXPECT_LT(drain_secs, 60.0) << "longer than the drain timeout";
  const std::string log = Log();
  EXPECT_NE(log.find("stopped cleanly"), std::string::npos) << log;
  EXPECT_EQ(log.find("did not finish within"), std::string::npos) << "the drain timed out";
  // Drained: everything it had received was stored and deleted; nothing is left hidden.
  auto [visible, hidden] = QueueDepth(*queue);
  EXPECT_EQ(hidden, 0) << "messages left in flight by a clean stop";
  const Counts after_stop = Count();
  EXPECT_EQ(after_stop.events, after_stop.event_ids);
  EXPECT_GT(after_stop.events, 0);
  EXPECT_LT(after_stop.events, static_cast<int64_t>(events)) << "nothing left for the restart";
  std::printf(
      "SIGTERM with %llu messages in flight, %zu/%zu sent: exit %d after %.2f s; %lld "
      "events stored, %d messages visible\n",
      static_cast<unsigned long long>(in_flight), sender.sent(), bodies.size(), exit_status,
      drain_secs, static_cast<long long>(after_stop.events), visible);

  ASSERT_TRUE(sender.Finish(bodies.size()));
  run = StartRun(config);
  ASSERT_NE(run, nullptr);
  EXPECT_TRUE(WaitUntil(
      [&] {
        source = ApiSource("cloudtrail-main");
        return MessagesLeft(*queue) == 0 && source.is_object() &&
               source["counters"]["messages_deleted"].get<uint64_t>() > 0;
      },
      60s))
      << source.dump() << "\n"
      << Log();
  run->Signal(SIGTERM);
  EXPECT_EQ(run->Wait(60s), 0) << Log();
  EXPECT_EQ(Count(), Exactly(events));
  std::printf("drain: %llu events in %zu files, done in %.1f s\n",
              static_cast<unsigned long long>(events), keys.size(), SecondsSince(started));
}

// ---- 5. Two sources in one process ----

TEST_F(RunProcess, TwoSourcesWithTheirOwnQueuesAndCredentialsKeepTheirEventsApart) {
  const auto started = Clock::now();
  struct Source {
    std::string name, bucket, account, queue;
    uint64_t events = 0;
  };
  std::vector<Source> sources = {{"org-main", "org-main-logs", "111111111111", ""},
                                 {"audit-account", "audit-logs", "222222222222", ""}};
  for (size_t n = 0; n < sources.size(); ++n) {
    Source& source = sources[n];
    ASSERT_TRUE(s3_->CreateBucket(source.bucket).ok());
    auto queue = sqs_->CreateQueue(source.name + "-siem");
    ASSERT_TRUE(queue.ok());
    source.queue = *queue;
    sim::SimulatorOptions options;
    options.events = n == 0 ? 1500 : 2500;
    options.seed = 500 + n;
    options.accounts = {source.account};
    options.max_events_per_file = 100;
    const std::vector<std::string> keys = UploadSimulated(source.bucket, options, &source.events);
    ASSERT_EQ(source.events, options.events);
    for (const std::string& body : CloudTrailMessages(source.bucket, keys)) {
      ASSERT_TRUE(sqs_->SendMessage(source.queue, body).ok());
    }
  }
  // The first source has its key in the config; the second takes its secret and session
  // token from environment variables named in the config.
  const std::string config =
      WriteConfig(SourceYaml(sources[0].name, sources[0].queue) +
                  SourceYaml(sources[1].name, sources[1].queue, "",
                             "      access_key_id: ASIAAUDITACCOUNT0000\n"
                             "      secret_access_key_env: TRAILHOUND_TEST_AUDIT_SECRET\n"
                             "      session_token_env: TRAILHOUND_TEST_AUDIT_TOKEN\n"));
  auto run = StartRun(config, {{"TRAILHOUND_TEST_AUDIT_SECRET", "audit-secret"},
                               {"TRAILHOUND_TEST_AUDIT_TOKEN", "audit-session-token"}});
  ASSERT_NE(run, nullptr);
  Json all;
  ASSERT_TRUE(WaitUntil(
      [&] {
        if (MessagesLeft(sources[0].queue) != 0 || MessagesLeft(sources[1].queue) != 0) {
          return false;
        }
        all = ApiSources();
        if (!all.is_array() || all.size() != 2) return false;
        for (const Json& source : all) {
          const uint64_t stored = source["counters"]["events_stored"];
          if (stored !=
              (source["name"] == sources[0].name ? sources[0].events : sources[1].events)) {
            return false;
          }
        }
        return true;
      },
      60s))
      << all.dump() << "\n"
      << Log();
  for (const Json& source : all) {
    EXPECT_EQ(source["status"], "Running") << source.dump();
    EXPECT_EQ(source["last_error"], nullptr) << source.dump();
  }

  // Each event once, under its own source's name and only there.
  Json rows = Search(
      "* | stats count() as n, count_distinct(eventID) as ids, "
      "count_distinct(recipientAccountId) as accounts by _source | sort _source")["rows"];
  ASSERT_EQ(rows.size(), 2u) << rows.dump();
  EXPECT_EQ(rows[0]["_source"], sources[1].name);  // "audit-account" < "org-main"
  EXPECT_EQ(rows[0]["n"], sources[1].events);
  EXPECT_EQ(rows[0]["ids"], sources[1].events);
  EXPECT_EQ(rows[0]["accounts"], 1);
  EXPECT_EQ(rows[1]["_source"], sources[0].name);
  EXPECT_EQ(rows[1]["n"], sources[0].events);
  EXPECT_EQ(rows[1]["ids"], sources[0].events);
  EXPECT_EQ(rows[1]["accounts"], 1);
  for (const Source& source : sources) {
    EXPECT_EQ(Count("_source:" + source.name), Exactly(source.events)) << source.name;
    EXPECT_EQ(Count("_source:" + source.name + " AND recipientAccountId:" + source.account),
              Exactly(source.events))
        << source.name;
  }
  run->Signal(SIGTERM);
  EXPECT_EQ(run->Wait(60s), 0) << Log();
  std::printf("two sources: %llu + %llu events in %.1f s\n",
              static_cast<unsigned long long>(sources[0].events),
              static_cast<unsigned long long>(sources[1].events), SecondsSince(started));
}

}  // namespace
}  // namespace trailhound::testing
