// `trailhound run` as a process. Killed with SIGKILL at random moments while it ingests from a real
// queue (fauxqs), restarted each time on the same data directory: in the end every event is stored
// exactly once — the WAL replays what was acknowledged, dedup absorbs what SQS re-delivers,
// and no message was deleted before its events were durable. Then SIGTERM drains and exits 0.
// The kill moments come from a seeded PRNG; the seed is printed so that a failure can be
// replayed (TRAILHOUND_CRASH_SEED).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "../aws/emulator_checks.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "core/temp_dir.h"
#include "query/parser.h"
#include "sources/simulate/cloudtrail_simulator.h"
#include "store/search.h"
#include "store/store.h"
#include "testing/fauxqs.h"

extern char** environ;

namespace trailhound::testing {
namespace {

using namespace std::chrono_literals;

aws::Credentials AnyCredentials() {
  aws::Credentials credentials;
  credentials.access_key_id = "AKIAFAUXQSTESTKEY000";
  credentials.secret_access_key = Secret("fauxqs-accepts-any-secret");
  return credentials;
}

// `trailhound run --config FILE` as a child process, output appended to `log`.
pid_t StartRun(const std::string& config, const std::string& log) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  std::vector<std::string> args = {TRAILHOUND_BINARY, "run", "--config", config};
  std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  int error = posix_spawn(&pid, TRAILHOUND_BINARY, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

// Waits for the child; its exit status, or 128 + signal.
int Reap(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int MessagesLeft(aws::SqsClient& sqs, const std::string& queue) {
  auto attributes = sqs.GetQueueAttributes(
      queue, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"});
  if (!attributes.ok()) return -1;
  return std::stoi((*attributes)["ApproximateNumberOfMessages"]) +
         std::stoi((*attributes)["ApproximateNumberOfMessagesNotVisible"]);
}

TEST(RunCrash, KilledFiveTimesEveryEventIsStoredExactlyOnce) {
  FauxqsOptions fauxqs_options;
  fauxqs_options.source_dir = TRAILHOUND_SOURCE_DIR;
  auto fauxqs = Fauxqs::Start(fauxqs_options);
  ASSERT_TRUE(fauxqs.ok()) << fauxqs.status().ToString();
  const std::string endpoint = (*fauxqs)->endpoint();
  auto sender = checks::MakeSender(AnyCredentials());
  aws::S3Client s3(sender, checks::S3OptionsFor(endpoint));
  aws::SqsClient sqs(sender, checks::SqsOptionsFor(endpoint));
  const std::string bucket = "crash-trail-logs";
  ASSERT_TRUE(s3.CreateBucket(bucket).ok());
  auto queue = sqs.CreateQueue("crash-siem");
  ASSERT_TRUE(queue.ok());

  sources::simulate::SimulatorOptions sim;
  sim.events = 24000;
  sim.seed = 31;
  sim.max_events_per_file = 40;
  auto simulator = sources::simulate::CloudTrailSimulator::Create(sim);
  ASSERT_TRUE(simulator.ok());
  std::vector<std::string> keys;
  ASSERT_TRUE(simulator
                  ->ForEachFile([&](sources::simulate::SimulatedFile& file) -> Status {
                    keys.push_back(file.key);
                    return s3.PutObject(bucket, file.key, std::move(file.body)).status();
                  })
                  .ok());
  for (size_t i = 0; i < keys.size(); i += 3) {
    std::string list;
    for (size_t j = i; j < std::min(keys.size(), i + 3); ++j) {
      list += (list.empty() ? "\"" : ",\"") + keys[j] + "\"";
    }
    ASSERT_TRUE(
        sqs.SendMessage(*queue, R"({"s3Bucket":")" + bucket + R"(","s3ObjectKey":[)" + list + "]}")
            .ok());
  }

  TempDir dir("trailhound-crash");
  const std::string data = dir.Path("data");
  const std::string log = dir.Path("run.log");
  const std::string config =
      dir.Write("trailhound.yaml", "data_dir: " + data +
                                       "\nserver:\n  listen: 127.0.0.1:0\nsources:\n"
                                       "  - name: cloudtrail-main\n    queue_url: " +
                                       *queue + "\n    endpoint_url: " + endpoint +
                                       "\n    wait_time_secs: 1\n    visibility_timeout_secs: 30\n"
                                       "    max_objects_in_flight: 4\n    credentials:\n"
                                       "      access_key_id: AKIAFAUXQSTESTKEY000\n"
                                       "      secret_access_key: fauxqs-accepts-any-secret\n");

  uint64_t seed = std::random_device{}();
  if (const char* fixed = std::getenv("TRAILHOUND_CRASH_SEED"))
    seed = std::strtoull(fixed, nullptr, 10);
  std::printf("kill moments from seed %llu (TRAILHOUND_CRASH_SEED)\n",
              static_cast<unsigned long long>(seed));
  std::mt19937_64 random(seed);
  std::uniform_int_distribution<int> delay_ms(100, 800);
  for (int kill = 0; kill < 5; ++kill) {
    pid_t pid = StartRun(config, log);
    ASSERT_GT(pid, 0);
    const int delay = delay_ms(random);
    std::this_thread::sleep_for(std::chrono::milliseconds(delay));
    ASSERT_EQ(::kill(pid, SIGKILL), 0);
    EXPECT_EQ(Reap(pid), 128 + SIGKILL);
    std::printf("kill %d after %d ms; %d messages left\n", kill + 1, delay,
                MessagesLeft(sqs, *queue));
  }

  // The last run drains the queue (messages in flight at the kills come back after 30 s).
  pid_t pid = StartRun(config, log);
  ASSERT_GT(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + 150s;
  while (MessagesLeft(sqs, *queue) != 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(250ms);
  }
  EXPECT_EQ(MessagesLeft(sqs, *queue), 0);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  EXPECT_EQ(Reap(pid), 0) << "SIGTERM must drain and exit 0; see " << log;

  store::StoreOptions read;
  read.data_dir = data;
  read.read_only = true;
  auto store = store::Store::Open(read);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->stats().events, sim.events);
  auto query = query::ParseQuery("| stats count() as n, count_distinct(eventID) as ids");
  ASSERT_TRUE(query.ok());
  auto result = store::Search(**store, *query, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->rows.size(), 1u);
  EXPECT_EQ(result->rows[0][0], query::Value{static_cast<int64_t>(sim.events)});
  EXPECT_EQ(result->rows[0][1], query::Value{static_cast<int64_t>(sim.events)});
}

// Two sources in one process, each with its own queue, bucket and kind of credentials (an
// inline key; a key whose secret is in an environment variable): every event once, stored
// under its own source's name.
TEST(RunCrash, TwoSourcesInOneProcessKeepTheirEventsApart) {
  FauxqsOptions fauxqs_options;
  fauxqs_options.source_dir = TRAILHOUND_SOURCE_DIR;
  auto fauxqs = Fauxqs::Start(fauxqs_options);
  ASSERT_TRUE(fauxqs.ok()) << fauxqs.status().ToString();
  const std::string endpoint = (*fauxqs)->endpoint();
  auto sender = checks::MakeSender(AnyCredentials());
  aws::S3Client s3(sender, checks::S3OptionsFor(endpoint));
  aws::SqsClient sqs(sender, checks::SqsOptionsFor(endpoint));
  std::string queues[2];
  uint64_t events[2] = {1500, 2500};
  for (int n = 0; n < 2; ++n) {
    const std::string bucket = "account-" + std::to_string(n) + "-logs";
    ASSERT_TRUE(s3.CreateBucket(bucket).ok());
    auto queue = sqs.CreateQueue("account-" + std::to_string(n) + "-siem");
    ASSERT_TRUE(queue.ok());
    queues[n] = *queue;
    sources::simulate::SimulatorOptions sim;
    sim.events = events[n];
    sim.seed = 100 + static_cast<uint64_t>(n);
    sim.accounts = {n == 0 ? "111111111111" : "222222222222"};
    auto simulator = sources::simulate::CloudTrailSimulator::Create(sim);
    ASSERT_TRUE(simulator.ok());
    ASSERT_TRUE(simulator
                    ->ForEachFile([&](sources::simulate::SimulatedFile& file) -> Status {
                      TH_RETURN_IF_ERROR(s3.PutObject(bucket, file.key, file.body).status());
                      return sqs
                          .SendMessage(*queue, R"({"s3Bucket":")" + bucket +
                                                   R"(","s3ObjectKey":[")" + file.key + R"("]})")
                          .status();
                    })
                    .ok());
  }
  TempDir dir("trailhound-two-sources");
  const std::string data = dir.Path("data");
  const std::string config = dir.Write(
      "trailhound.yaml",
      "data_dir: " + data + "\nserver:\n  listen: 127.0.0.1:0\nsources:\n" +
          "  - name: account-a\n    queue_url: " + queues[0] + "\n    endpoint_url: " + endpoint +
          "\n    wait_time_secs: 1\n    credentials:\n      access_key_id: AKIAACCOUNTA00000000\n"
          "      secret_access_key: secret-a\n" +
          "  - name: account-b\n    queue_url: " + queues[1] + "\n    endpoint_url: " + endpoint +
          "\n    wait_time_secs: 1\n    credentials:\n      access_key_id: AKIAACCOUNTB00000000\n"
          "      secret_access_key_env: TRAILHOUND_TEST_SECRET_B\n");
  ::setenv("TRAILHOUND_TEST_SECRET_B", "secret-b", 1);
  pid_t pid = StartRun(config, dir.Path("run.log"));
  ASSERT_GT(pid, 0);
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while ((MessagesLeft(sqs, queues[0]) != 0 || MessagesLeft(sqs, queues[1]) != 0) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  EXPECT_EQ(Reap(pid), 0);
  store::StoreOptions read;
  read.data_dir = data;
  read.read_only = true;
  auto store = store::Store::Open(read);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto query = query::ParseQuery(
      "| stats count() as n, count_distinct(recipientAccountId) as "
      "accounts by _source | sort _source");
  ASSERT_TRUE(query.ok());
  auto result = store::Search(**store, *query, {});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  ASSERT_EQ(result->rows.size(), 2u);
  EXPECT_EQ(result->rows[0][0], query::Value{std::string("account-a")});
  EXPECT_EQ(result->rows[0][1], query::Value{static_cast<int64_t>(events[0])});
  EXPECT_EQ(result->rows[0][2], query::Value{int64_t{1}});
  EXPECT_EQ(result->rows[1][0], query::Value{std::string("account-b")});
  EXPECT_EQ(result->rows[1][1], query::Value{static_cast<int64_t>(events[1])});
}

}  // namespace
}  // namespace trailhound::testing
