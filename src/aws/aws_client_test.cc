#include "aws/aws_client.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "aws/aws_client_errors.h"
#include "testing/fake_clock.h"
#include "testing/local_http_server.h"

namespace trailhound::aws {
namespace {

using std::chrono::milliseconds;
using trailhound::testing::FakeClock;
using trailhound::testing::LocalHttpServer;

constexpr char kSecretKey[] = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
constexpr char kSessionToken[] = "SESSIONTOKEN/secret+value==";

Credentials TestCredentials() {
  Credentials c;
  c.access_key_id = "AKIDEXAMPLE";
  c.secret_access_key = Secret(kSecretKey);
  c.session_token = Secret(kSessionToken);
  return c;
}

// Counts GetCredentials() calls; fails the first `failures` of them with `failure`.
class CountingProvider final : public CredentialsProvider {
 public:
  explicit CountingProvider(int failures = 0, Status failure = Status::OK())
      : failures_(failures), failure_(std::move(failure)) {}
  Result<Credentials> GetCredentials() override {
    if (calls_++ < failures_) return failure_;
    return TestCredentials();
  }
  std::string Describe() const override { return "counting test provider"; }
  int calls() const { return calls_; }

 private:
  std::atomic<int> calls_{0};
  const int failures_;
  const Status failure_;
};

// Answers requests from a script (the last entry repeats) and records them.
class ScriptedTransport final : public HttpTransport {
 public:
  using Step = std::function<Result<HttpResponse>(const HttpRequest&, const BodySink*)>;
  explicit ScriptedTransport(std::vector<Step> script) : script_(std::move(script)) {}

  Result<HttpResponse> Send(const HttpRequest& request, const BodySink* sink,
                            const HttpOptions*) override {
    Step step;
    {
      std::lock_guard<std::mutex> lock(mu_);
      step = script_[std::min(requests_.size(), script_.size() - 1)];
      requests_.push_back(request);
    }
    return step(request, sink);
  }
  std::vector<HttpRequest> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  std::mutex mu_;
  std::vector<Step> script_;
  std::vector<HttpRequest> requests_;
};

ScriptedTransport::Step Reply(int status, std::string body = "", HttpHeaders headers = {}) {
  return [=](const HttpRequest&, const BodySink* sink) -> Result<HttpResponse> {
    HttpResponse response{status, headers, body};
    if (sink != nullptr && status >= 200 && status < 300) {
      Status s = (*sink)(body);
      if (!s.ok()) return s;
      response.body.clear();
    }
    return response;
  };
}

ScriptedTransport::Step Fail(Status status) {
  return [=](const HttpRequest&, const BodySink*) -> Result<HttpResponse> { return status; };
}

AwsCall S3GetObject(std::string url) {
  AwsCall call;
  call.operation = "GetObject";
  call.resource = "s3://trail-bucket/AWSLogs/1/CloudTrail/x.json.gz";
  call.request.url = std::move(url);
  call.signing.region = "us-east-1";
  call.signing.service = "s3";
  call.signing.normalize_path = false;
  call.signing.double_encode_path = false;
  call.signing.payload = PayloadSigning::kUnsigned;
  call.signing.add_content_sha256_header = true;
  call.errors = ErrorProtocol::kXml;
  return call;
}

constexpr char kSlowDown[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>SlowDown</Code><Message>Please "
    "reduce your request rate.</Message><RequestId>7YTGQ3KZ8QPQ3S2Z</RequestId><HostId>"
    "b3JpZ2luYWwtaG9zdC1pZA==</HostId></Error>";
constexpr char kAccessDenied[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>Access "
    "Denied</Message><RequestId>4442587FB7D0A2F9</RequestId><HostId>"
    "BHq1Dk0mU3cS7Xgo/6BWI+8dBTQG9JP0yY8c0sX8ZjOoYl4Q5z6Lc=</HostId></Error>";

// Captures spdlog output for the lifetime of the object.
class LogCapture {
 public:
  LogCapture() : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    spdlog::set_default_logger(std::make_shared<spdlog::logger>("capture", sink));
  }
  ~LogCapture() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

// ---- Retries against a real local server through the curl transport ----

TEST(AwsRequestSender, RetriesSlowDownAndSucceedsAfterTwoBackoffSleeps) {
  LocalHttpServer server;
  std::atomic<int> calls{0};
  server.server().Get(".*", [&](const httplib::Request& req, httplib::Response& res) {
    if (calls++ < 2) {
      res.status = 503;
      res.set_header("x-amz-request-id", "7YTGQ3KZ8QPQ3S2Z");
      res.set_content(kSlowDown, "application/xml");
      return;
    }
    res.set_content(req.has_header("Authorization") ? "signed" : "unsigned", "text/plain");
  });
  ASSERT_TRUE(server.Start().ok());
  FakeClock clock;
  LogCapture log;
  AwsRequestSender sender(MakeCurlHttpTransport(), std::make_shared<CountingProvider>(),
                          RetryOptions{}, &clock);
  auto r = sender.Send(S3GetObject(server.url() + "/trail-bucket/AWSLogs/1/x.json.gz"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->body, "signed");
  EXPECT_EQ(calls.load(), 3);
  ASSERT_EQ(clock.sleeps().size(), 2u);
  RetryOptions defaults;
  EXPECT_LT(clock.sleeps()[0], defaults.throttle_base_delay);      // jitter in [0, 500)
  EXPECT_LT(clock.sleeps()[1], 2 * defaults.throttle_base_delay);  // jitter in [0, 1000)

  const std::string text = log.text();
  EXPECT_NE(text.find("[warning] Retrying GetObject of "
                      "\"s3://trail-bucket/AWSLogs/1/CloudTrail/x.json.gz\" in "),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("SlowDown"), std::string::npos) << text;
  for (const char* secret : {kSecretKey, kSessionToken, "AWS4-HMAC-SHA256", "Signature="}) {
    EXPECT_EQ(text.find(secret), std::string::npos) << text;
  }
}

TEST(AwsRequestSender, DoesNotRetryAccessDenied) {
  LocalHttpServer server;
  std::atomic<int> calls{0};
  server.server().Get(".*", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.status = 403;
    res.set_header("x-amz-request-id", "4442587FB7D0A2F9");
    res.set_content(kAccessDenied, "application/xml");
  });
  ASSERT_TRUE(server.Start().ok());
  FakeClock clock;
  AwsCall call = S3GetObject(server.url() + "/trail-bucket/AWSLogs/1/x.json.gz");
  AwsRequestSender sender(MakeCurlHttpTransport(), std::make_shared<CountingProvider>(),
                          RetryOptions{}, &clock);
  auto r = sender.Send(call);
  ASSERT_FALSE(r.ok());
  const Status& s = r.status();
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(),
            "Failed to GetObject s3://trail-bucket/AWSLogs/1/CloudTrail/x.json.gz: Access Denied");
  EXPECT_EQ(s.aws_error_code(), "AccessDenied");
  EXPECT_EQ(s.request_id(), "4442587FB7D0A2F9");
  EXPECT_EQ(s.http_status(), 403);
  EXPECT_EQ(s.resource(), call.resource);
  EXPECT_EQ(calls.load(), 1);
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(AwsRequestSender, DoesNotRetryAStreamThatAlreadyDeliveredBytes) {
  LocalHttpServer server;
  std::atomic<int> calls{0};
  server.server().Get(".*", [&](const httplib::Request&, httplib::Response& res) {
    ++calls;
    res.set_chunked_content_provider("application/octet-stream",
                                     [](size_t offset, httplib::DataSink& sink) {
                                       if (offset > 0) return false;  // drop the connection
                                       sink.write("partial", 7);
                                       return true;
                                     });
  });
  ASSERT_TRUE(server.Start().ok());
  FakeClock clock;
  std::string received;
  BodySink sink = [&](std::string_view chunk) {
    received += chunk;
    return Status::OK();
  };
  AwsCall call = S3GetObject(server.url() + "/trail-bucket/k");
  call.sink = &sink;
  AwsRequestSender sender(MakeCurlHttpTransport(), std::make_shared<CountingProvider>(),
                          RetryOptions{}, &clock);
  auto r = sender.Send(call);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsRetriable()) << r.status().ToString();  // the caller may restart
  EXPECT_EQ(received, "partial");
  EXPECT_EQ(calls.load(), 1);
  EXPECT_TRUE(clock.sleeps().empty());
}

TEST(AwsRequestSender, RetriesAStreamThatFailedBeforeAnyByte) {
  auto transport = std::make_shared<ScriptedTransport>(std::vector<ScriptedTransport::Step>{
      Reply(503, kSlowDown), Fail(Status::Unavailable("Connection reset by peer")),
      Reply(200, "whole object")});
  FakeClock clock;
  std::string received;
  BodySink sink = [&](std::string_view chunk) {
    received += chunk;
    return Status::OK();
  };
  AwsCall call = S3GetObject("https://trail-bucket.s3.us-east-1.amazonaws.com/k");
  call.sink = &sink;
  AwsRequestSender sender(transport, std::make_shared<CountingProvider>(), RetryOptions{}, &clock);
  auto r = sender.Send(call);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(received, "whole object");
  EXPECT_EQ(clock.sleeps().size(), 2u);
}

TEST(AwsRequestSender, ConnectFailuresAreRetriedUpToMaxAttempts) {
  // A port where nothing listens: take a free one from a server we then stop.
  int port = 0;
  {
    LocalHttpServer probe;
    ASSERT_TRUE(probe.Start().ok());
    port = probe.port();
  }
  FakeClock clock;
  RetryOptions retry;
  retry.max_attempts = 4;
  AwsRequestSender sender(MakeCurlHttpTransport(), std::make_shared<CountingProvider>(), retry,
                          &clock);
  auto r = sender.Send(S3GetObject("http://127.0.0.1:" + std::to_string(port) + "/b/k"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnavailable) << r.status().ToString();
  EXPECT_TRUE(r.status().message().starts_with(
      "Failed to GetObject s3://trail-bucket/AWSLogs/1/CloudTrail/x.json.gz: "))
      << r.status().message();
  EXPECT_EQ(r.status().resource(), "s3://trail-bucket/AWSLogs/1/CloudTrail/x.json.gz");
  EXPECT_EQ(clock.sleeps().size(), 3u);
}

// ---- Per-attempt behaviour, with a scripted transport ----

TEST(AwsRequestSender, FetchesCredentialsAndSignsAgainOnEveryAttempt) {
  auto transport = std::make_shared<ScriptedTransport>(std::vector<ScriptedTransport::Step>{
      Reply(500, "<Error><Code>InternalError</Code></Error>"), Reply(200, "ok")});
  auto provider = std::make_shared<CountingProvider>();
  FakeClock clock;
  RetryOptions retry;
  retry.base_delay = milliseconds(2000);  // so that the second X-Amz-Date differs
  AwsRequestSender sender(transport, provider, retry, &clock);
  AwsCall call = S3GetObject("https://trail-bucket.s3.us-east-1.amazonaws.com/k");
  call.request.headers.push_back({"Range", "bytes=0-99"});
  auto r = sender.Send(call);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(provider->calls(), 2);
  auto requests = transport->requests();
  ASSERT_EQ(requests.size(), 2u);
  for (const HttpRequest& request : requests) {
    EXPECT_TRUE(FindHeader(request.headers, "Authorization").starts_with("AWS4-HMAC-SHA256"));
    EXPECT_EQ(FindHeader(request.headers, "X-Amz-Security-Token"), kSessionToken);
    EXPECT_EQ(FindHeader(request.headers, "Range"), "bytes=0-99");
  }
  EXPECT_EQ(FindHeader(requests[0].headers, "X-Amz-Date"), "20240101T000000Z");
  if (clock.sleeps()[0] >= milliseconds(1000)) {
    EXPECT_NE(FindHeader(requests[1].headers, "X-Amz-Date"), "20240101T000000Z");
  }
  EXPECT_TRUE(FindHeader(call.request.headers, "Authorization").empty());  // call unchanged
}

TEST(AwsRequestSender, RetriesRetriableCredentialFailures) {
  auto transport =
      std::make_shared<ScriptedTransport>(std::vector<ScriptedTransport::Step>{Reply(200, "ok")});
  auto provider = std::make_shared<CountingProvider>(
      1, Status::Unavailable("instance metadata service did not answer"));
  FakeClock clock;
  AwsRequestSender sender(transport, provider, RetryOptions{}, &clock);
  auto r = sender.Send(S3GetObject("https://b.s3.amazonaws.com/k"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(provider->calls(), 2);
  EXPECT_EQ(transport->requests().size(), 1u);
}

TEST(AwsRequestSender, ReturnsPermanentCredentialFailuresNamingTheCall) {
  auto transport =
      std::make_shared<ScriptedTransport>(std::vector<ScriptedTransport::Step>{Reply(200, "ok")});
  auto provider = std::make_shared<CountingProvider>(
      100, Status::Unauthenticated("no credentials in the environment or profile"));
  FakeClock clock;
  AwsRequestSender sender(transport, provider, RetryOptions{}, &clock);
  auto r = sender.Send(S3GetObject("https://b.s3.amazonaws.com/k"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(r.status().message(),
            "Failed to GetObject s3://trail-bucket/AWSLogs/1/CloudTrail/x.json.gz: no "
            "credentials in the environment or profile");
  EXPECT_EQ(provider->calls(), 1);
  EXPECT_TRUE(transport->requests().empty());
}

TEST(AwsRequestSender, SendRawReturnsTheLastResponseOnceRetriesAreExhausted) {
  auto transport = std::make_shared<ScriptedTransport>(
      std::vector<ScriptedTransport::Step>{Reply(503, kSlowDown)});
  FakeClock clock;
  AwsRequestSender sender(transport, std::make_shared<CountingProvider>(), RetryOptions{}, &clock);
  auto r = sender.SendRaw(S3GetObject("https://b.s3.amazonaws.com/k"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, 503);
  EXPECT_EQ(transport->requests().size(), 3u);
  EXPECT_EQ(clock.sleeps().size(), 2u);

  auto s = sender.Send(S3GetObject("https://b.s3.amazonaws.com/k"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kThrottled);
  EXPECT_EQ(s.status().aws_error_code(), "SlowDown");
}

TEST(AwsRequestSender, ARedirectIsAFailedPreconditionNamingTheBucketRegion) {
  auto transport = std::make_shared<ScriptedTransport>(std::vector<ScriptedTransport::Step>{Reply(
      301,
      "<Error><Code>PermanentRedirect</Code><Message>The bucket you are attempting to access "
      "must be addressed using the specified endpoint. Please send all future requests to this "
      "endpoint.</Message><Endpoint>trail-bucket.s3.eu-west-1.amazonaws.com</Endpoint>"
      "<Bucket>trail-bucket</Bucket><RequestId>X1</RequestId><HostId>h</HostId></Error>",
      {{"x-amz-bucket-region", "eu-west-1"}, {"x-amz-request-id", "X1"}})});
  FakeClock clock;
  AwsRequestSender sender(transport, std::make_shared<CountingProvider>(), RetryOptions{}, &clock);
  auto r = sender.Send(S3GetObject("https://trail-bucket.s3.us-east-1.amazonaws.com/k"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(r.status().aws_error_code(), "PermanentRedirect");
  EXPECT_NE(r.status().message().find("(the bucket is in region 'eu-west-1')"), std::string::npos)
      << r.status().message();
  EXPECT_EQ(transport->requests().size(), 1u);
}

TEST(AwsRequestSender, IsSafeToUseFromManyThreads) {
  auto transport = std::make_shared<ScriptedTransport>(std::vector<ScriptedTransport::Step>{
      Reply(503, kSlowDown), Reply(503, kSlowDown), Reply(503, kSlowDown), Reply(503, kSlowDown),
      Reply(200, "ok")});
  FakeClock clock;
  RetryOptions retry;
  retry.max_attempts = 10;
  AwsRequestSender sender(transport, std::make_shared<CountingProvider>(), retry, &clock);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      for (int j = 0; j < 25; ++j) {
        if (!sender.Send(S3GetObject("https://b.s3.amazonaws.com/k")).ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(transport->requests().size(), 104u);  // 4 throttled + 100 successful
}

// ---- Error documents ----

AwsCall NamedCall(std::string operation, std::string resource) {
  AwsCall call;
  call.operation = std::move(operation);
  call.resource = std::move(resource);
  return call;
}

TEST(StatusFromAwsError, ReadsAnS3ErrorDocument) {
  HttpResponse response{404,
                        {{"x-amz-request-id", "9CE6B5C6A1E7B8F2"},
                         {"x-amz-id-2", "yVg3Qd4qHm2Y4Zk9QnqH0n4mqkq0y2w="},
                         {"Content-Type", "application/xml"}},
                        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</"
                        "Code><Message>The specified key does not exist.</Message><Key>AWSLogs/"
                        "x.json.gz</Key><RequestId>9CE6B5C6A1E7B8F2</RequestId><HostId>yVg3Qd4q"
                        "Hm2Y4Zk9QnqH0n4mqkq0y2w=</HostId></Error>"};
  Status s = StatusFromAwsError(NamedCall("GetObject", "s3://b/AWSLogs/x.json.gz"), response,
                                ErrorProtocol::kXml);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message(),
            "Failed to GetObject s3://b/AWSLogs/x.json.gz: The specified key does "
            "not exist.");
  EXPECT_EQ(s.aws_error_code(), "NoSuchKey");
  EXPECT_EQ(s.request_id(), "9CE6B5C6A1E7B8F2");
  EXPECT_EQ(s.http_status(), 404);
  EXPECT_EQ(s.resource(), "s3://b/AWSLogs/x.json.gz");
}

TEST(StatusFromAwsError, ReadsAnS3WrongRegionError) {
  HttpResponse response{
      400,
      {},
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AuthorizationHeaderMalformed</"
      "Code><Message>The authorization header is malformed; the region 'us-east-1' is wrong; "
      "expecting 'ap-northeast-3'</Message><Region>ap-northeast-3</Region><RequestId>"
      "A1B2C3D4E5F60718</RequestId><HostId>abc=</HostId></Error>"};
  AwsErrorDetails details = ParseAwsError(response, ErrorProtocol::kXml);
  EXPECT_EQ(details.region, "ap-northeast-3");
  EXPECT_EQ(details.request_id, "A1B2C3D4E5F60718");  // from the body: no header
  Status s =
      StatusFromAwsError(NamedCall("ListObjectsV2", "s3://b"), response, ErrorProtocol::kXml);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_FALSE(s.IsRetriable());
}

TEST(StatusFromAwsError, ReadsAnStsQueryProtocolError) {
  HttpResponse response{
      403,
      {{"x-amzn-RequestId", "c6104cbe-af31-11e0-8154-cbc7ccf896c7"}, {"Content-Type", "text/xml"}},
      "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
      "  <Error>\n    <Type>Sender</Type>\n    <Code>InvalidClientTokenId</Code>\n"
      "    <Message>The security token included in the request is invalid.</Message>\n"
      "  </Error>\n  <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>\n"
      "</ErrorResponse>\n"};
  Status s = StatusFromAwsError(NamedCall("GetCallerIdentity", ""), response, ErrorProtocol::kXml);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(s.message(),
            "Failed to GetCallerIdentity: The security token included in the request is invalid.");
  EXPECT_EQ(s.aws_error_code(), "InvalidClientTokenId");
  EXPECT_EQ(s.request_id(), "c6104cbe-af31-11e0-8154-cbc7ccf896c7");

  response.headers.clear();  // the request id then comes from the body
  EXPECT_EQ(ParseAwsError(response, ErrorProtocol::kXml).request_id,
            "c6104cbe-af31-11e0-8154-cbc7ccf896c7");
}

TEST(StatusFromAwsError, PrefersTheSqsQueryErrorHeaderToTheJsonType) {
  HttpResponse response{400,
                        {{"x-amzn-RequestId", "5a3f2b1c-6d7e-5f8a-9b0c-1d2e3f4a5b6c"},
                         {"x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"},
                         {"Content-Type", "application/x-amz-json-1.0"}},
                        R"({"__type":"com.amazonaws.sqs#QueueDoesNotExist",)"
                        R"("message":"The specified queue does not exist."})"};
  const std::string queue = "https://sqs.ap-northeast-3.amazonaws.com/123456789012/trail";
  Status s = StatusFromAwsError(NamedCall("ReceiveMessage", queue), response, ErrorProtocol::kJson);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.aws_error_code(), "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(s.message(),
            "Failed to ReceiveMessage " + queue + ": The specified queue does not exist.");
  EXPECT_EQ(s.request_id(), "5a3f2b1c-6d7e-5f8a-9b0c-1d2e3f4a5b6c");
  EXPECT_EQ(s.resource(), queue);

  response.headers.erase(response.headers.begin() + 1);  // without the header: the __type
  s = StatusFromAwsError(NamedCall("ReceiveMessage", queue), response, ErrorProtocol::kJson);
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.aws_error_code(), "QueueDoesNotExist");
}

TEST(StatusFromAwsError, ReadsJsonThrottlingAndAccessErrors) {
  HttpResponse throttled{400, {}, R"({"__type":"ThrottlingException","message":"Rate exceeded"})"};
  Status s = StatusFromAwsError(NamedCall("ReceiveMessage", "q"), throttled, ErrorProtocol::kJson);
  EXPECT_EQ(s.code(), StatusCode::kThrottled);
  EXPECT_TRUE(s.IsRetriable());

  HttpResponse denied{400,
                      {{"x-amzn-query-error", "KMS.AccessDeniedException;Sender"}},
                      R"({"__type":"com.amazonaws.sqs#KmsAccessDenied","message":"The )"
                      R"(ciphertext refers to a customer master key that does not exist"})"};
  s = StatusFromAwsError(NamedCall("ReceiveMessage", "q"), denied, ErrorProtocol::kJson);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.aws_error_code(), "KMS.AccessDeniedException");

  HttpResponse capital{400, {}, R"({"__type":"AccessDeniedException","Message":"User: x"})"};
  s = StatusFromAwsError(NamedCall("ReceiveMessage", "q"), capital, ErrorProtocol::kJson);
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.message(), "Failed to ReceiveMessage q: User: x");
}

TEST(StatusFromAwsError, UsesTheHttpStatusWhenThereIsNoBody) {
  struct Case {
    int http;
    StatusCode code;
  };
  for (Case c :
       {Case{404, StatusCode::kNotFound}, Case{403, StatusCode::kPermissionDenied},
        Case{301, StatusCode::kFailedPrecondition}, Case{429, StatusCode::kThrottled},
        Case{500, StatusCode::kUnavailable}, Case{503, StatusCode::kUnavailable},
        Case{400, StatusCode::kInvalidArgument}, Case{401, StatusCode::kUnauthenticated}}) {
    HttpResponse response{c.http, {{"x-amz-id-2", "EXTENDED-ID"}}, ""};
    Status s =
        StatusFromAwsError(NamedCall("HeadObject", "s3://b/k"), response, ErrorProtocol::kXml);
    EXPECT_EQ(s.code(), c.code) << c.http;
    EXPECT_EQ(s.message(), "Failed to HeadObject s3://b/k: HTTP " + std::to_string(c.http));
    EXPECT_EQ(s.http_status(), c.http);
    EXPECT_EQ(s.request_id(), "EXTENDED-ID");
  }
}

TEST(StatusFromAwsError, MapsAwsCodesToStatusCodes) {
  struct Case {
    const char* aws;
    int http;
    StatusCode code;
  };
  for (Case c : {
           Case{"AccessDenied", 403, StatusCode::kPermissionDenied},
           Case{"AllAccessDisabled", 403, StatusCode::kPermissionDenied},
           Case{"KMS.DisabledException", 400, StatusCode::kPermissionDenied},
           Case{"SignatureDoesNotMatch", 403, StatusCode::kUnauthenticated},
           Case{"ExpiredToken", 400, StatusCode::kUnauthenticated},
           Case{"ExpiredTokenException", 400, StatusCode::kUnauthenticated},
           Case{"InvalidAccessKeyId", 403, StatusCode::kUnauthenticated},
           Case{"UnrecognizedClientException", 400, StatusCode::kUnauthenticated},
           Case{"IncompleteSignature", 400, StatusCode::kUnauthenticated},
           Case{"MissingAuthenticationToken", 403, StatusCode::kUnauthenticated},
           Case{"InvalidToken", 400, StatusCode::kUnauthenticated},
           Case{"AuthFailure", 401, StatusCode::kUnauthenticated},
           Case{"NoSuchBucket", 404, StatusCode::kNotFound},
           Case{"NotFound", 404, StatusCode::kNotFound},
           Case{"Throttling", 400, StatusCode::kThrottled},
           Case{"ThrottledException", 400, StatusCode::kThrottled},
           Case{"SlowDown", 503, StatusCode::kThrottled},
           Case{"RequestLimitExceeded", 503, StatusCode::kThrottled},
           Case{"TooManyRequestsException", 400, StatusCode::kThrottled},
           Case{"RequestThrottled", 400, StatusCode::kThrottled},
           Case{"RequestThrottledException", 400, StatusCode::kThrottled},
           Case{"ProvisionedThroughputExceededException", 400, StatusCode::kThrottled},
           Case{"KmsThrottled", 400, StatusCode::kThrottled},
           Case{"InternalError", 500, StatusCode::kUnavailable},
           Case{"ServiceUnavailable", 503, StatusCode::kUnavailable},
           Case{"SomethingNew", 502, StatusCode::kUnavailable},
           Case{"RequestTimeout", 400, StatusCode::kDeadlineExceeded},
           Case{"RequestTimeoutException", 400, StatusCode::kDeadlineExceeded},
           Case{"PermanentRedirect", 301, StatusCode::kFailedPrecondition},
           Case{"IllegalLocationConstraintException", 400, StatusCode::kFailedPrecondition},
           Case{"InvalidParameterValue", 400, StatusCode::kInvalidArgument},
       }) {
    EXPECT_EQ(StatusCodeForAwsError(c.aws, c.http), c.code) << c.aws;
  }
}

TEST(StatusFromAwsError, SurvivesBodiesThatAreNotErrorDocuments) {
  for (const char* body : {"<html><body>502 Bad Gateway</body></html>", "{not json",
                           "<Error><Code>", "[1,2]", "\x01\x02\x03"}) {
    HttpResponse response{502, {}, body};
    for (ErrorProtocol protocol : {ErrorProtocol::kJson, ErrorProtocol::kXml}) {
      Status s = StatusFromAwsError(NamedCall("GetObject", "s3://b/k"), response, protocol);
      EXPECT_EQ(s.code(), StatusCode::kUnavailable) << body;
      EXPECT_EQ(s.aws_error_code(), "") << body;
    }
  }
}

}  // namespace
}  // namespace trailhound::aws
