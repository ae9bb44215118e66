#include "aws/credentials_container.h"

#include <gtest/gtest.h>

#include "aws/credentials_test_util.h"

namespace trailhound::aws {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// Sends requests for http://169.254.170.2 to a local server instead, recording the URL.
class RedirectingTransport final : public HttpTransport {
 public:
  RedirectingTransport(std::shared_ptr<HttpTransport> inner, std::string target)
      : inner_(std::move(inner)), target_(std::move(target)) {}
  Result<HttpResponse> Send(const HttpRequest& request, const BodySink* sink,
                            const HttpOptions* options) override {
    last_url_ = request.url;
    HttpRequest copy = request;
    constexpr std::string_view kEcs = "http://169.254.170.2";
    if (copy.url.starts_with(kEcs)) copy.url = target_ + copy.url.substr(kEcs.size());
    return inner_->Send(copy, sink, options);
  }
  std::string last_url_;

 private:
  std::shared_ptr<HttpTransport> inner_;
  std::string target_;
};

class ContainerTest : public ::testing::Test {
 protected:
  ContainerTest()
      : vars_(std::make_shared<std::map<std::string, std::string>>()),
        env_(test::TestEnvironment(vars_, &clock_)) {
    server_.server().Get(
        R"(/v2/credentials/([\w-]+))", [this](const httplib::Request& req, httplib::Response& res) {
          std::lock_guard lock(mu_);
          authorizations_.push_back(req.get_header_value("Authorization"));
          if (status_ != 200) {
            res.status = status_;
            res.set_content(R"({"code":"Denied","message":"bad token"})", "application/json");
            return;
          }
          std::string id = std::to_string(authorizations_.size());
          res.set_content(R"({"AccessKeyId":"ASIAECS)" + id +
                              R"(","SecretAccessKey":"ecssecret","Token":"ecstoken",)"
                              R"("RoleArn":"arn:aws:iam::123456789012:role/task","Expiration":")" +
                              FormatAwsTimestamp(clock_.Now() + hours(1)) + "\"}",
                          "application/json");
        });
    EXPECT_TRUE(test::StartServer(server_).ok());
  }

  std::vector<std::string> authorizations() {
    std::lock_guard lock(mu_);
    return authorizations_;
  }

  testing::FakeClock clock_;
  test::EnvVars vars_;
  CredentialsEnvironment env_;
  std::mutex mu_;
  std::vector<std::string> authorizations_;
  int status_ = 200;
  testing::LocalHttpServer server_;
};

TEST_F(ContainerTest, FullUriWithAuthorizationToken) {
  (*vars_)["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server_.url() + "/v2/credentials/abc";
  (*vars_)["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "Basic ecs-auth-token";
  auto credentials = MakeContainerCredentialsProvider(env_)->GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAECS1");
  EXPECT_EQ(credentials->session_token.Reveal(), "ecstoken");
  EXPECT_EQ(credentials->expiration, clock_.Now() + hours(1));
  EXPECT_EQ(credentials->source, "container");
  EXPECT_EQ(authorizations(), std::vector<std::string>{"Basic ecs-auth-token"});
}

TEST_F(ContainerTest, RelativeUriGoesToTheEcsAgentAddress) {
  auto redirecting = std::make_shared<RedirectingTransport>(env_.transport, server_.url());
  env_.transport = redirecting;
  (*vars_)["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/task-guid";
  auto credentials = MakeContainerCredentialsProvider(env_)->GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(redirecting->last_url_, "http://169.254.170.2/v2/credentials/task-guid");
  EXPECT_EQ(authorizations(), std::vector<std::string>{""});
}

TEST_F(ContainerTest, TokenFileWinsAndIsReadAtEveryRefresh) {
  test::TempDir dir;
  (*vars_)["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server_.url() + "/v2/credentials/abc";
  (*vars_)["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "from-env";
  (*vars_)["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"] = dir.Write("token", "pod-token-1\n");
  auto provider = MakeContainerCredentialsProvider(env_);
  ASSERT_TRUE(provider->GetCredentials().ok());
  dir.Write("token", "pod-token-2");
  clock_.Advance(minutes(56));
  auto credentials = provider->GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAECS2");
  EXPECT_EQ(authorizations(), (std::vector<std::string>{"pod-token-1", "pod-token-2"}));
}

TEST_F(ContainerTest, RejectedTokenIsPermissionDeniedWithoutTheToken) {
  status_ = 403;
  (*vars_)["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server_.url() + "/v2/credentials/abc";
  (*vars_)["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "wrong-token-value";
  auto credentials = MakeContainerCredentialsProvider(env_)->GetCredentials();
  EXPECT_EQ(credentials.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(credentials.status().message().find("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
            std::string::npos);
  EXPECT_EQ(credentials.status().ToString().find("wrong-token-value"), std::string::npos);
  EXPECT_EQ(authorizations().size(), 1u);  // not retried
}

TEST_F(ContainerTest, ServerErrorsAreRetried) {
  status_ = 500;
  (*vars_)["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = server_.url() + "/v2/credentials/abc";
  auto credentials = MakeContainerCredentialsProvider(env_)->GetCredentials();
  EXPECT_EQ(credentials.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(authorizations().size(), 3u);
  EXPECT_EQ(clock_.sleeps().size(), 2u);
}

TEST_F(ContainerTest, NotConfiguredIsNotFound) {
  EXPECT_EQ(MakeContainerCredentialsProvider(env_)->GetCredentials().status().code(),
            StatusCode::kNotFound);
}

TEST(ContainerFullUri, PlainHttpOnlyToLoopbackAndContainerHosts) {
  EXPECT_TRUE(ValidateContainerFullUri("http://127.0.0.1:51679/creds").ok());
  EXPECT_TRUE(ValidateContainerFullUri("http://localhost/creds").ok());
  EXPECT_TRUE(ValidateContainerFullUri("http://[::1]:80/creds").ok());
  EXPECT_TRUE(ValidateContainerFullUri("http://169.254.170.23/v1/credentials").ok());
  EXPECT_TRUE(ValidateContainerFullUri("http://[fd00:ec2::23]/v1/credentials").ok());
  EXPECT_TRUE(ValidateContainerFullUri("https://creds.example.com/x").ok());
  EXPECT_FALSE(ValidateContainerFullUri("http://creds.example.com/x").ok());
  EXPECT_FALSE(ValidateContainerFullUri("http://127.0.0.1.evil.com/x").ok());
  EXPECT_FALSE(ValidateContainerFullUri("http://user@evil.com/x").ok());
  EXPECT_FALSE(ValidateContainerFullUri("ftp://127.0.0.1/x").ok());
}

}  // namespace
}  // namespace trailhound::aws
