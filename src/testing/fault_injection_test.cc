#include "testing/fault_injection.h"

#include <gtest/gtest.h>

#include <atomic>

#include "aws/aws_client.h"
#include "testing/fake_clock.h"
#include "testing/local_http_server.h"

namespace trailhound::testing {
namespace {

aws::HttpRequest Request(std::string method, std::string url, aws::HttpHeaders headers = {}) {
  aws::HttpRequest request;
  request.method = std::move(method);
  request.url = std::move(url);
  request.headers = std::move(headers);
  return request;
}

std::shared_ptr<aws::CredentialsProvider> TestCredentials() {
  aws::Credentials credentials;
  credentials.access_key_id = "AKIDEXAMPLE";
  credentials.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  return aws::MakeStaticCredentialsProvider(credentials);
}

TEST(FaultInjectingTransport, FailsTheNextMatchingRequestsThenDelegates) {
  LocalHttpServer server;
  std::atomic<int> served{0};
  server.server().Get(".*", [&](const httplib::Request&, httplib::Response& res) {
    ++served;
    res.set_content("real", "text/plain");
  });
  ASSERT_TRUE(server.Start().ok());
  FaultInjectingTransport faults(aws::MakeCurlHttpTransport());
  faults.FailNext(2, Fault::S3SlowDown(), UrlContains("/bucket/"));

  auto other = faults.Send(Request("GET", server.url() + "/elsewhere"));
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  EXPECT_EQ(other->body, "real");
  for (int i = 0; i < 2; ++i) {
    auto r = faults.Send(Request("GET", server.url() + "/bucket/key"));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    EXPECT_EQ(r->status, 503);
    EXPECT_NE(r->body.find("<Code>SlowDown</Code>"), std::string::npos);
    EXPECT_EQ(r->Header("x-amz-request-id"), "FAULT-" + std::to_string(i + 1));
  }
  auto r = faults.Send(Request("GET", server.url() + "/bucket/key"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "real");

  EXPECT_EQ(faults.calls(), 4);
  EXPECT_EQ(faults.injected(), 2);
  EXPECT_EQ(faults.delegated(), 2);
  EXPECT_EQ(served.load(), 2);
  EXPECT_EQ(faults.CallsMatching(UrlContains("/bucket/")), 3);
}

TEST(FaultInjectingTransport, AThrottledRequestIsRetriedAndSucceeds) {
  LocalHttpServer server;
  server.server().Get(".*", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("log file", "application/octet-stream");
  });
  ASSERT_TRUE(server.Start().ok());
  auto faults = std::make_shared<FaultInjectingTransport>(aws::MakeCurlHttpTransport());
  faults->FailNext(2, Fault::S3SlowDown());
  FakeClock clock;
  aws::AwsRequestSender sender(faults, TestCredentials(), aws::RetryOptions{}, &clock);

  aws::AwsCall call;
  call.operation = "GetObject";
  call.resource = "s3://bucket/key";
  call.request = Request("GET", server.url() + "/bucket/key");
  call.signing.region = "us-east-1";
  call.signing.service = "s3";
  auto r = sender.Send(call);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "log file");
  EXPECT_EQ(faults->injected(), 2);
  EXPECT_EQ(faults->delegated(), 1);
  EXPECT_EQ(clock.sleeps().size(), 2u);
  // Every attempt went out signed.
  for (const aws::HttpRequest& request : faults->requests()) {
    EXPECT_FALSE(aws::FindHeader(request.headers, "Authorization").empty());
  }
}

TEST(FaultInjectingTransport, MatchesJsonCallsByTargetHeader) {
  FaultInjectingTransport faults(nullptr);
  faults.FailNext(1, Fault::JsonThrottling(), HeaderIs("x-amz-target", "AmazonSQS.ReceiveMessage"));
  faults.FailAlways(Fault::Response(200, "{}"));

  auto receive = faults.Send(Request("POST", "http://sqs.us-east-1.localhost:4566/",
                                     {{"X-Amz-Target", "AmazonSQS.ReceiveMessage"}}));
  ASSERT_TRUE(receive.ok());
  EXPECT_EQ(receive->status, 400);
  EXPECT_NE(receive->body.find("ThrottlingException"), std::string::npos);

  auto second = faults.Send(Request("POST", "http://sqs.us-east-1.localhost:4566/",
                                    {{"X-Amz-Target", "AmazonSQS.ReceiveMessage"}}));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->status, 200);  // the throttling rule is used up
  EXPECT_EQ(faults.injected(), 2);
}

TEST(FaultInjectingTransport, InjectsTransportFailures) {
  FaultInjectingTransport faults(nullptr);
  faults.FailNext(1, Fault::ConnectionReset());
  faults.FailNext(1, Fault::Timeout());
  auto reset = faults.Send(Request("GET", "http://x/"));
  ASSERT_FALSE(reset.ok());
  EXPECT_EQ(reset.status().code(), StatusCode::kUnavailable);
  auto timeout = faults.Send(Request("GET", "http://x/"));
  ASSERT_FALSE(timeout.ok());
  EXPECT_EQ(timeout.status().code(), StatusCode::kDeadlineExceeded);
  // No rule left and no delegate.
  auto none = faults.Send(Request("GET", "http://x/"));
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(faults.calls(), 3);
  EXPECT_EQ(faults.delegated(), 1);
}

TEST(FaultInjectingTransport, StreamsScriptedSuccessBodiesAndClears) {
  FaultInjectingTransport faults(nullptr);
  faults.FailAlways(Fault::Response(200, "object bytes"), MethodIs("GET"));
  std::string received;
  aws::BodySink sink = [&](std::string_view chunk) {
    received += chunk;
    return Status::OK();
  };
  auto r = faults.Send(Request("GET", "http://x/k"), &sink);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(received, "object bytes");
  EXPECT_TRUE(r->body.empty());

  faults.Clear();
  EXPECT_FALSE(faults.Send(Request("GET", "http://x/k")).ok());
}

}  // namespace
}  // namespace trailhound::testing
