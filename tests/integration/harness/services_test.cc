// The service harness: fauxqs and moto start on 127.0.0.1, answer, enforce what
// they should, and never outlive the test that started them, even when that test
// process is SIGKILLed.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include "testing/fauxqs.h"
#include "testing/moto.h"
#include "testing/service_process.h"

namespace trailhound::testing {
namespace {

using std::chrono::milliseconds;

FauxqsOptions TestFauxqsOptions() {
  FauxqsOptions options;
  options.source_dir = TRAILHOUND_SOURCE_DIR;
  return options;
}

MotoOptions TestMotoOptions() {
  MotoOptions options;
  options.source_dir = TRAILHOUND_SOURCE_DIR;
  return options;
}

bool GoneWithin(pid_t pid, milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!ProcessIsGone(pid)) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(milliseconds(20));
  }
  return true;
}

// The local addresses ("0100007F" is 127.0.0.1) of the sockets listening on `port`.
std::vector<std::string> ListeningAddresses(int port) {
  std::vector<std::string> addresses;
  for (const char* table : {"/proc/net/tcp", "/proc/net/tcp6"}) {
    std::ifstream in(table);
    std::string line;
    std::getline(in, line);  // header
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string slot, local, remote, state;
      fields >> slot >> local >> remote >> state;
      size_t colon = local.rfind(':');
      if (state == "0A" && std::stoi(local.substr(colon + 1), nullptr, 16) == port) {
        addresses.push_back(local.substr(0, colon));
      }
    }
  }
  return addresses;
}

// Forks a child that starts fauxqs and then dies (by SIGKILL or by _exit, so no
// destructor runs); returns the PID of the fauxqs server it left behind.
pid_t StartFauxqsInAChildThatDies(bool sigkill) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return -1;
  pid_t child = fork();
  if (child == 0) {
    close(fds[0]);
    auto fauxqs = Fauxqs::Start(TestFauxqsOptions());
    pid_t service = fauxqs.ok() ? (*fauxqs)->pid() : -1;
    ssize_t ignored = write(fds[1], &service, sizeof(service));
    (void)ignored;
    if (sigkill) raise(SIGKILL);
    _exit(0);
  }
  close(fds[1]);
  pid_t service = -1;
  if (read(fds[0], &service, sizeof(service)) != sizeof(service)) service = -1;
  close(fds[0]);
  int status = 0;
  waitpid(child, &status, 0);
  return service;
}

TEST(Fauxqs, ListensOnLoopbackOnlyAndAnswersHealth) {
  auto fauxqs = Fauxqs::Start(TestFauxqsOptions());
  ASSERT_TRUE(fauxqs.ok()) << fauxqs.status().ToString();
  Fauxqs& f = **fauxqs;
  EXPECT_GT(f.port(), 0);
  EXPECT_EQ(f.endpoint(), "http://127.0.0.1:" + std::to_string(f.port()));
  EXPECT_TRUE(f.Health().ok()) << f.Health().ToString();
  EXPECT_EQ(ListeningAddresses(f.port()), std::vector<std::string>{"0100007F"});
}

TEST(Fauxqs, ReturnsQueueUrlsOnSqsRegionLocalhost) {
  auto fauxqs = Fauxqs::Start(TestFauxqsOptions());
  ASSERT_TRUE(fauxqs.ok()) << fauxqs.status().ToString();
  Fauxqs& f = **fauxqs;
  httplib::Client client("127.0.0.1", f.port());
  httplib::Headers headers = {{"X-Amz-Target", "AmazonSQS.CreateQueue"}};
  auto plain = client.Post("/", headers, R"({"QueueName":"plain"})", "application/x-amz-json-1.0");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 200);
  EXPECT_EQ(plain->body, R"({"QueueUrl":")" + f.QueueUrl("plain") + R"("})");

  headers.emplace("Authorization",
                  "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20250101/ap-northeast-3/sqs/"
                  "aws4_request, SignedHeaders=host, Signature=0");
  auto osaka = client.Post("/", headers, R"({"QueueName":"osaka"})", "application/x-amz-json-1.0");
  ASSERT_TRUE(osaka);
  EXPECT_EQ(osaka->body, R"({"QueueUrl":")" + f.QueueUrl("osaka", "ap-northeast-3") + R"("})");
}

TEST(ServiceProcess, StopsTheServiceCleanlyWithSigterm) {
  auto fauxqs = Fauxqs::Start(TestFauxqsOptions());
  ASSERT_TRUE(fauxqs.ok()) << fauxqs.status().ToString();
  pid_t pid = (*fauxqs)->pid();
  Status stopped = (*fauxqs)->process().Stop();
  EXPECT_TRUE(stopped.ok()) << stopped.ToString();
  EXPECT_EQ((*fauxqs)->pid(), 0);
  EXPECT_TRUE(ProcessIsGone(pid));
}

TEST(ServiceProcess, DestructorLeavesNoProcessBehind) {
  pid_t pid = 0;
  {
    auto fauxqs = Fauxqs::Start(TestFauxqsOptions());
    ASSERT_TRUE(fauxqs.ok()) << fauxqs.status().ToString();
    pid = (*fauxqs)->pid();
    EXPECT_FALSE(ProcessIsGone(pid));
  }
  EXPECT_TRUE(ProcessIsGone(pid));
}

TEST(ServiceProcess, ServiceDiesWhenItsParentIsKilled) {
  pid_t service = StartFauxqsInAChildThatDies(/*sigkill=*/true);
  ASSERT_GT(service, 0) << "the child could not start fauxqs";
  EXPECT_TRUE(GoneWithin(service, std::chrono::seconds(5))) << "orphan PID " << service;
}

TEST(ServiceProcess, ServiceDiesWhenItsParentExitsWithoutCleanup) {
  pid_t service = StartFauxqsInAChildThatDies(/*sigkill=*/false);
  ASSERT_GT(service, 0) << "the child could not start fauxqs";
  EXPECT_TRUE(GoneWithin(service, std::chrono::seconds(5))) << "orphan PID " << service;
}

// Without PR_SET_PDEATHSIG (started by a shell that exits at once), each server
// script notices that its parent died and exits by itself.
TEST(ServiceProcess, ServerScriptsExitWhenTheirParentDies) {
  for (const char* script :
       {"node scripts/services/fauxqs-server.mjs", "python3 scripts/services/moto-server.py"}) {
    Command command;
    command.name = script;
    command.argv = {
        "sh", "-c",
        std::string("cd \"$0\" && { ") + script + " --parent-pid $$ >/dev/null 2>&1 & echo $!; }",
        TRAILHOUND_SOURCE_DIR};
    auto output = RunCommand(command);
    ASSERT_TRUE(output.ok()) << output.status().ToString();
    pid_t orphan = std::stoi(output->stdout_text);
    EXPECT_TRUE(GoneWithin(orphan, std::chrono::seconds(20))) << script << ": orphan " << orphan;
  }
}

TEST(ServiceProcess, ReportsAServiceThatExitsBeforeItIsReady) {
  Command command{"failing", {"sh", "-c", "echo boom >&2; exit 3"}, {}, milliseconds(5000)};
  auto process = ServiceProcess::Start(command);
  ASSERT_FALSE(process.ok());
  EXPECT_EQ(process.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(process.status().message().find("failing exited with status 3"), std::string::npos)
      << process.status().ToString();
  EXPECT_NE(process.status().message().find("boom"), std::string::npos);
}

TEST(ServiceProcess, GivesUpOnASilentService) {
  Command command{"silent", {"sleep", "30"}, {}, milliseconds(200)};
  auto process = ServiceProcess::Start(command);
  EXPECT_EQ(process.status().code(), StatusCode::kDeadlineExceeded) << process.status().ToString();
}

TEST(ServiceProcess, RejectsAReadyLineFromAnotherPid) {
  Command command{"wrapper", {"sh", "-c", R"(echo '{"port":1,"pid":1}'; exec sleep 30)"}, {}};
  auto process = ServiceProcess::Start(command);
  EXPECT_EQ(process.status().code(), StatusCode::kInternal) << process.status().ToString();
}

TEST(ServiceProcess, ReportsAMissingProgram) {
  Command command{"missing", {"trailhound-no-such-program"}, {}};
  auto process = ServiceProcess::Start(command);
  EXPECT_EQ(process.status().code(), StatusCode::kNotFound) << process.status().ToString();
}

class MotoTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto moto = Moto::Start(TestMotoOptions());
    if (moto.ok()) {
      moto_ = std::move(*moto).release();
    } else {
      start_error_ = new std::string(moto.status().ToString());
    }
  }
  static void TearDownTestSuite() {
    delete moto_;
    moto_ = nullptr;
    delete start_error_;
    start_error_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(moto_, nullptr) << *start_error_; }

  // Runs `aws s3api list-buckets` with `credentials`; its exit status and stderr.
  static CommandOutput ListBuckets(const aws::Credentials& credentials) {
    Command command;
    command.name = "aws s3api list-buckets";
    command.argv = {"aws",       "--endpoint-url", moto_->endpoint(), "--region",
                    "us-east-1", "s3api",          "list-buckets"};
    command.env = {{"AWS_ACCESS_KEY_ID", credentials.access_key_id},
                   {"AWS_SECRET_ACCESS_KEY", credentials.secret_access_key.Reveal()},
                   {"AWS_CONFIG_FILE", "/dev/null"},
                   {"AWS_SHARED_CREDENTIALS_FILE", "/dev/null"},
                   {"AWS_MAX_ATTEMPTS", "1"}};
    auto output = RunCommand(command);
    if (!output.ok()) return CommandOutput{-1, "", output.status().ToString()};
    return *output;
  }

  static Moto* moto_;
  static std::string* start_error_;
};

Moto* MotoTest::moto_ = nullptr;
std::string* MotoTest::start_error_ = nullptr;

TEST_F(MotoTest, ListensOnLoopbackOnlyAndHasAnAdmin) {
  EXPECT_EQ(ListeningAddresses(moto_->port()), std::vector<std::string>{"0100007F"});
  EXPECT_EQ(moto_->admin().access_key_id.rfind("AKIA", 0), 0u) << moto_->admin().access_key_id;
  EXPECT_FALSE(moto_->admin().secret_access_key.empty());
  CommandOutput admin = ListBuckets(moto_->admin());
  EXPECT_EQ(admin.exit_status, 0) << admin.stderr_text;
}

TEST_F(MotoTest, RejectsRequestsWithoutAValidKeyAfterTheBudget) {
  httplib::Client client("127.0.0.1", moto_->port());
  // moto 5.2.1 fails an unsigned request with HTTP 500 (it looks up the missing
  // Authorization header); what matters is that nothing is served.
  auto unsigned_request = client.Get("/");
  ASSERT_TRUE(unsigned_request);
  EXPECT_GE(unsigned_request->status, 400);
  EXPECT_EQ(unsigned_request->body.find("ListAllMyBucketsResult"), std::string::npos);

  auto unknown_key =
      client.Get("/", {{"Authorization",
                        "AWS4-HMAC-SHA256 Credential=AKIAUNKNOWNKEY000000/20250101/us-east-1/s3/"
                        "aws4_request, SignedHeaders=host, Signature=0"}});
  ASSERT_TRUE(unknown_key);
  EXPECT_EQ(unknown_key->status, 403);
  EXPECT_NE(unknown_key->body.find("InvalidAccessKeyId"), std::string::npos) << unknown_key->body;

  aws::Credentials wrong_secret = moto_->admin();
  wrong_secret.secret_access_key = Secret("not-the-secret");
  CommandOutput denied = ListBuckets(wrong_secret);
  EXPECT_NE(denied.exit_status, 0);
  EXPECT_NE(denied.stderr_text.find("SignatureDoesNotMatch"), std::string::npos)
      << denied.stderr_text;
}

TEST_F(MotoTest, UserPoliciesGrantAndRevokeAtOnce) {
  const std::string list_buckets = R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
                                   R"("Action":"s3:ListAllMyBuckets","Resource":"*"}]})";
  auto user = moto_->CreateUser("collector", list_buckets);
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(user->source, "moto user collector");
  EXPECT_NE(user->access_key_id, moto_->admin().access_key_id);

  CommandOutput allowed = ListBuckets(*user);
  EXPECT_EQ(allowed.exit_status, 0) << allowed.stderr_text;

  ASSERT_TRUE(moto_->DeleteUserPolicy("collector").ok());
  CommandOutput denied = ListBuckets(*user);
  EXPECT_NE(denied.exit_status, 0);
  EXPECT_NE(denied.stderr_text.find("AccessDenied"), std::string::npos) << denied.stderr_text;

  ASSERT_TRUE(moto_->PutUserPolicy("collector", list_buckets).ok());
  CommandOutput allowed_again = ListBuckets(*user);
  EXPECT_EQ(allowed_again.exit_status, 0) << allowed_again.stderr_text;

  auto again = moto_->CreateUser("collector", list_buckets);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("EntityAlreadyExists"), std::string::npos)
      << again.status().ToString();
}

TEST_F(MotoTest, CreatesRoles) {
  auto arn = moto_->CreateRole(
      "reader",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",)"
      R"("Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]})",
      R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject",)"
      R"("Resource":"*"}]})");
  ASSERT_TRUE(arn.ok()) << arn.status().ToString();
  EXPECT_EQ(*arn, "arn:aws:iam::123456789012:role/reader");
}

TEST(Moto, RefusesABudgetTooSmallForTheAdmin) {
  MotoOptions options = TestMotoOptions();
  options.no_auth_actions = 2;
  EXPECT_EQ(Moto::Start(options).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace trailhound::testing
