#include "aws/credentials_imds.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>

#include "aws/credentials_test_util.h"

namespace trailhound::aws {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// An IMDSv2 that rejects requests without a valid session token.
class FakeImds {
 public:
  explicit FakeImds(Clock* clock) : clock_(clock) {
    auto& s = server_.server();
    s.Put("/latest/api/token", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mu_);
      ++token_requests_;
      ttl_header_ = req.get_header_value("X-aws-ec2-metadata-token-ttl-seconds");
      if (put_status_ != 200 || ttl_header_.empty()) {
        res.status = put_status_ != 200 ? put_status_ : 400;
        return;
      }
      std::string token = "imds-token-" + std::to_string(token_requests_);
      tokens_.insert(token);
      res.set_content(token, "text/plain");
    });
    s.Get("/latest/meta-data/iam/security-credentials/",
          [this](const httplib::Request& req, httplib::Response& res) {
            if (!Authorized(req, res)) return;
            std::lock_guard lock(mu_);
            if (role_.empty()) {
              res.status = 404;
              return;
            }
            res.set_content(role_ + "\n", "text/plain");
          });
    s.Get(R"(/latest/meta-data/iam/security-credentials/([\w-]+))",
          [this](const httplib::Request& req, httplib::Response& res) {
            if (!Authorized(req, res)) return;
            std::lock_guard lock(mu_);
            if (req.matches[1] != role_) {
              res.status = 404;
              return;
            }
            std::string id = std::to_string(++issued_);
            res.set_content(R"({"Code":")" + code_ +
                                R"(","LastUpdated":"2024-01-01T00:00:00Z","Type":"AWS-HMAC",)"
                                R"("AccessKeyId":"ASIAIMDS)" +
                                id + R"(","SecretAccessKey":"imdssecret)" + id +
                                R"(","Token":"imdstoken)" + id + R"(","Expiration":")" +
                                FormatAwsTimestamp(clock_->Now() + hours(6)) + "\"}",
                            "application/json");
          });
    EXPECT_TRUE(test::StartServer(server_).ok());
  }

  std::string url() const { return server_.url(); }
  int token_requests() {
    std::lock_guard lock(mu_);
    return token_requests_;
  }
  int unauthorized() const { return unauthorized_.load(); }
  std::string ttl_header() {
    std::lock_guard lock(mu_);
    return ttl_header_;
  }
  void set_role(std::string role) {
    std::lock_guard lock(mu_);
    role_ = std::move(role);
  }
  void set_put_status(int status) {
    std::lock_guard lock(mu_);
    put_status_ = status;
  }
  void set_code(std::string code) {
    std::lock_guard lock(mu_);
    code_ = std::move(code);
  }
  void ForgetTokens() {
    std::lock_guard lock(mu_);
    tokens_.clear();
  }

 private:
  bool Authorized(const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mu_);
    if (tokens_.count(req.get_header_value("X-aws-ec2-metadata-token")) == 0) {
      ++unauthorized_;
      res.status = 401;
      return false;
    }
    return true;
  }

  Clock* clock_;
  std::mutex mu_;
  std::set<std::string> tokens_;
  std::string role_ = "trailhound-instance";
  std::string code_ = "Success";
  std::string ttl_header_;
  int token_requests_ = 0;
  int put_status_ = 200;
  int issued_ = 0;
  std::atomic<int> unauthorized_{0};
  testing::LocalHttpServer server_;
};

class ImdsTest : public ::testing::Test {
 protected:
  ImdsTest()
      : vars_(std::make_shared<std::map<std::string, std::string>>()),
        imds_(&clock_),
        env_(test::TestEnvironment(vars_, &clock_)) {
    (*vars_)["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds_.url() + "/";
    provider_ = MakeInstanceMetadataCredentialsProvider(env_);
  }

  testing::FakeClock clock_;
  test::EnvVars vars_;
  FakeImds imds_;
  CredentialsEnvironment env_;
  std::shared_ptr<CredentialsProvider> provider_;
};

TEST_F(ImdsTest, FetchesRoleCredentialsWithASessionToken) {
  auto credentials = provider_->GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAIMDS1");
  EXPECT_EQ(credentials->secret_access_key.Reveal(), "imdssecret1");
  EXPECT_EQ(credentials->session_token.Reveal(), "imdstoken1");
  EXPECT_EQ(credentials->expiration, clock_.Now() + hours(6));
  EXPECT_EQ(credentials->source, "instance-metadata");
  EXPECT_EQ(imds_.token_requests(), 1);
  EXPECT_EQ(imds_.ttl_header(), "21600");
  EXPECT_EQ(imds_.unauthorized(), 0);
}

TEST_F(ImdsTest, FakeRejectsAGetWithoutToken) {
  HttpRequest request;
  request.url = imds_.url() + "/latest/meta-data/iam/security-credentials/";
  auto response = env_.transport->Send(request);
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 401);
}

TEST_F(ImdsTest, RefreshesBeforeExpiryReusingTheSessionToken) {
  ASSERT_TRUE(provider_->GetCredentials().ok());
  clock_.Advance(hours(5) + minutes(56));
  auto credentials = provider_->GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(credentials->access_key_id, "ASIAIMDS2");
  EXPECT_EQ(imds_.token_requests(), 1);  // the 6 h session token is still valid
}

TEST_F(ImdsTest, RejectedTokenIsReplacedOnce) {
  ASSERT_TRUE(provider_->GetCredentials().ok());
  imds_.ForgetTokens();
  clock_.Advance(hours(5) + minutes(56));
  auto credentials = provider_->GetCredentials();
  ASSERT_TRUE(credentials.ok()) << credentials.status().ToString();
  EXPECT_EQ(imds_.token_requests(), 2);
  EXPECT_EQ(imds_.unauthorized(), 1);
}

TEST_F(ImdsTest, NoRoleAttachedIsNotFoundWithTheFix) {
  imds_.set_role("");
  auto credentials = provider_->GetCredentials();
  EXPECT_EQ(credentials.status().code(), StatusCode::kNotFound);
  EXPECT_NE(credentials.status().message().find("no IAM role is attached"), std::string::npos)
      << credentials.status().message();
}

TEST_F(ImdsTest, TokenRefusedNamesTheCause) {
  imds_.set_put_status(403);
  auto credentials = provider_->GetCredentials();
  EXPECT_EQ(credentials.status().code(), StatusCode::kPermissionDenied);
  EXPECT_NE(credentials.status().message().find("IMDSv2 token"), std::string::npos);
}

TEST_F(ImdsTest, FailureCodeInTheDocumentIsAnError) {
  imds_.set_code("InternalError");
  auto credentials = provider_->GetCredentials();
  EXPECT_FALSE(credentials.ok());
  EXPECT_NE(credentials.status().message().find("Code 'InternalError'"), std::string::npos);
}

TEST_F(ImdsTest, DisabledByEnvironmentSendsNothing) {
  (*vars_)["AWS_EC2_METADATA_DISABLED"] = "TRUE";
  auto credentials = provider_->GetCredentials();
  EXPECT_EQ(credentials.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(imds_.token_requests(), 0);
}

TEST_F(ImdsTest, UnreachableIsUnavailableWithTheHopLimitHint) {
  (*vars_)["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:9";
  auto credentials = MakeInstanceMetadataCredentialsProvider(env_)->GetCredentials();
  EXPECT_EQ(credentials.status().code(), StatusCode::kUnavailable);
  EXPECT_NE(credentials.status().message().find("http://127.0.0.1:9/latest/api/token"),
            std::string::npos)
      << credentials.status().message();
  EXPECT_NE(credentials.status().message().find("hop-limit"), std::string::npos);
}

}  // namespace
}  // namespace trailhound::aws
