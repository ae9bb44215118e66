#include "aws/sns.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "testing/local_http_server.h"

namespace trailhound::aws {
namespace {

using trailhound::testing::LocalHttpServer;

constexpr char kTopicArn[] = "arn:aws:sns:eu-west-1:123456789012:org-trail";

// What the fake SNS saw of one request.
struct Seen {
  std::string path;
  std::string content_type;
  std::string authorization;
  std::map<std::string, std::string> form;
};

// A fake SNS on 127.0.0.1: records every request and answers with `status` and `body`.
class SnsClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.server().Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      Seen seen;
      seen.path = req.path;
      seen.content_type = req.get_header_value("Content-Type");
      seen.authorization = req.get_header_value("Authorization");
      httplib::Params params;
      httplib::detail::parse_query_text(req.body, params);
      for (const auto& [key, value] : params) seen.form[key] = value;
      std::lock_guard lock(mu_);
      seen_.push_back(seen);
      res.status = status_;
      res.set_content(body_, "text/xml");
    });
    ASSERT_TRUE(server_.Start().ok());
  }

  void Reply(int status, std::string body) {
    std::lock_guard lock(mu_);
    status_ = status;
    body_ = std::move(body);
  }
  // A success document of `action` with `result` inside <`action`Result>.
  void ReplyResult(std::string_view action, std::string_view result) {
    Reply(200, fmt::format("<{0}Response xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">\n"
                           "  <{0}Result>\n    {1}\n  </{0}Result>\n"
                           "  <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata>\n"
                           "</{0}Response>",
                           action, result));
  }
  void ReplyError(int status, std::string_view code, std::string_view message) {
    Reply(status,
          fmt::format("<ErrorResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\">"
                      "<Error><Type>Sender</Type><Code>{}</Code><Message>{}</Message></Error>"
                      "<RequestId>req-err-1</RequestId></ErrorResponse>",
                      code, message));
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

  SnsClient Client(std::string region = "us-east-1") {
    Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    RetryOptions retry;
    retry.max_attempts = 1;
    auto sender = std::make_shared<AwsRequestSender>(
        MakeCurlHttpTransport(), MakeStaticCredentialsProvider(credentials), retry);
    SnsOptions options;
    options.endpoint_url = server_.url() + "/";
    options.region = std::move(region);
    return SnsClient(std::move(sender), options);
  }

  LocalHttpServer server_;
  std::mutex mu_;
  std::vector<Seen> seen_;
  int status_ = 200;
  std::string body_;
};

TEST_F(SnsClientTest, PublishPostsTheFormToTheRootSignedForTheTopicRegion) {
  ReplyResult("Publish", "<MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId>");
  // JSON with every character form encoding must survive: quotes, &, =, +, %, spaces, UTF-8.
  const std::string message =
      R"({"s3Bucket":"b&b=1","s3ObjectKey":["AWSLogs/a b+c%d/ü 日本.json.gz"]})";
  auto id = Client().Publish(kTopicArn, message, "Amazon S3 Notification");
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "94f20ce6-13c5-43a0-9a9e-ca52d816e90b");

  ASSERT_EQ(seen().size(), 1u);
  const Seen request = seen()[0];
  EXPECT_EQ(request.path, "/");
  EXPECT_EQ(request.content_type, "application/x-www-form-urlencoded; charset=utf-8");
  EXPECT_EQ(request.form.at("Action"), "Publish");
  EXPECT_EQ(request.form.at("Version"), "2010-03-31");
  EXPECT_EQ(request.form.at("TopicArn"), kTopicArn);
  EXPECT_EQ(request.form.at("Message"), message);
  EXPECT_EQ(request.form.at("Subject"), "Amazon S3 Notification");
  EXPECT_EQ(request.form.size(), 5u);
  // The ARN's region, not the client's default region.
  EXPECT_TRUE(request.authorization.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"))
      << request.authorization;
  EXPECT_NE(request.authorization.find("/eu-west-1/sns/aws4_request"), std::string::npos)
      << request.authorization;
}

TEST_F(SnsClientTest, PublishWithoutSubjectSendsNone) {
  ReplyResult("Publish", "<MessageId>m-1</MessageId>");
  ASSERT_TRUE(Client().Publish(kTopicArn, "hello").ok());
  EXPECT_EQ(seen()[0].form.count("Subject"), 0u);
}

TEST_F(SnsClientTest, PublishRefusesEmptyAndOversizedMessagesWithoutACall) {
  SnsClient sns = Client();
  auto empty = sns.Publish(kTopicArn, "");
  EXPECT_EQ(empty.status().code(), StatusCode::kInvalidArgument);
  auto big = sns.Publish(kTopicArn, std::string(256 * 1024 + 1, 'x'));
  EXPECT_EQ(big.status().code(), StatusCode::kInvalidArgument) << big.status().ToString();
  EXPECT_EQ(big.status().resource(), kTopicArn);
  auto bad_arn = sns.Publish("arn:aws:sqs:us-east-1:123456789012:queue", "hello");
  EXPECT_EQ(bad_arn.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(seen().empty());
}

TEST_F(SnsClientTest, CreateTopicIsSignedForTheOptionsRegionAndReturnsTheArn) {
  ReplyResult("CreateTopic", "<TopicArn>arn:aws:sns:ap-northeast-3:123456789012:t1</TopicArn>");
  auto arn = Client("ap-northeast-3").CreateTopic("t1");
  ASSERT_TRUE(arn.ok()) << arn.status().ToString();
  EXPECT_EQ(*arn, "arn:aws:sns:ap-northeast-3:123456789012:t1");
  const Seen request = seen()[0];
  EXPECT_EQ(request.form.at("Action"), "CreateTopic");
  EXPECT_EQ(request.form.at("Name"), "t1");
  EXPECT_NE(request.authorization.find("/ap-northeast-3/sns/aws4_request"), std::string::npos);
}

TEST_F(SnsClientTest, CreateTopicWithoutARegionFailsWithoutACall) {
  auto arn = Client("").CreateTopic("t1");
  EXPECT_EQ(arn.status().code(), StatusCode::kInvalidArgument) << arn.status().ToString();
  EXPECT_TRUE(seen().empty());
}

TEST_F(SnsClientTest, SubscribeSendsProtocolEndpointAndAttributes) {
  ReplyResult("Subscribe", "<SubscriptionArn>" + std::string(kTopicArn) +
                               ":2b0f1e1c-8c9b-4d3e-a0e6-111111111111</SubscriptionArn>");
  auto subscription =
      Client().Subscribe(kTopicArn, "sqs", "arn:aws:sqs:eu-west-1:123456789012:siem",
                         {{"RawMessageDelivery", "true"}, {"FilterPolicyScope", "MessageBody"}});
  ASSERT_TRUE(subscription.ok()) << subscription.status().ToString();
  EXPECT_EQ(*subscription, std::string(kTopicArn) + ":2b0f1e1c-8c9b-4d3e-a0e6-111111111111");
  const Seen request = seen()[0];
  EXPECT_EQ(request.form.at("Action"), "Subscribe");
  EXPECT_EQ(request.form.at("TopicArn"), kTopicArn);
  EXPECT_EQ(request.form.at("Protocol"), "sqs");
  EXPECT_EQ(request.form.at("Endpoint"), "arn:aws:sqs:eu-west-1:123456789012:siem");
  EXPECT_EQ(request.form.at("ReturnSubscriptionArn"), "true");
  // Attributes in name order.
  EXPECT_EQ(request.form.at("Attributes.entry.1.key"), "FilterPolicyScope");
  EXPECT_EQ(request.form.at("Attributes.entry.1.value"), "MessageBody");
  EXPECT_EQ(request.form.at("Attributes.entry.2.key"), "RawMessageDelivery");
  EXPECT_EQ(request.form.at("Attributes.entry.2.value"), "true");
  EXPECT_NE(request.authorization.find("/eu-west-1/sns/aws4_request"), std::string::npos);
}

TEST_F(SnsClientTest, MissingTopicIsNotFoundNamingTheTopic) {
  ReplyError(404, "NotFound", "Topic does not exist");
  auto id = Client().Publish(kTopicArn, "hello");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(id.status().aws_error_code(), "NotFound");
  EXPECT_EQ(id.status().request_id(), "req-err-1");
  EXPECT_EQ(id.status().resource(), kTopicArn);
  EXPECT_FALSE(id.status().IsRetriable());
  EXPECT_NE(id.status().ToString().find("Failed to Publish " + std::string(kTopicArn) +
                                        ": Topic does not exist"),
            std::string::npos)
      << id.status().ToString();
}

TEST_F(SnsClientTest, AuthorizationErrorIsPermissionDenied) {
  ReplyError(403, "AuthorizationError",
             "User: arn:aws:iam::123456789012:user/sim is not authorized to perform: SNS:Publish");
  auto id = Client().Publish(kTopicArn, "hello");
  ASSERT_FALSE(id.ok());
  EXPECT_EQ(id.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(id.status().aws_error_code(), "AuthorizationError");
  EXPECT_FALSE(id.status().IsRetriable());
}

TEST_F(SnsClientTest, InvalidParameterIsInvalidArgumentAndInternalErrorIsRetriable) {
  ReplyError(400, "InvalidParameter", "Invalid parameter: Message too long");
  auto invalid = Client().Publish(kTopicArn, "hello");
  EXPECT_EQ(invalid.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(invalid.status().aws_error_code(), "InvalidParameter");

  ReplyError(500, "InternalError", "oops");
  auto internal = Client().Publish(kTopicArn, "hello");
  EXPECT_EQ(internal.status().code(), StatusCode::kUnavailable);
  EXPECT_TRUE(internal.status().IsRetriable());
}

TEST_F(SnsClientTest, SuccessWithoutTheResultFieldIsCorruption) {
  ReplyResult("Publish", "<SequenceNumber>1</SequenceNumber>");
  auto id = Client().Publish(kTopicArn, "hello");
  EXPECT_EQ(id.status().code(), StatusCode::kCorruption) << id.status().ToString();
  EXPECT_NE(id.status().ToString().find("no MessageId"), std::string::npos);

  Reply(200, "this is not XML");
  auto garbage = Client().Publish(kTopicArn, "hello");
  EXPECT_EQ(garbage.status().code(), StatusCode::kCorruption) << garbage.status().ToString();
}

TEST_F(SnsClientTest, DeleteTopicNeedsNoResultField) {
  ReplyResult("DeleteTopic", "");
  Status deleted = Client().DeleteTopic(kTopicArn);
  EXPECT_TRUE(deleted.ok()) << deleted.ToString();
  EXPECT_EQ(seen()[0].form.at("Action"), "DeleteTopic");
}

// Records requests and answers 200 with a Publish result, for calls that must not leave the
// machine.
class RecordingTransport : public HttpTransport {
 public:
  Result<HttpResponse> Send(const HttpRequest& request, const BodySink*,
                            const HttpOptions*) override {
    requests.push_back(request);
    HttpResponse response;
    response.status = 200;
    response.body =
        "<PublishResponse><PublishResult><MessageId>m</MessageId></PublishResult>"
        "</PublishResponse>";
    return response;
  }
  std::vector<HttpRequest> requests;
};

TEST(SnsClient, WithoutAnEndpointUrlCallsTheTopicsRegionalEndpoint) {
  auto transport = std::make_shared<RecordingTransport>();
  Credentials credentials;
  credentials.access_key_id = "AKIDEXAMPLE";
  credentials.secret_access_key = Secret("secret");
  SnsClient sns(
      std::make_shared<AwsRequestSender>(transport, MakeStaticCredentialsProvider(credentials)));
  ASSERT_TRUE(sns.Publish("arn:aws-cn:sns:cn-north-1:123456789012:t", "x").ok());
  ASSERT_TRUE(sns.Publish(kTopicArn, "x").ok());
  ASSERT_EQ(transport->requests.size(), 2u);
  EXPECT_EQ(transport->requests[0].url, "https://sns.cn-north-1.amazonaws.com.cn/");
  EXPECT_EQ(transport->requests[1].url, "https://sns.eu-west-1.amazonaws.com/");
}

TEST(SnsTopicArn, SplitsTheFiveParts) {
  auto arn = ParseSnsTopicArn("arn:aws:sns:us-east-1:000000000000:org-trail.fifo");
  ASSERT_TRUE(arn.ok()) << arn.status().ToString();
  EXPECT_EQ(arn->arn, "arn:aws:sns:us-east-1:000000000000:org-trail.fifo");
  EXPECT_EQ(arn->partition, "aws");
  EXPECT_EQ(arn->region, "us-east-1");
  EXPECT_EQ(arn->account_id, "000000000000");
  EXPECT_EQ(arn->name, "org-trail.fifo");
}

TEST(SnsTopicArn, RefusesWhatIsNotATopicArn) {
  for (const char* text : {
           "",
           "org-trail",
           "arn:aws:sqs:us-east-1:123456789012:queue",
           "arn:aws:sns::123456789012:no-region",
           "arn:aws:sns:us-east-1::no-account",
           "arn:aws:sns:us-east-1:123456789012:",
           "arn:aws:sns:us-east-1:123456789012:topic:6b0e71bd-7e97-4d97-80ce-4a0994e55286",
           "urn:aws:sns:us-east-1:123456789012:topic",
       }) {
    auto arn = ParseSnsTopicArn(text);
    EXPECT_EQ(arn.status().code(), StatusCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace trailhound::aws
