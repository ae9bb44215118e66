#include "aws/sqs.h"

#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "aws/credentials.h"
#include "testing/local_http_server.h"

namespace trailhound::aws {
namespace {

using Json = nlohmann::json;
using trailhound::testing::LocalHttpServer;

// What the fake SQS saw of one request.
struct Seen {
  std::string path;
  std::string host;
  std::string content_type;
  std::string amz_target;
  std::string authorization;
  Json body;
};

// A fake SQS on 127.0.0.1: records every request and answers with `reply`.
class SqsClientTest : public ::testing::Test {
 protected:
  using Reply = std::function<void(const Seen&, httplib::Response&)>;

  void SetUp() override {
    server_.server().Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      Seen seen;
      seen.path = req.path;
      seen.host = req.get_header_value("Host");
      seen.content_type = req.get_header_value("Content-Type");
      seen.amz_target = req.get_header_value("X-Amz-Target");
      seen.authorization = req.get_header_value("Authorization");
      seen.body = Json::parse(req.body, nullptr, false);
      Reply reply;
      {
        std::lock_guard lock(mu_);
        seen_.push_back(seen);
        reply = reply_;
      }
      if (reply) {
        reply(seen, res);
      } else {
        res.set_content("{}", "application/x-amz-json-1.0");
      }
    });
    ASSERT_TRUE(server_.Start().ok());
    queue_url_ =
        fmt::format("http://sqs.us-east-1.localhost:{}/000000000000/trail-q", server_.port());
  }

  void SetReply(Reply reply) {
    std::lock_guard lock(mu_);
    reply_ = std::move(reply);
  }
  void ReplyJson(const Json& json, int status = 200) {
    SetReply([json, status](const Seen&, httplib::Response& res) {
      res.status = status;
      res.set_content(json.dump(), "application/x-amz-json-1.0");
    });
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

  static std::shared_ptr<AwsRequestSender> Sender(HttpOptions http = {}) {
    Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    RetryOptions retry;
    retry.max_attempts = 1;
    return std::make_shared<AwsRequestSender>(MakeCurlHttpTransport(http),
                                              MakeStaticCredentialsProvider(credentials), retry);
  }

  LocalHttpServer server_;
  std::string queue_url_;
  std::mutex mu_;
  std::vector<Seen> seen_;
  Reply reply_;
};

TEST_F(SqsClientTest, ReceivePostsJsonToTheQueueHostRootNeverToTheQueuePath) {
  ReplyJson(
      {{"Messages",
        {{{"MessageId", "m-1"},
          {"ReceiptHandle", "rh-1"},
          {"MD5OfBody", "5d41402abc4b2a76b9719d911017c592"},
          {"Body", "hello"},
          {"Attributes", {{"ApproximateReceiveCount", "3"}, {"SentTimestamp", "1709296496789"}}}},
         {{"MessageId", "m-2"}, {"ReceiptHandle", "rh-2"}, {"Body", "{}"}}}}});
  SqsClient sqs(Sender());
  auto messages = sqs.ReceiveMessage(
      queue_url_, {.max_messages = 7, .wait_time_secs = 1, .visibility_timeout_secs = 120});
  ASSERT_TRUE(messages.ok()) << messages.status().ToString();

  ASSERT_EQ(seen().size(), 1u);
  const Seen request = seen()[0];
  EXPECT_EQ(request.path, "/");
  EXPECT_EQ(request.host, fmt::format("sqs.us-east-1.localhost:{}", server_.port()));
  EXPECT_EQ(request.content_type, "application/x-amz-json-1.0");
  EXPECT_EQ(request.amz_target, "AmazonSQS.ReceiveMessage");
  EXPECT_NE(request.authorization.find("/us-east-1/sqs/aws4_request"), std::string::npos)
      << request.authorization;
  EXPECT_EQ(request.body["QueueUrl"], queue_url_);
  EXPECT_EQ(request.body["MaxNumberOfMessages"], 7);
  EXPECT_EQ(request.body["WaitTimeSeconds"], 1);
  EXPECT_EQ(request.body["VisibilityTimeout"], 120);
  const Json attributes = Json::array({"ApproximateReceiveCount", "SentTimestamp"});
  EXPECT_EQ(request.body["MessageSystemAttributeNames"], attributes);
  EXPECT_EQ(request.body["AttributeNames"], attributes);

  ASSERT_EQ(messages->size(), 2u);
  const SqsMessage& first = (*messages)[0];
  EXPECT_EQ(first.message_id, "m-1");
  EXPECT_EQ(first.receipt_handle, "rh-1");
  EXPECT_EQ(first.body, "hello");
  EXPECT_EQ(first.md5_of_body, "5d41402abc4b2a76b9719d911017c592");
  EXPECT_EQ(first.receive_count, 3);
  ASSERT_TRUE(first.sent_time.has_value());
  EXPECT_EQ(
      std::chrono::duration_cast<std::chrono::milliseconds>(first.sent_time->time_since_epoch())
          .count(),
      1709296496789);
  EXPECT_EQ(first.attributes.at("ApproximateReceiveCount"), "3");
  EXPECT_EQ((*messages)[1].receive_count, 0);
  EXPECT_FALSE((*messages)[1].sent_time.has_value());
}

TEST_F(SqsClientTest, ReceiveWithoutMessagesIsEmptyNotAnError) {
  SqsClient sqs(Sender());
  auto messages = sqs.ReceiveMessage(queue_url_, {.wait_time_secs = 0});
  ASSERT_TRUE(messages.ok()) << messages.status().ToString();
  EXPECT_TRUE(messages->empty());
  EXPECT_FALSE(seen().at(0).body.contains("VisibilityTimeout"));
}

TEST_F(SqsClientTest, MotoStyleUrlSignsForTheConfiguredRegion) {
  const std::string url = fmt::format("{}/123456789012/moto-q", server_.url());
  SqsClient sqs(Sender(), {.region = "ap-northeast-3"});
  ASSERT_TRUE(sqs.DeleteMessage(url, "rh").ok());
  const Seen request = seen().at(0);
  EXPECT_EQ(request.path, "/");
  EXPECT_EQ(request.amz_target, "AmazonSQS.DeleteMessage");
  EXPECT_NE(request.authorization.find("/ap-northeast-3/sqs/aws4_request"), std::string::npos);
  EXPECT_EQ(request.body, Json({{"QueueUrl", url}, {"ReceiptHandle", "rh"}}));

  SqsClient without_region(Sender());
  Status status = without_region.DeleteMessage(url, "rh");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(status.resource(), url);
  EXPECT_EQ(seen().size(), 1u);
}

TEST_F(SqsClientTest, EndpointOverrideSendsAwsQueueUrlsElsewhereVerbatim) {
  const std::string url = "https://sqs.eu-west-1.amazonaws.com/123456789012/cloudtrail";
  SqsClient sqs(Sender(), {.endpoint_url = server_.url() + "/"});
  ASSERT_TRUE(sqs.ChangeMessageVisibility(url, "rh-9", 300).ok());
  const Seen request = seen().at(0);
  EXPECT_EQ(request.path, "/");
  EXPECT_EQ(request.amz_target, "AmazonSQS.ChangeMessageVisibility");
  EXPECT_NE(request.authorization.find("/eu-west-1/sqs/aws4_request"), std::string::npos);
  EXPECT_EQ(request.body,
            Json({{"QueueUrl", url}, {"ReceiptHandle", "rh-9"}, {"VisibilityTimeout", 300}}));
}

TEST_F(SqsClientTest, DeleteMessageBatchReportsPerEntryFailures) {
  ReplyJson({{"Successful", {{{"Id", "0"}}, {{"Id", "2"}}}},
             {"Failed",
              {{{"Id", "1"},
                {"SenderFault", true},
                {"Code", "ReceiptHandleIsInvalid"},
                {"Message", "The receipt handle is not valid."}}}}});
  SqsClient sqs(Sender());
  const std::vector<SqsDeleteEntry> entries = {{"0", "rh-a"}, {"1", "rh-b"}, {"2", "rh-c"}};
  auto result = sqs.DeleteMessageBatch(queue_url_, entries);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->successful_ids, (std::vector<std::string>{"0", "2"}));
  ASSERT_EQ(result->failed.size(), 1u);
  EXPECT_FALSE(result->all_succeeded());
  EXPECT_EQ(result->failed[0].id, "1");
  EXPECT_EQ(result->failed[0].code, "ReceiptHandleIsInvalid");
  EXPECT_EQ(result->failed[0].message, "The receipt handle is not valid.");
  EXPECT_TRUE(result->failed[0].sender_fault);

  const Seen request = seen().at(0);
  EXPECT_EQ(request.amz_target, "AmazonSQS.DeleteMessageBatch");
  EXPECT_EQ(request.body["Entries"], Json::array({{{"Id", "0"}, {"ReceiptHandle", "rh-a"}},
                                                  {{"Id", "1"}, {"ReceiptHandle", "rh-b"}},
                                                  {{"Id", "2"}, {"ReceiptHandle", "rh-c"}}}));
}

TEST_F(SqsClientTest, ChangeMessageVisibilityBatchReportsPerEntryFailures) {
  ReplyJson({{"Successful", {{{"Id", "a"}}}},
             {"Failed",
              {{{"Id", "b"},
                {"SenderFault", false},
                {"Code", "InternalError"},
                {"Message", "try again"}}}}});
  SqsClient sqs(Sender());
  const std::vector<SqsVisibilityEntry> entries = {{"a", "rh-a", 60}, {"b", "rh-b", 0}};
  auto result = sqs.ChangeMessageVisibilityBatch(queue_url_, entries);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->successful_ids, std::vector<std::string>{"a"});
  ASSERT_EQ(result->failed.size(), 1u);
  EXPECT_EQ(result->failed[0].code, "InternalError");
  EXPECT_FALSE(result->failed[0].sender_fault);
  EXPECT_EQ(seen().at(0).amz_target, "AmazonSQS.ChangeMessageVisibilityBatch");
  EXPECT_EQ(seen().at(0).body["Entries"][0],
            Json({{"Id", "a"}, {"ReceiptHandle", "rh-a"}, {"VisibilityTimeout", 60}}));
}

TEST_F(SqsClientTest, GetQueueAttributesReturnsAMap) {
  ReplyJson({{"Attributes",
              {{"VisibilityTimeout", "30"},
               {"RedrivePolicy", R"({"maxReceiveCount":"5"})"},
               {"ApproximateNumberOfMessages", "12"}}}});
  SqsClient sqs(Sender());
  auto attributes = sqs.GetQueueAttributes(queue_url_);
  ASSERT_TRUE(attributes.ok()) << attributes.status().ToString();
  EXPECT_EQ(attributes->at("VisibilityTimeout"), "30");
  EXPECT_EQ(attributes->at("ApproximateNumberOfMessages"), "12");
  EXPECT_EQ(seen().at(0).body["AttributeNames"], Json::array({"All"}));

  ASSERT_TRUE(sqs.GetQueueAttributes(queue_url_, {"RedrivePolicy", "QueueArn"}).ok());
  EXPECT_EQ(seen().at(1).body["AttributeNames"], Json::array({"RedrivePolicy", "QueueArn"}));
}

TEST_F(SqsClientTest, AccountCallsUseTheConfiguredEndpointAndRegion) {
  SqsClient sqs(Sender(), {.endpoint_url = server_.url(), .region = "cn-north-1"});
  ReplyJson({{"QueueUrl", queue_url_}});
  auto url = sqs.GetQueueUrl("trail-q", "210987654321");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(*url, queue_url_);
  EXPECT_EQ(seen().at(0).amz_target, "AmazonSQS.GetQueueUrl");
  EXPECT_EQ(seen().at(0).body,
            Json({{"QueueName", "trail-q"}, {"QueueOwnerAWSAccountId", "210987654321"}}));
  EXPECT_NE(seen().at(0).authorization.find("/cn-north-1/sqs/aws4_request"), std::string::npos);

  auto created = sqs.CreateQueue("trail-q", {{"VisibilityTimeout", "60"}});
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(seen().at(1).amz_target, "AmazonSQS.CreateQueue");
  EXPECT_EQ(seen().at(1).body,
            Json({{"QueueName", "trail-q"}, {"Attributes", {{"VisibilityTimeout", "60"}}}}));

  ReplyJson({{"MessageId", "m-77"}, {"MD5OfMessageBody", "x"}});
  auto id = sqs.SendMessage(queue_url_, "{\"Records\":[]}", 5);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(*id, "m-77");
  EXPECT_EQ(
      seen().at(2).body,
      Json({{"QueueUrl", queue_url_}, {"MessageBody", "{\"Records\":[]}"}, {"DelaySeconds", 5}}));

  ReplyJson(Json::object());
  ASSERT_TRUE(sqs.DeleteQueue(queue_url_).ok());
  EXPECT_EQ(seen().at(3).amz_target, "AmazonSQS.DeleteQueue");
  for (const Seen& request : seen()) EXPECT_EQ(request.path, "/");

  SqsClient no_region(Sender());
  auto failed = no_region.CreateQueue("q");
  EXPECT_EQ(failed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(failed.status().message().find("'q'"), std::string::npos);
}

TEST_F(SqsClientTest, ErrorsNameTheQueueUrl) {
  ReplyJson({{"__type", "com.amazonaws.sqs#QueueDoesNotExist"},
             {"message", "The specified queue does not exist."}},
            400);
  SqsClient sqs(Sender());
  auto messages = sqs.ReceiveMessage(queue_url_, {.wait_time_secs = 0});
  ASSERT_FALSE(messages.ok());
  EXPECT_EQ(messages.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(messages.status().resource(), queue_url_);
  EXPECT_EQ(messages.status().aws_error_code(), "QueueDoesNotExist");
  EXPECT_NE(messages.status().message().find(queue_url_), std::string::npos)
      << messages.status().ToString();
}

TEST_F(SqsClientTest, MalformedResponsesAreCorruptionNamingTheQueue) {
  SetReply([](const Seen&, httplib::Response& res) {
    res.set_content("<html>captive portal</html>", "text/html");
  });
  SqsClient sqs(Sender());
  auto messages = sqs.ReceiveMessage(queue_url_, {.wait_time_secs = 0});
  EXPECT_EQ(messages.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(messages.status().resource(), queue_url_);
}

TEST_F(SqsClientTest, InvalidArgumentsFailBeforeAnyRequest) {
  SqsClient sqs(Sender());
  EXPECT_EQ(sqs.ReceiveMessage(queue_url_, {.max_messages = 11}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(sqs.ReceiveMessage(queue_url_, {.max_messages = 0}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(sqs.ReceiveMessage(queue_url_, {.wait_time_secs = 21}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(sqs.ReceiveMessage(queue_url_, {.visibility_timeout_secs = 43201}).status().code(),
            StatusCode::kInvalidArgument);
  std::vector<SqsDeleteEntry> eleven(11);
  for (size_t i = 0; i < eleven.size(); ++i) eleven[i] = {std::to_string(i), "rh"};
  EXPECT_EQ(sqs.DeleteMessageBatch(queue_url_, eleven).status().code(),
            StatusCode::kInvalidArgument);
  const std::vector<SqsDeleteEntry> twice = {{"a", "rh-1"}, {"a", "rh-2"}};
  auto duplicate = sqs.DeleteMessageBatch(queue_url_, twice);
  EXPECT_NE(duplicate.status().message().find("'a'"), std::string::npos);
  const std::vector<SqsDeleteEntry> bad_id = {{"a.b", "rh"}};
  EXPECT_FALSE(sqs.DeleteMessageBatch(queue_url_, bad_id).ok());
  const std::vector<SqsVisibilityEntry> too_long = {{"a", "rh", 43201}};
  EXPECT_FALSE(sqs.ChangeMessageVisibilityBatch(queue_url_, too_long).ok());
  EXPECT_FALSE(sqs.ReceiveMessage("https://sqs.us-east-1.amazonaws.com/q").ok());

  auto empty = sqs.DeleteMessageBatch(queue_url_, {});
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->all_succeeded());
  EXPECT_TRUE(seen().empty());
}

TEST_F(SqsClientTest, LongPollOutlastsTheTransportTimeouts) {
  // The server takes 1.2 s, like a long poll that waits for a message; the transport
  // gives up on any exchange after 0.4 s (the read timeout is raised the same way but
  // only checked about once a second).
  SetReply([](const Seen&, httplib::Response& res) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    res.set_content("{}", "application/x-amz-json-1.0");
  });
  HttpOptions http;
  http.total_timeout_ms = 400;
  SqsOptions options;
  options.long_poll_http = http;
  options.long_poll_grace_ms = 2000;
  SqsClient sqs(Sender(http), options);

  auto short_poll = sqs.ReceiveMessage(queue_url_, {.wait_time_secs = 0});
  EXPECT_EQ(short_poll.status().code(), StatusCode::kDeadlineExceeded)
      << short_poll.status().ToString();
  auto long_poll = sqs.ReceiveMessage(queue_url_, {.wait_time_secs = 1});
  EXPECT_TRUE(long_poll.ok()) << long_poll.status().ToString();
}

}  // namespace
}  // namespace trailhound::aws
