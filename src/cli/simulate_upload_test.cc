#include "cli/simulate_upload.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "sources/sqs_s3/notification.h"

namespace trailhound::cli {
namespace {

namespace sim = trailhound::sources::simulate;
using Json = nlohmann::json;

constexpr char kEndpoint[] = "http://127.0.0.1:9";  // never reached: the transport is fake
constexpr char kTopicArn[] = "arn:aws:sns:eu-west-1:111122223333:org-trail";
constexpr char kQueueUrl[] = "http://sqs.eu-west-1.localhost:9/000000000000/siem";

// Answers S3 PUTs, SNS Publish and SQS SendMessage like the services do, and records them.
class FakeAws : public aws::HttpTransport {
 public:
  Result<aws::HttpResponse> Send(const aws::HttpRequest& request, const aws::BodySink*,
                                 const aws::HttpOptions*) override {
    std::lock_guard lock(mu_);
    requests_.push_back(request);
    aws::HttpResponse response;
    response.status = 200;
    if (request.method == "PUT") {
      response.headers.push_back({"ETag", "\"etag-" + std::to_string(requests_.size()) + "\""});
    } else if (!aws::FindHeader(request.headers, "X-Amz-Target").empty()) {
      response.body = R"({"MessageId":"sqs-id"})";
    } else {
      response.body =
          "<PublishResponse><PublishResult><MessageId>sns-id</MessageId></PublishResult>"
          "</PublishResponse>";
    }
    return response;
  }
  std::vector<aws::HttpRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }

 private:
  std::mutex mu_;
  std::vector<aws::HttpRequest> requests_;
};

std::map<std::string, std::string> Form(const std::string& body) {
  httplib::Params params;
  httplib::detail::parse_query_text(body, params);
  return {params.begin(), params.end()};
}

sim::SimulatedFile File(int n) {
  sim::SimulatedFile file;
  file.key =
      "AWSLogs/111122223333/CloudTrail/eu-west-1/2025/01/01/111122223333_CloudTrail_"
      "eu-west-1_20250101T0000Z_file" +
      std::to_string(n) + ".json.gz";
  file.body = std::string("\x1f\x8b\x08\x00 gzip bytes ", 15) + std::to_string(n);
  file.account_id = "111122223333";
  file.region = "eu-west-1";
  file.events = 10 + n;
  file.json_bytes = 1000;
  return file;
}

class SimulatedFileUploaderTest : public ::testing::Test {
 protected:
  std::unique_ptr<SimulatedFileUploader> Uploader(const UploadOptions& options) {
    aws::Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = Secret("secret");
    auto sender = std::make_shared<aws::AwsRequestSender>(
        transport_, aws::MakeStaticCredentialsProvider(credentials));
    auto uploader = SimulatedFileUploader::Create(options, sender);
    EXPECT_TRUE(uploader.ok()) << uploader.status().ToString();
    return uploader.ok() ? std::move(*uploader) : nullptr;
  }
  static UploadOptions Options() {
    UploadOptions options;
    options.destination = {"org-trail", "my logs/"};
    options.endpoint_url = kEndpoint;
    options.region = "eu-west-1";
    return options;
  }

  std::shared_ptr<FakeAws> transport_ = std::make_shared<FakeAws>();
};

TEST_F(SimulatedFileUploaderTest, PutsGzipBytesAsJsonUnderThePrefixAndPublishesCloudTrailMessage) {
  UploadOptions options = Options();
  options.sns_topic_arn = kTopicArn;
  auto uploader = Uploader(options);
  ASSERT_NE(uploader, nullptr);
  sim::SimulatedFile file = File(1);
  const std::string body = file.body;
  ASSERT_TRUE(uploader->Upload(file).ok());

  const auto requests = transport_->requests();
  ASSERT_EQ(requests.size(), 2u);
  const aws::HttpRequest& put = requests[0];
  EXPECT_EQ(put.method, "PUT");
  EXPECT_EQ(put.url, std::string(kEndpoint) + "/org-trail/my%20logs/" + File(1).key);
  EXPECT_EQ(aws::FindHeader(put.headers, "Content-Type"), "application/json");
  EXPECT_EQ(aws::FindHeader(put.headers, "Content-Encoding"), "");
  EXPECT_EQ(put.body, body);

  const aws::HttpRequest& publish = requests[1];
  const auto form = Form(publish.body);
  EXPECT_EQ(form.at("Action"), "Publish");
  EXPECT_EQ(form.at("TopicArn"), kTopicArn);
  EXPECT_EQ(form.count("Subject"), 0u);
  EXPECT_EQ(form.at("Message"), Json({{"s3Bucket", "org-trail"},
                                      {"s3ObjectKey", Json::array({"my logs/" + File(1).key})}})
                                    .dump());
  EXPECT_NE(aws::FindHeader(publish.headers, "Authorization").find("/eu-west-1/sns/"),
            std::string::npos);

  const UploadSummary summary = uploader->summary();
  EXPECT_EQ(summary.files, 1u);
  EXPECT_EQ(summary.events, 11u);
  EXPECT_EQ(summary.bytes, body.size());
  EXPECT_EQ(summary.json_bytes, 1000u);
  EXPECT_EQ(summary.notifications, 1u);
}

TEST_F(SimulatedFileUploaderTest, CloudTrailToAQueueComesInAnSnsEnvelope) {
  UploadOptions options = Options();
  options.sqs_queue_url = kQueueUrl;
  auto uploader = Uploader(options);
  ASSERT_NE(uploader, nullptr);
  sim::SimulatedFile file = File(2);
  ASSERT_TRUE(uploader->Upload(file).ok());

  const auto requests = transport_->requests();
  ASSERT_EQ(requests.size(), 2u);
  const aws::HttpRequest& send = requests[1];
  EXPECT_EQ(send.url, std::string(kEndpoint) + "/");
  EXPECT_EQ(aws::FindHeader(send.headers, "X-Amz-Target"), "AmazonSQS.SendMessage");
  const Json request = Json::parse(send.body);
  EXPECT_EQ(request["QueueUrl"], kQueueUrl);
  const Json envelope = Json::parse(request["MessageBody"].get<std::string>());
  EXPECT_EQ(envelope["Type"], "Notification");
  // The queue URL's region and the log file's account.
  EXPECT_EQ(envelope["TopicArn"], "arn:aws:sns:eu-west-1:111122223333:trailhound-simulate");
  auto decoded = sources::DecodeNotification(request["MessageBody"].get<std::string>(), "m");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->objects.size(), 1u);
  EXPECT_EQ(decoded->objects[0].bucket, "org-trail");
  EXPECT_EQ(decoded->objects[0].key, "my logs/" + File(2).key);
}

TEST_F(SimulatedFileUploaderTest, S3EventsGoToAQueueUnwrappedAndToATopicWithS3sSubject) {
  UploadOptions options = Options();
  options.notify = NotifyFormat::kS3Event;
  options.sqs_queue_url = kQueueUrl;
  auto to_queue = Uploader(options);
  ASSERT_NE(to_queue, nullptr);
  sim::SimulatedFile file = File(3);
  const uint64_t size = file.body.size();
  ASSERT_TRUE(to_queue->Upload(file).ok());
  auto requests = transport_->requests();
  ASSERT_EQ(requests.size(), 2u);
  const std::string body = Json::parse(requests[1].body)["MessageBody"];
  const Json event = Json::parse(body);
  EXPECT_EQ(event["Records"][0]["eventName"], "ObjectCreated:Put");
  EXPECT_EQ(event["Records"][0]["awsRegion"], "eu-west-1");
  EXPECT_EQ(event["Records"][0]["s3"]["object"]["key"], "my+logs/" + File(3).key);
  EXPECT_EQ(event["Records"][0]["s3"]["object"]["eTag"], "etag-1");
  auto decoded = sources::DecodeNotification(body, "m");
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->objects.size(), 1u);
  EXPECT_EQ(decoded->objects[0].key, "my logs/" + File(3).key);
  EXPECT_EQ(decoded->objects[0].size, size);

  options.sqs_queue_url.clear();
  options.sns_topic_arn = kTopicArn;
  auto to_topic = Uploader(options);
  ASSERT_NE(to_topic, nullptr);
  file = File(4);
  ASSERT_TRUE(to_topic->Upload(file).ok());
  requests = transport_->requests();
  ASSERT_EQ(requests.size(), 4u);
  const auto form = Form(requests[3].body);
  EXPECT_EQ(form.at("Subject"), "Amazon S3 Notification");
  auto published = sources::DecodeNotification(form.at("Message"), "m");
  ASSERT_TRUE(published.ok()) << published.status().ToString();
  EXPECT_EQ(published->objects[0].key, "my logs/" + File(4).key);
}

TEST_F(SimulatedFileUploaderTest, WithoutATargetOnlyUploads) {
  auto uploader = Uploader(Options());
  ASSERT_NE(uploader, nullptr);
  for (int i = 0; i < 3; ++i) {
    sim::SimulatedFile file = File(i);
    ASSERT_TRUE(uploader->Upload(file).ok());
  }
  EXPECT_EQ(transport_->requests().size(), 3u);
  EXPECT_EQ(uploader->summary().files, 3u);
  EXPECT_EQ(uploader->summary().notifications, 0u);
}

TEST_F(SimulatedFileUploaderTest, RateSpacesTheFiles) {
  UploadOptions options = Options();
  options.files_per_sec = 40;
  auto uploader = Uploader(options);
  ASSERT_NE(uploader, nullptr);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    sim::SimulatedFile file = File(i);
    ASSERT_TRUE(uploader->Upload(file).ok());
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_GE(secs, 4 / 40.0 - 0.005);  // the first file goes at once, then one per 25 ms
  EXPECT_LT(secs, 2.0);
  EXPECT_GE(uploader->summary().seconds, secs - 0.05);
}

TEST_F(SimulatedFileUploaderTest, CreateRefusesBadOptionsByFlagName) {
  auto sender = std::make_shared<aws::AwsRequestSender>(
      transport_, aws::MakeStaticCredentialsProvider(aws::Credentials{}));
  UploadOptions both = Options();
  both.sns_topic_arn = kTopicArn;
  both.sqs_queue_url = kQueueUrl;
  auto created = SimulatedFileUploader::Create(both, sender);
  EXPECT_EQ(created.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(created.status().message().find("--sns-topic-arn"), std::string::npos);

  UploadOptions bad_topic = Options();
  bad_topic.sns_topic_arn = "org-trail";
  EXPECT_EQ(SimulatedFileUploader::Create(bad_topic, sender).status().code(),
            StatusCode::kInvalidArgument);

  UploadOptions bad_rate = Options();
  bad_rate.files_per_sec = -1;
  created = SimulatedFileUploader::Create(bad_rate, sender);
  EXPECT_NE(created.status().message().find("--rate"), std::string::npos);

  UploadOptions no_bucket = Options();
  no_bucket.destination.bucket.clear();
  EXPECT_EQ(SimulatedFileUploader::Create(no_bucket, sender).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(transport_->requests().empty());
}

TEST(SimulateUpload, ParsesDestinationsAndNotifyFormats) {
  auto plain = ParseS3Destination("s3://org-trail");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->bucket, "org-trail");
  EXPECT_EQ(plain->prefix, "");
  EXPECT_EQ(ParseS3Destination("s3://org-trail/")->prefix, "");
  EXPECT_EQ(ParseS3Destination("s3://org-trail/logs")->prefix, "logs/");
  EXPECT_EQ(ParseS3Destination("s3://org-trail/a/b/")->prefix, "a/b/");
  for (const char* bad : {"org-trail", "s3://", "s3:///prefix", "https://org-trail/x"}) {
    EXPECT_EQ(ParseS3Destination(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
  EXPECT_EQ(*ParseNotifyFormat("cloudtrail"), NotifyFormat::kCloudTrail);
  EXPECT_EQ(*ParseNotifyFormat("s3"), NotifyFormat::kS3Event);
  EXPECT_EQ(ParseNotifyFormat("eventbridge").status().code(), StatusCode::kInvalidArgument);

  UploadOptions options;
  options.destination = {"org-trail", "logs/"};
  EXPECT_EQ(DescribeDestination(options), "s3://org-trail/logs/");
  EXPECT_EQ(DescribeNotificationTarget(options), "");
  options.sqs_queue_url = kQueueUrl;
  EXPECT_EQ(DescribeNotificationTarget(options), std::string("SQS queue ") + kQueueUrl);
}

}  // namespace
}  // namespace trailhound::cli
