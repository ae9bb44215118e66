// Helpers for the credentials and STS tests only (no library code includes this):
// an environment built from a map instead of the process' variables, a temporary
// directory removed on destruction, and FakeSts, an STS endpoint on LocalHttpServer
// that records each call's form fields and Authorization header and answers
// AssumeRole, AssumeRoleWithWebIdentity and GetCallerIdentity like STS.
// Thread safety: FakeSts records under a mutex; the rest is for one test thread.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "aws/credentials_document.h"
#include "aws/credentials_environment.h"
#include "core/temp_dir.h"
#include "testing/fake_clock.h"
#include "testing/local_http_server.h"

namespace trailhound::aws::test {

using TempDir = ::trailhound::TempDir;

// Environment variables the test controls; changes are seen by providers made earlier.
using EnvVars = std::shared_ptr<std::map<std::string, std::string>>;

inline CredentialsEnvironment TestEnvironment(EnvVars vars, Clock* clock,
                                              std::string home_dir = "/nonexistent-home") {
  CredentialsEnvironment env;
  env.getenv = [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars->find(name);
    if (it == vars->end()) return std::nullopt;
    return it->second;
  };
  env.home_dir = std::move(home_dir);
  HttpOptions options;
  options.connect_timeout_ms = 2000;
  options.read_timeout_ms = 5000;
  env.transport = MakeCurlHttpTransport(options);
  env.clock = clock;
  env.default_region = "eu-west-1";
  env.retry.max_attempts = 2;
  // IMDS and container endpoints must never be the real link-local ones in tests.
  (*vars)["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = "http://127.0.0.1:9";
  return env;
}

// Starts `server` with one request per connection, so that stopping it never waits for
// an idle keep-alive connection of the client (httplib would wait up to 5 s).
inline Status StartServer(testing::LocalHttpServer& server) {
  server.server().set_keep_alive_max_count(1);
  return server.Start();
}

inline std::string CredentialsXml(const std::string& key, const std::string& secret,
                                  const std::string& token,
                                  std::chrono::system_clock::time_point expiration) {
  return "<Credentials><AccessKeyId>" + key + "</AccessKeyId><SecretAccessKey>" + secret +
         "</SecretAccessKey><SessionToken>" + token + "</SessionToken><Expiration>" +
         FormatAwsTimestamp(expiration) + "</Expiration></Credentials>";
}

// An STS endpoint. Each successful role call returns key "ASIAFAKE<n>", secret
// "stssecret<n>" and token "ststoken<n>" (n counts from 1), expiring `lifetime` after
// the clock's now.
class FakeSts {
 public:
  struct Call {
    std::map<std::string, std::string> form;
    std::string authorization;
    std::string security_token;
  };

  explicit FakeSts(Clock* clock) : clock_(clock) {
    server_.server().Post(
        "/", [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); });
    EXPECT_TRUE(StartServer(server_).ok());
  }

  std::string url() const { return server_.url(); }
  std::vector<Call> calls() const {
    std::lock_guard lock(mu_);
    return calls_;
  }
  // Makes the next calls fail with this HTTP status and STS error code ("" to stop).
  void FailWith(int http_status, std::string code) {
    std::lock_guard lock(mu_);
    fail_status_ = http_status;
    fail_code_ = std::move(code);
  }
  void set_lifetime(std::chrono::seconds lifetime) {
    std::lock_guard lock(mu_);
    lifetime_ = lifetime;
  }

 private:
  void Handle(const httplib::Request& req, httplib::Response& res) {
    Call call;
    httplib::Params params;
    httplib::detail::parse_query_text(req.body, params);
    for (const auto& [k, v] : params) call.form[k] = v;
    call.authorization = req.get_header_value("Authorization");
    call.security_token = req.get_header_value("X-Amz-Security-Token");
    std::lock_guard lock(mu_);
    calls_.push_back(call);
    const std::string& action = call.form["Action"];
    if (!fail_code_.empty()) {
      res.status = fail_status_;
      res.set_content("<ErrorResponse><Error><Type>Sender</Type><Code>" + fail_code_ +
                          "</Code><Message>injected " + fail_code_ +
                          "</Message></Error><RequestId>req-fail</RequestId></ErrorResponse>",
                      "text/xml");
      return;
    }
    if (action == "GetCallerIdentity") {
      res.set_content(
          "<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"
          "<GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/collector</Arn>"
          "<UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account>"
          "</GetCallerIdentityResult><ResponseMetadata><RequestId>req-1</RequestId>"
          "</ResponseMetadata></GetCallerIdentityResponse>",
          "text/xml");
      return;
    }
    if (action != "AssumeRole" && action != "AssumeRoleWithWebIdentity") {
      res.status = 400;
      res.set_content("<ErrorResponse><Error><Code>InvalidAction</Code></Error></ErrorResponse>",
                      "text/xml");
      return;
    }
    int n = ++issued_;
    std::string id = std::to_string(n);
    res.set_content("<" + action +
                        "Response xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><" + action +
                        "Result>" +
                        CredentialsXml("ASIAFAKE" + id, "stssecret" + id, "ststoken" + id,
                                       clock_->Now() + lifetime_) +
                        "<AssumedRoleUser><Arn>" + call.form["RoleArn"] +
                        "</Arn></AssumedRoleUser></" + action + "Result></" + action + "Response>",
                    "text/xml");
  }

  Clock* clock_;
  mutable std::mutex mu_;
  std::vector<Call> calls_;
  int issued_ = 0;
  int fail_status_ = 0;
  std::string fail_code_;
  std::chrono::seconds lifetime_{3600};
  testing::LocalHttpServer server_;  // last: stops before the members its handler uses
};

}  // namespace trailhound::aws::test
