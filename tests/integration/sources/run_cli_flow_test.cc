// The classic flow with the AWS CLI as the only client, against fauxqs: bucket, topic,
// queue and subscription created by `aws` commands as the console steps would; a
// CloudTrail-style log file uploaded and CloudTrail's SNS notification published by `aws`;
// `trailhound run` (a child process) stores every event and deletes the message, and the
// queue ends empty. `trailhound status` reports the source Running.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>

#include "core/temp_dir.h"
#include "store/store.h"
#include "testing/fauxqs.h"

namespace trailhound::testing {
namespace {

using namespace std::chrono_literals;

struct CommandRun {
  int status = -1;
  std::string out;
};

CommandRun Sh(const std::string& command) {
  CommandRun run;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return run;
  std::array<char, 4096> buffer;
  size_t n;
  while ((n = std::fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    run.out.append(buffer.data(), n);
  int status = ::pclose(pipe);
  run.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  while (!run.out.empty() && (run.out.back() == '\n' || run.out.back() == '\r')) run.out.pop_back();
  return run;
}

TEST(ClassicFlow, TheAwsCliSetsItUpAndTrailhoundRunStoresEveryEvent) {
  ASSERT_EQ(Sh("aws --version").status, 0) << "the AWS CLI comes with the machine image";
  FauxqsOptions options;
  options.source_dir = TRAILHOUND_SOURCE_DIR;
  auto fauxqs = Fauxqs::Start(options);
  ASSERT_TRUE(fauxqs.ok()) << fauxqs.status().ToString();
  TempDir dir("trailhound-classic");
  const std::string aws =
      "AWS_ACCESS_KEY_ID=AKIACLASSICFLOW00000 AWS_SECRET_ACCESS_KEY=x "
      "AWS_DEFAULT_REGION=us-east-1 AWS_CONFIG_FILE=/dev/null "
      "AWS_SHARED_CREDENTIALS_FILE=/dev/null aws --output text "
      "--endpoint-url " +
      (*fauxqs)->endpoint() + " ";

  // The console steps.
  ASSERT_EQ(Sh(aws + "s3api create-bucket --bucket classic-trail-logs").status, 0);
  CommandRun topic = Sh(aws + "sns create-topic --name ct-notify --query TopicArn");
  ASSERT_EQ(topic.status, 0) << topic.out;
  CommandRun queue = Sh(aws + "sqs create-queue --queue-name classic-siem --query QueueUrl");
  ASSERT_EQ(queue.status, 0) << queue.out;
  CommandRun queue_arn = Sh(aws + "sqs get-queue-attributes --queue-url " + queue.out +
                            " --attribute-names QueueArn --query Attributes.QueueArn");
  ASSERT_EQ(queue_arn.status, 0) << queue_arn.out;
  ASSERT_EQ(Sh(aws + "sns subscribe --topic-arn " + topic.out +
               " --protocol sqs --notification-endpoint " + queue_arn.out)
                .status,
            0);

  // CloudTrail delivers a log file: upload, then the SNS notification.
  const std::string key =
      "AWSLogs/123456789012/CloudTrail/us-east-1/2025/01/01/"
      "123456789012_CloudTrail_us-east-1_20250101T0000Z_classic.json.gz";
  std::string records;
  for (int i = 0; i < 25; ++i) {
    records += std::string(i ? "," : "") +
               R"({"eventVersion":"1.08","eventTime":"2025-01-01T00:0)" + std::to_string(i % 10) +
               R"(:00Z","eventSource":"s3.amazonaws.com","eventName":"GetObject",)"
               R"("awsRegion":"us-east-1","sourceIPAddress":"203.0.113.7",)"
               R"("userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::123456789012:user/alice"},)"
               R"("eventID":"classic-)" +
               std::to_string(i) + R"(","recipientAccountId":"123456789012"})";
  }
  const std::string json = dir.Write("log.json", R"({"Records":[)" + records + "]}");
  ASSERT_EQ(Sh("gzip -k " + json).status, 0);
  ASSERT_EQ(Sh(aws + "s3api put-object --bucket classic-trail-logs --key " + key + " --body " +
               json + ".gz --content-type application/json")
                .status,
            0);
  const std::string message =
      R"({\"s3Bucket\":\"classic-trail-logs\",\"s3ObjectKey\":[\")" + key + R"(\"]})";
  ASSERT_EQ(
      Sh(aws + "sns publish --topic-arn " + topic.out + " --message \"" + message + "\"").status,
      0);

  // trailhound run.
  const std::string data = dir.Path("data");
  const std::string config =
      dir.Write("trailhound.yaml", "data_dir: " + data +
                                       "\nserver:\n  listen: 127.0.0.1:0\nsources:\n"
                                       "  - name: cloudtrail-main\n    queue_url: " +
                                       queue.out + "\n    endpoint_url: " + (*fauxqs)->endpoint() +
                                       "\n    wait_time_secs: 1\n    credentials:\n"
                                       "      access_key_id: AKIACLASSICFLOW00000\n"
                                       "      secret_access_key: x\n");
  const std::string log = dir.Path("run.log");
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::freopen(log.c_str(), "w", stdout);
    ::dup2(::fileno(stdout), 2);
    ::execl(TRAILHOUND_BINARY, TRAILHOUND_BINARY, "run", "--config", config.c_str(), nullptr);
    ::_exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  std::string left = "1";
  while (std::chrono::steady_clock::now() < deadline) {
    CommandRun attributes =
        Sh(aws + "sqs get-queue-attributes --queue-url " + queue.out +
           " --attribute-names ApproximateNumberOfMessages ApproximateNumberOfMessagesNotVisible"
           " --query '[Attributes.ApproximateNumberOfMessages,"
           "Attributes.ApproximateNumberOfMessagesNotVisible]'");
    left = attributes.out;
    if (attributes.status == 0 && left == "0\t0") break;
    std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(left, "0\t0") << "the queue ends empty";
  // trailhound status finds the server through the log line that names the port.
  CommandRun port = Sh("sed -n 's|.*API on http://127.0.0.1:\\([0-9]*\\)/.*|\\1|p' " + log);
  CommandRun status =
      Sh(std::string(TRAILHOUND_BINARY) + " status --url http://127.0.0.1:" + port.out);
  EXPECT_EQ(status.status, 0) << status.out;
  EXPECT_NE(status.out.find("Running"), std::string::npos) << status.out;
  ::kill(pid, SIGTERM);
  int wait_status = 0;
  ASSERT_EQ(::waitpid(pid, &wait_status, 0), pid);
  EXPECT_TRUE(WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0);

  store::StoreOptions read;
  read.data_dir = data;
  read.read_only = true;
  auto store = store::Store::Open(read);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  EXPECT_EQ((*store)->stats().events, 25u);
}

}  // namespace
}  // namespace trailhound::testing
