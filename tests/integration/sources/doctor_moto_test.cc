// `trailhound doctor` against moto with IAM enforcement: the collector's IAM user gets
// exactly the policy `trailhound policy` prints (aws/policy.h), and every check passes;
// removing any one permission of that policy makes the check that needs it fail, naming the
// missing action; each classic misconfiguration (wrong secret, unknown queue, missing object,
// wrong bucket region, AccessDenied on the object) fails its check with the fix; the sample
// message is put back untouched; the binary exits 1 when a check fails; and `trailhound run`'s
// source and `trailhound backfill` work with exactly that policy.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "../aws/emulator_checks.h"
#include "aws/policy.h"
#include "aws/s3.h"
#include "aws/sqs.h"
#include "core/temp_dir.h"
#include "sinks/store_sink.h"
#include "sources/simulate/cloudtrail_simulator.h"
#include "sources/sqs_s3/doctor.h"
#include "sources/sqs_s3/sqs_source.h"
#include "store/store.h"
#include "testing/command.h"
#include "testing/moto.h"

namespace trailhound::testing {
namespace {

using sources::CheckResult;
using sources::DoctorReport;

constexpr char kAccount[] = "123456789012";  // moto's account id
constexpr char kBucket[] = "doctor-trail-logs";
constexpr char kQueue[] = "doctor-siem";

std::string QueueArn(const std::string& queue) {
  return std::string("arn:aws:sqs:us-east-1:") + kAccount + ":" + queue;
}

// The policy `trailhound policy --bucket doctor-trail-logs [--prefix P] --queue-arn ...`
// prints, with `drop` (an action) removed from it.
std::string PrintedPolicy(const std::string& drop = "", const std::string& queue = kQueue,
                          const std::string& prefix = "") {
  aws::PolicyOptions options;
  options.bucket = kBucket;
  options.prefix = prefix;
  options.queue_arn = QueueArn(queue);
  auto inputs = aws::CheckPolicyOptions(options);
  EXPECT_TRUE(inputs.ok());
  aws::PolicyJson policy = aws::CollectorIamPolicy(*inputs);
  aws::PolicyJson kept = aws::PolicyJson::array();
  for (auto statement : policy["Statement"]) {
    if (statement["Action"].is_array()) {
      aws::PolicyJson actions = aws::PolicyJson::array();
      for (const auto& action : statement["Action"]) {
        if (action != drop) actions.push_back(action);
      }
      statement["Action"] = actions;
      if (actions.empty()) continue;
    } else if (statement["Action"] == drop) {
      continue;
    }
    kept.push_back(statement);
  }
  policy["Statement"] = kept;
  return policy.dump();
}

const sources::DoctorCheck& Check(const DoctorReport& report, const std::string& id) {
  for (const auto& check : report.checks) {
    if (check.id == id) return check;
  }
  static const sources::DoctorCheck kMissing{"missing", "", CheckResult::kSkip, "", ""};
  ADD_FAILURE() << "no check " << id;
  return kMissing;
}

std::string Describe(const DoctorReport& report) { return sources::FormatDoctorReport(report); }

class DoctorOnMoto : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto moto = checks::StartEmulator<Moto, MotoOptions>();
    if (!moto.ok()) {
      start_error_ = moto.status().ToString();
      return;
    }
    moto_ = std::move(*moto).release();
    // The classic set-up, as the admin: a bucket with three days of log files from two
    // regions, a queue with a DLQ, and CloudTrail's notification of the first file in the
    // queue.
    auto sender = checks::MakeSender(moto_->admin());
    aws::S3Client s3(sender, checks::S3OptionsFor(moto_->endpoint()));
    aws::SqsClient sqs(sender, checks::SqsOptionsFor(moto_->endpoint()));
    EXPECT_TRUE(s3.CreateBucket(kBucket).ok());
    auto dlq = sqs.CreateQueue(std::string(kQueue) + "-dlq");
    ASSERT_TRUE(dlq.ok()) << dlq.status().ToString();
    auto queue = sqs.CreateQueue(
        kQueue,
        {{"VisibilityTimeout", "30"},
         {"RedrivePolicy", R"({"deadLetterTargetArn":")" + QueueArn(std::string(kQueue) + "-dlq") +
                               R"(","maxReceiveCount":"5"})"}});
    ASSERT_TRUE(queue.ok()) << queue.status().ToString();
    queue_url_ = *queue;
    sources::simulate::SimulatorOptions sim;
    sim.events = 600;
    sim.seed = 5;
    sim.accounts = {kAccount};
    sim.regions = {"us-east-1", "eu-west-1"};
    sim.span_secs = 3 * 86400;  // 2025-01-01 to 2025-01-03
    sim.max_events_per_file = 12;
    auto simulator = sources::simulate::CloudTrailSimulator::Create(sim);
    ASSERT_TRUE(simulator.ok());
    std::string key;
    ASSERT_TRUE(simulator
                    ->ForEachFile([&](sources::simulate::SimulatedFile& file) -> Status {
                      if (key.empty()) key = file.key;
                      ++files_;
                      return s3.PutObject(kBucket, file.key, file.body).status();
                    })
                    .ok());
    key_ = key;
    events_ = sim.events;
    ASSERT_TRUE(sqs.SendMessage(queue_url_, Notification(key_)).ok());
  }

  static std::string Notification(const std::string& key) {
    return R"({"Type":"Notification","MessageId":"m","TopicArn":"arn:aws:sns:us-east-1:)" +
           std::string(kAccount) + R"(:ct","Message":"{\"s3Bucket\":\")" + kBucket +
           R"(\",\"s3ObjectKey\":[\")" + key + R"(\"]}","Timestamp":"2025-01-01T00:00:00.000Z"})";
  }

  static void TearDownTestSuite() {
    delete moto_;
    moto_ = nullptr;
  }

  void SetUp() override { ASSERT_NE(moto_, nullptr) << start_error_; }

  // A collector user named `name` with `policy`.
  static aws::Credentials Collector(const std::string& name, const std::string& policy) {
    auto user = moto_->CreateUser(name, policy);
    EXPECT_TRUE(user.ok()) << user.status().ToString();
    return user.ok() ? *user : aws::Credentials{};
  }

  static sources::SqsSourceOptions Source(const aws::Credentials& credentials,
                                          const std::string& queue_url = queue_url_) {
    sources::SqsSourceOptions options;
    options.name = "doctor";
    options.queue_url = queue_url;
    options.region = checks::kRegion;
    options.endpoint_url = moto_->endpoint();
    options.credentials.access_key_id = credentials.access_key_id;
    options.credentials.secret_access_key = credentials.secret_access_key;
    return options;
  }

  static DoctorReport Run(const sources::SqsSourceOptions& options) {
    sources::DoctorOptions doctor;
    doctor.receive_wait_secs = 2;
    return sources::RunDoctor(options, aws::ProcessCredentialsEnvironment(), doctor);
  }

  static inline Moto* moto_ = nullptr;
  static inline std::string start_error_;
  static inline std::string queue_url_;
  static inline std::string key_;
  static inline uint64_t events_ = 0;  // in the bucket
  static inline uint64_t files_ = 0;
};

// A configuration with one source, cloudtrail-main, reading the fixture's queue as `collector`
// (its secret in a file beside), storing into dir/data.
std::string WriteConfig(const TempDir& dir, const aws::Credentials& collector,
                        const std::string& queue_url, const std::string& endpoint) {
  const std::string secret = dir.Write("secret", collector.secret_access_key.Reveal());
  return dir.Write("trailhound.yaml",
                   "data_dir: " + dir.Path("data") +
                       "\nsources:\n  - name: cloudtrail-main\n    queue_url: " + queue_url +
                       "\n    region: us-east-1\n    endpoint_url: " + endpoint +
                       "\n    credentials:\n      access_key_id: " + collector.access_key_id +
                       "\n      secret_access_key_file: " + secret + "\n");
}

TEST_F(DoctorOnMoto, ThePrintedPolicyPassesEveryCheckAndTheMessageIsPutBack) {
  const aws::Credentials collector = Collector("doctor-ok", PrintedPolicy());
  DoctorReport report = Run(Source(collector));
  EXPECT_TRUE(report.ok()) << Describe(report);
  for (const auto& check : report.checks) {
    EXPECT_EQ(check.result, CheckResult::kPass) << check.id << "\n" << Describe(report);
  }
  EXPECT_NE(Check(report, "credentials").detail.find("user/doctor-ok"), std::string::npos);
  EXPECT_NE(Check(report, "object").detail.find(key_), std::string::npos);
  EXPECT_EQ(Check(report, "bucket_region").detail, "us-east-1 (detected)");
  // The sample message is visible again: the admin receives it at once.
  aws::SqsClient sqs(checks::MakeSender(moto_->admin()), checks::SqsOptionsFor(moto_->endpoint()));
  aws::SqsReceiveOptions receive;
  receive.max_messages = 1;
  receive.wait_time_secs = 1;
  auto messages = sqs.ReceiveMessage(queue_url_, receive);
  ASSERT_TRUE(messages.ok()) << messages.status().ToString();
  ASSERT_EQ(messages->size(), 1u);
  EXPECT_NE(messages->front().body.find(key_), std::string::npos);
  // And back again for the other tests.
  EXPECT_TRUE(sqs.ChangeMessageVisibility(queue_url_, messages->front().receipt_handle, 0).ok());
}

TEST_F(DoctorOnMoto, RunWorksWithExactlyThePrintedPolicy) {
  // The source itself with the same policy: receive, fetch, store, delete (moto authorizes the
  // batch delete as its own action; the source falls back to single deletes, see sqs_source.cc).
  aws::SqsClient admin(checks::MakeSender(moto_->admin()),
                       checks::SqsOptionsFor(moto_->endpoint()));
  auto queue = admin.CreateQueue("doctor-run");
  ASSERT_TRUE(queue.ok());
  ASSERT_TRUE(admin.SendMessage(*queue, Notification(key_)).ok());
  const aws::Credentials collector = Collector("doctor-run", PrintedPolicy("", "doctor-run"));
  TempDir dir("trailhound-doctor-run");
  store::StoreOptions store_options;
  store_options.data_dir = dir.path();
  auto store = store::Store::Open(store_options);
  ASSERT_TRUE(store.ok());
  sinks::StoreSink sink(store->get());
  sources::SqsSourceOptions options = Source(collector, *queue);
  options.wait_time_secs = 1;
  auto source = sources::SqsSource::Create(options, &sink, aws::ProcessCredentialsEnvironment());
  ASSERT_TRUE(source.ok());
  (*source)->Start();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((*source)->status().counters.messages_deleted < 1 &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  (*source)->Stop();
  const auto status = (*source)->status();
  EXPECT_EQ(status.counters.messages_deleted, 1u)
      << (status.last_error ? status.last_error->message : "");
  EXPECT_GT(status.counters.events_stored, 0u);
  EXPECT_EQ((*store)->stats().events, status.counters.events_stored);
  auto left = admin.GetQueueAttributes(
      *queue, {"ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"});
  ASSERT_TRUE(left.ok());
  EXPECT_EQ((*left)["ApproximateNumberOfMessages"], "0");
  EXPECT_EQ((*left)["ApproximateNumberOfMessagesNotVisible"], "0");
}

TEST_F(DoctorOnMoto, RemovingAnyPermissionFailsTheCheckThatNeedsIt) {
  const std::vector<std::pair<std::string, std::string>> needs = {
      {"sqs:GetQueueAttributes", "queue"},
      {"sqs:ReceiveMessage", "receive"},
      {"sqs:ChangeMessageVisibility", "receive"},
      {"sqs:DeleteMessage", "delete"},
      {"s3:GetObject", "object"},
      {"s3:ListBucket", "list"},
      {"s3:GetBucketLocation", "bucket_region"},
  };
  aws::SqsClient admin(checks::MakeSender(moto_->admin()),
                       checks::SqsOptionsFor(moto_->endpoint()));
  int n = 0;
  for (const auto& [action, check_id] : needs) {
    // A queue of its own each time: without ChangeMessageVisibility the sample message stays
    // hidden for 30 s.
    const std::string name = "doctor-minus-" + std::to_string(n++);
    auto queue = admin.CreateQueue(name);
    ASSERT_TRUE(queue.ok()) << queue.status().ToString();
    ASSERT_TRUE(admin.SendMessage(*queue, Notification(key_)).ok());
    const aws::Credentials collector = Collector(name, PrintedPolicy(action, name));
    DoctorReport report = Run(Source(collector, *queue));
    EXPECT_FALSE(report.ok()) << action << "\n" << Describe(report);
    const auto& check = Check(report, check_id);
    EXPECT_EQ(check.result, CheckResult::kFail) << action << "\n" << Describe(report);
    EXPECT_NE(check.fix.find(action), std::string::npos) << action << ": the fix should name it\n"
                                                         << Describe(report);
  }
}

TEST_F(DoctorOnMoto, AWrongSecretFailsTheCredentials) {
  aws::Credentials collector = Collector("doctor-secret", PrintedPolicy());
  collector.secret_access_key = Secret("not-the-secret-of-this-key-0000000000000");
  DoctorReport report = Run(Source(collector));
  EXPECT_FALSE(report.ok());
  const auto& check = Check(report, "credentials");
  EXPECT_EQ(check.result, CheckResult::kFail) << Describe(report);
  EXPECT_NE(check.fix.find("secret"), std::string::npos) << check.fix;
  EXPECT_EQ(Describe(report).find("not-the-secret"), std::string::npos);  // never printed
}

TEST_F(DoctorOnMoto, AnUnknownQueueFailsTheQueueCheck) {
  const aws::Credentials collector =
      Collector("doctor-noqueue", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                                  R"("Action":["sqs:*","s3:*"],"Resource":"*"}]})");
  const std::string missing = moto_->endpoint() + "/" + kAccount + "/no-such-queue";
  DoctorReport report = Run(Source(collector, missing));
  EXPECT_FALSE(report.ok());
  const auto& check = Check(report, "queue");
  EXPECT_EQ(check.result, CheckResult::kFail) << Describe(report);
  EXPECT_NE(check.fix.find("does not exist"), std::string::npos) << check.fix;
  EXPECT_EQ(Check(report, "receive").result, CheckResult::kSkip);
}

TEST_F(DoctorOnMoto, AMissingObjectAWrongRegionAndDeniedObjectEachFailTheirCheck) {
  // A queue of its own whose only message names an object that does not exist.
  aws::SqsClient admin(checks::MakeSender(moto_->admin()),
                       checks::SqsOptionsFor(moto_->endpoint()));
  auto gone_queue = admin.CreateQueue("doctor-gone");
  ASSERT_TRUE(gone_queue.ok());
  const std::string gone_key = "AWSLogs/" + std::string(kAccount) +
                               "/CloudTrail/us-east-1/2025/01/01/" + kAccount +
                               "_CloudTrail_us-east-1_20250101T0000Z_gone.json.gz";
  ASSERT_TRUE(admin.SendMessage(*gone_queue, Notification(gone_key)).ok());
  const aws::Credentials all =
      Collector("doctor-all", R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                              R"("Action":["sqs:*","s3:*"],"Resource":"*"}]})");
  DoctorReport gone = Run(Source(all, *gone_queue));
  EXPECT_EQ(Check(gone, "object").result, CheckResult::kFail) << Describe(gone);
  EXPECT_NE(Check(gone, "object").fix.find("is gone"), std::string::npos) << Describe(gone);

  sources::SqsSourceOptions wrong_region = Source(all);
  wrong_region.bucket_region = "eu-west-1";
  DoctorReport region = Run(wrong_region);
  EXPECT_EQ(Check(region, "bucket_region").result, CheckResult::kFail) << Describe(region);
  EXPECT_NE(Check(region, "bucket_region").fix.find("bucket_region: us-east-1"), std::string::npos)
      << Describe(region);

  DoctorReport denied = Run(Source(Collector("doctor-denied", PrintedPolicy("s3:GetObject"))));
  const auto& object = Check(denied, "object");
  EXPECT_EQ(object.result, CheckResult::kFail) << Describe(denied);
  EXPECT_NE(object.fix.find("arn:aws:s3:::doctor-trail-logs/*"), std::string::npos) << object.fix;
  EXPECT_NE(object.fix.find("kms:Decrypt"), std::string::npos) << object.fix;
}

TEST_F(DoctorOnMoto, TheCommandPrintsTheChecklistAndExitsOneOnFailure) {
  aws::Credentials collector = Collector("doctor-cli", PrintedPolicy("s3:GetObject"));
  TempDir dir("trailhound-doctor");
  const std::string config = WriteConfig(dir, collector, queue_url_, moto_->endpoint());
  const CommandRun run = RunCommand(std::string(TRAILHOUND_BINARY) +
                                    " doctor --wait-secs 2 --config " + ShellQuote(config));
  const std::string& out = run.out;
  EXPECT_EQ(run.status, 1) << out;
  EXPECT_NE(out.find("Source 'cloudtrail-main'"), std::string::npos) << out;
  EXPECT_NE(out.find("✓ Credentials are valid"), std::string::npos) << out;
  EXPECT_NE(out.find("✗ The object it names is readable"), std::string::npos) << out;
  EXPECT_NE(out.find("fix: Allow s3:GetObject"), std::string::npos) << out;
  EXPECT_EQ(out.find(collector.secret_access_key.Reveal()), std::string::npos);
}

TEST_F(DoctorOnMoto, BackfillWorksWithExactlyThePrintedPolicy) {
  // `trailhound backfill` lists accounts, regions and day prefixes (s3:ListBucket with a
  // prefix and a delimiter), learns the bucket's region (s3:GetBucketLocation) and fetches
  // every file (s3:GetObject): the printed policy allows exactly that.
  TempDir dir("trailhound-backfill-moto");
  const std::string config =
      WriteConfig(dir, Collector("backfill-ok", PrintedPolicy()), queue_url_, moto_->endpoint());
  const std::string backfill = std::string(TRAILHOUND_BINARY) + " backfill --config " +
                               ShellQuote(config) + " --source cloudtrail-main --bucket " +
                               kBucket + " --from 2025-01-01 --to 2025-01-03 --jobs 4";
  const CommandRun first = RunCommand(backfill);
  ASSERT_EQ(first.status, 0) << first.out;
  EXPECT_NE(first.out.find("for 1 account and 2 regions: " + std::to_string(files_) +
                           " objects read (0 failed) in 6 day prefixes"),
            std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find(std::to_string(events_) + " events stored, 0 already stored"),
            std::string::npos)
      << first.out;
  {
    store::StoreOptions options;
    options.data_dir = dir.Path("data");
    options.read_only = true;
    auto store = store::Store::Open(options);
    ASSERT_TRUE(store.ok()) << store.status().ToString();
    EXPECT_EQ((*store)->stats().events, events_);
  }
  // Without the checkpoint every file is read again, and every event is already stored.
  std::filesystem::remove_all(dir.Path("data/backfill"));
  const CommandRun again = RunCommand(backfill);
  ASSERT_EQ(again.status, 0) << again.out;
  EXPECT_NE(again.out.find("0 events stored, " + std::to_string(events_) + " already stored"),
            std::string::npos)
      << again.out;

  // Without s3:ListBucket nothing can be listed: the command fails and names the permission.
  TempDir denied_dir("trailhound-backfill-moto-denied");
  const std::string denied_config =
      WriteConfig(denied_dir, Collector("backfill-nolist", PrintedPolicy("s3:ListBucket")),
                  queue_url_, moto_->endpoint());
  const CommandRun denied = RunCommand(
      std::string(TRAILHOUND_BINARY) + " backfill --config " + ShellQuote(denied_config) +
      " --source cloudtrail-main --bucket " + kBucket + " --from 2025-01-01 --to 2025-01-03");
  EXPECT_NE(denied.status, 0) << denied.out;
  EXPECT_NE(denied.out.find("s3:ListBucket"), std::string::npos) << denied.out;
  EXPECT_NE(denied.out.find("arn:aws:s3:::doctor-trail-logs"), std::string::npos) << denied.out;
}

TEST_F(DoctorOnMoto, BackfillWithAPrefixWorksWithThePrefixedPolicy) {
  // A trail with the S3 key prefix "org": the printed policy lets the collector list only
  // under "org/" (a condition on s3:prefix) and read only org/AWSLogs/*.
  auto s3 =
      aws::S3Client(checks::MakeSender(moto_->admin()), checks::S3OptionsFor(moto_->endpoint()));
  sources::simulate::SimulatorOptions sim;
  sim.events = 90;
  sim.seed = 9;
  sim.accounts = {kAccount};
  sim.regions = {"us-east-1"};
  sim.max_events_per_file = 30;
  auto simulator = sources::simulate::CloudTrailSimulator::Create(sim);
  ASSERT_TRUE(simulator.ok());
  ASSERT_TRUE(simulator
                  ->ForEachFile([&](sources::simulate::SimulatedFile& file) -> Status {
                    return s3.PutObject(kBucket, "org/" + file.key, file.body).status();
                  })
                  .ok());
  TempDir dir("trailhound-backfill-moto-prefix");
  const std::string config =
      WriteConfig(dir, Collector("backfill-prefix", PrintedPolicy("", kQueue, "org")), queue_url_,
                  moto_->endpoint());
  const std::string backfill = std::string(TRAILHOUND_BINARY) + " backfill --config " +
                               ShellQuote(config) + " --source cloudtrail-main --bucket " +
                               kBucket + " --from 2025-01-01 --to 2025-01-01";
  const CommandRun prefixed = RunCommand(backfill + " --prefix org");
  ASSERT_EQ(prefixed.status, 0) << prefixed.out;
  EXPECT_NE(prefixed.out.find("90 events stored, 0 already stored"), std::string::npos)
      << prefixed.out;
  // The same user may not list the logs outside its prefix.
  const CommandRun outside = RunCommand(backfill);
  EXPECT_NE(outside.status, 0) << outside.out;
  EXPECT_NE(outside.out.find("s3:ListBucket"), std::string::npos) << outside.out;
}

}  // namespace
}  // namespace trailhound::testing
