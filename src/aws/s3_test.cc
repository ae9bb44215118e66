#include "aws/s3.h"

#include <gtest/gtest.h>

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "aws/credentials.h"
#include "testing/local_http_server.h"

namespace trailhound::aws {
namespace {

using trailhound::testing::LocalHttpServer;

constexpr char kAwkwardKey[] = "a b+c%d/\xC3\xBC.json.gz";
constexpr char kAwkwardKeyOnTheWire[] = "a%20b%2Bc%25d/%C3%BC.json.gz";

// What the fake S3 saw of one request.
struct Seen {
  std::string method;
  std::string target;  // raw path and query, as sent
  std::string host;
  std::string authorization;
  std::string content_sha256;
  std::string content_type;
  std::string content_encoding;
  std::string range;
  std::string body;
  httplib::Params params;

  // "eu-west-1" from the credential scope ".../20240301/eu-west-1/s3/aws4_request".
  std::string SigningRegion() const {
    size_t end = authorization.find("/s3/aws4_request");
    if (end == std::string::npos) return "";
    size_t start = authorization.rfind('/', end - 1);
    return authorization.substr(start + 1, end - start - 1);
  }
  // "eu-west-1" from a host "b.s3.eu-west-1.localhost:PORT" or "s3.eu-west-1.localhost:PORT".
  std::string HostRegion() const {
    size_t start = host.find("s3.");
    size_t end = host.find(".localhost");
    if (start == std::string::npos || end == std::string::npos) return "";
    return host.substr(start + 3, end - start - 3);
  }
};

// A fake S3 on 127.0.0.1: records every request and answers with `reply`.
class S3ClientTest : public ::testing::Test {
 protected:
  using Reply = std::function<void(const Seen&, httplib::Response&)>;

  void SetUp() override {
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      Seen seen;
      seen.method = req.method;
      seen.target = req.target;
      seen.host = req.get_header_value("Host");
      seen.authorization = req.get_header_value("Authorization");
      seen.content_sha256 = req.get_header_value("x-amz-content-sha256");
      seen.content_type = req.get_header_value("Content-Type");
      seen.content_encoding = req.get_header_value("Content-Encoding");
      seen.range = req.get_header_value("Range");
      seen.body = req.body;
      seen.params = req.params;
      Reply reply;
      {
        std::lock_guard lock(mu_);
        seen_.push_back(seen);
        reply = reply_;
      }
      if (reply) reply(seen, res);
    };
    server_.server().Get(".*", handler);
    server_.server().Put(".*", handler);
    ASSERT_TRUE(server_.Start().ok());
  }

  void SetReply(Reply reply) {
    std::lock_guard lock(mu_);
    reply_ = std::move(reply);
  }
  std::vector<Seen> seen() {
    std::lock_guard lock(mu_);
    return seen_;
  }

  // Regional endpoints on the fake: "http://s3.<region>.localhost:PORT" (libcurl sends
  // *.localhost to loopback), so the Host header shows the region a call went to.
  S3Options RegionalOptions() {
    S3Options options;
    options.regional_endpoint_template =
        fmt::format("http://s3.{{region}}.localhost:{}", server_.port());
    return options;
  }
  S3Options CustomEndpointOptions() {
    S3Options options;
    options.endpoint_url = server_.url();
    return options;
  }
  std::string Host(std::string_view prefix) {
    return fmt::format("{}.localhost:{}", prefix, server_.port());
  }

  static std::shared_ptr<AwsRequestSender> Sender() {
    Credentials credentials;
    credentials.access_key_id = "AKIDEXAMPLE";
    credentials.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    RetryOptions retry;
    retry.max_attempts = 1;
    return std::make_shared<AwsRequestSender>(MakeCurlHttpTransport(),
                                              MakeStaticCredentialsProvider(credentials), retry);
  }

  LocalHttpServer server_;
  std::mutex mu_;
  std::vector<Seen> seen_;
  Reply reply_;
};

void ReplyBody(httplib::Response& res, std::string body) {
  res.set_content(std::move(body), "application/octet-stream");
}

TEST_F(S3ClientTest, VirtualHostedUrlCarriesTheKeyEncodedOnce) {
  SetReply([](const Seen&, httplib::Response& res) { ReplyBody(res, "log data"); });
  S3Options options = RegionalOptions();
  options.region = "eu-west-1";
  S3Client s3(Sender(), options);
  auto body = s3.GetObjectToString("trail-bucket", kAwkwardKey);
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body, "log data");

  const Seen request = seen().at(0);
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.host, Host("trail-bucket.s3.eu-west-1"));
  EXPECT_EQ(request.target, std::string("/") + kAwkwardKeyOnTheWire);
  EXPECT_EQ(request.SigningRegion(), "eu-west-1");
  EXPECT_EQ(request.content_sha256, "UNSIGNED-PAYLOAD");
}

TEST_F(S3ClientTest, CustomEndpointUsesPathStyle) {
  SetReply([](const Seen&, httplib::Response& res) { ReplyBody(res, "x"); });
  S3Client s3(Sender(), CustomEndpointOptions());
  ASSERT_TRUE(s3.GetObjectToString("trail-bucket", kAwkwardKey).ok());
  const Seen request = seen().at(0);
  EXPECT_EQ(request.host, fmt::format("127.0.0.1:{}", server_.port()));
  EXPECT_EQ(request.target, std::string("/trail-bucket/") + kAwkwardKeyOnTheWire);
  EXPECT_EQ(request.SigningRegion(), "us-east-1");
}

TEST_F(S3ClientTest, DottedBucketsAndForcedPathStyleUseTheRegionalHostPath) {
  SetReply([](const Seen&, httplib::Response& res) { ReplyBody(res, "x"); });
  S3Client s3(Sender(), RegionalOptions());
  ASSERT_TRUE(s3.GetObjectToString("my.trail.bucket", "k.gz").ok());
  EXPECT_EQ(seen().at(0).host, Host("s3.us-east-1"));
  EXPECT_EQ(seen().at(0).target, "/my.trail.bucket/k.gz");

  S3Options forced = RegionalOptions();
  forced.force_path_style = true;
  S3Client s3_forced(Sender(), forced);
  ASSERT_TRUE(s3_forced.GetObjectToString("trail-bucket", "k.gz").ok());
  EXPECT_EQ(seen().at(1).host, Host("s3.us-east-1"));
  EXPECT_EQ(seen().at(1).target, "/trail-bucket/k.gz");
}

TEST_F(S3ClientTest, GetObjectStreamsARangeAndReportsMetadata) {
  SetReply([](const Seen&, httplib::Response& res) {
    // cpp-httplib serves the requested range of the body itself (206, Content-Range).
    res.set_header("ETag", "\"0123456789abcdef\"");
    res.set_header("Content-Encoding", "gzip");  // passed through, never decoded
    res.set_header("Last-Modified", "Thu, 01 Jan 1970 00:01:40 GMT");
    std::string object(4096, '-');
    object.replace(10, 10, "0123456789");
    res.set_content(object, "application/x-gzip");
  });
  S3Client s3(Sender(), CustomEndpointOptions());
  std::string received;
  BodySink sink = [&](std::string_view chunk) {
    received.append(chunk);
    return Status::OK();
  };
  auto info = s3.GetObject("trail-bucket", "k.json.gz", sink,
                           {.range = S3ByteRange{.first = 10, .last = 19}});
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(seen().at(0).range, "bytes=10-19");
  EXPECT_EQ(received, "0123456789");
  EXPECT_EQ(info->size_bytes, 4096u);
  EXPECT_EQ(info->content_length_bytes, 10u);
  EXPECT_EQ(info->etag, "0123456789abcdef");
  EXPECT_EQ(info->content_encoding, "gzip");
  EXPECT_EQ(info->content_type, "application/x-gzip");
  EXPECT_EQ(info->last_modified, std::chrono::system_clock::time_point(std::chrono::seconds(100)));

  ASSERT_TRUE(
      s3.GetObject("trail-bucket", "k.json.gz", sink, {.range = S3ByteRange{.first = 5}}).ok());
  EXPECT_EQ(seen().at(1).range, "bytes=5-");
}

TEST_F(S3ClientTest, ErrorsNameTheObject) {
  SetReply([](const Seen& seen, httplib::Response& res) {
    if (seen.method == "HEAD") {
      res.status = 404;
      return;
    }
    res.status = 403;
    res.set_content(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>AccessDenied</Code>"
        "<Message>Access Denied</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>",
        "application/xml");
  });
  S3Client s3(Sender(), CustomEndpointOptions());
  auto body = s3.GetObjectToString("trail-bucket", "AWSLogs/x.json.gz");
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(body.status().code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(body.status().resource(), "s3://trail-bucket/AWSLogs/x.json.gz");
  EXPECT_NE(body.status().message().find("Failed to GetObject s3://trail-bucket/AWSLogs/x.json.gz"),
            std::string::npos)
      << body.status().ToString();
  EXPECT_NE(body.status().message().find("Access Denied"), std::string::npos);

  auto head = s3.HeadObject("trail-bucket", "missing.gz");
  EXPECT_EQ(head.status().code(), StatusCode::kNotFound) << head.status().ToString();
  EXPECT_EQ(head.status().resource(), "s3://trail-bucket/missing.gz");
}

TEST_F(S3ClientTest, ListObjectsV2FollowsContinuationTokens) {
  SetReply([](const Seen& seen, httplib::Response& res) {
    auto token = seen.params.find("continuation-token");
    if (token == seen.params.end()) {
      res.set_content(R"(<ListBucketResult><IsTruncated>true</IsTruncated>
          <Contents><Key>AWSLogs/1.json.gz</Key><Size>10</Size></Contents>
          <Contents><Key>AWSLogs/2.json.gz</Key><Size>20</Size></Contents>
          <NextContinuationToken>tok/1+=</NextContinuationToken></ListBucketResult>)",
                      "application/xml");
    } else if (token->second == "tok/1+=") {
      res.set_content(R"(<ListBucketResult><EncodingType>url</EncodingType>
          <IsTruncated>false</IsTruncated>
          <Contents><Key>AWSLogs/3+x%2B.json.gz</Key><Size>30</Size></Contents>
          </ListBucketResult>)",
                      "application/xml");
    } else {
      res.status = 400;
    }
  });
  S3Client s3(Sender(), CustomEndpointOptions());
  S3ListRequest request{
      .bucket = "trail-bucket", .prefix = "AWSLogs/", .start_after = "AWSLogs/0", .max_keys = 2};
  int pages = 0;
  std::vector<std::string> keys;
  Status status = s3.ForEachListPage(request, [&](const S3ListPage& page) {
    ++pages;
    for (const auto& object : page.objects) keys.push_back(object.key);
    return Status::OK();
  });
  ASSERT_TRUE(status.ok()) << status.ToString();
  EXPECT_EQ(pages, 2);
  EXPECT_EQ(keys, (std::vector<std::string>{"AWSLogs/1.json.gz", "AWSLogs/2.json.gz",
                                            "AWSLogs/3 x+.json.gz"}));

  const std::vector<Seen> requests = seen();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].target,
            "/trail-bucket/?encoding-type=url&list-type=2&max-keys=2&prefix=AWSLogs%2F"
            "&start-after=AWSLogs%2F0");
  EXPECT_EQ(requests[1].target,
            "/trail-bucket/?continuation-token=tok%2F1%2B%3D&encoding-type=url&list-type=2"
            "&max-keys=2&prefix=AWSLogs%2F");

  auto all = s3.ListAllObjects(request);
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(all->size(), 3u);
  EXPECT_EQ(all->at(2).size_bytes, 30u);
}

TEST_F(S3ClientTest, ListingStopsWhenTheSameTokenComesBack) {
  SetReply([](const Seen&, httplib::Response& res) {
    res.set_content(
        "<ListBucketResult><IsTruncated>true</IsTruncated>"
        "<NextContinuationToken>again</NextContinuationToken></ListBucketResult>",
        "application/xml");
  });
  S3Client s3(Sender(), CustomEndpointOptions());
  auto all = s3.ListAllObjects({.bucket = "trail-bucket"});
  EXPECT_EQ(all.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(seen().size(), 2u);
}

TEST_F(S3ClientTest, GetBucketLocationMapsLegacyValuesAndRemembersThem) {
  SetReply([](const Seen& seen, httplib::Response& res) {
    std::string location;
    if (seen.host.starts_with("eu-bucket.")) location = "EU";
    if (seen.host.starts_with("osaka-bucket.")) location = "ap-northeast-3";
    res.set_content(
        location.empty()
            ? std::string("<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>")
            : "<LocationConstraint>" + location + "</LocationConstraint>",
        "application/xml");
  });
  S3Client s3(Sender(), RegionalOptions());
  EXPECT_EQ(s3.GetBucketLocation("east-bucket").value_or(""), "us-east-1");
  EXPECT_EQ(s3.GetBucketLocation("eu-bucket").value_or(""), "eu-west-1");
  EXPECT_EQ(s3.GetBucketLocation("osaka-bucket").value_or(""), "ap-northeast-3");
  EXPECT_EQ(seen().at(0).target, "/?location");
  EXPECT_EQ(s3.BucketRegion("osaka-bucket"), "ap-northeast-3");
  EXPECT_EQ(s3.BucketRegion("unknown-bucket"), std::nullopt);
}

TEST_F(S3ClientTest, PermanentRedirectIsRetriedOnceAndRemembered) {
  // The bucket lives in eu-west-1; every other regional endpoint answers 301.
  SetReply([](const Seen& seen, httplib::Response& res) {
    if (seen.HostRegion() != "eu-west-1") {
      res.status = 301;
      res.set_header("x-amz-bucket-region", "eu-west-1");
      if (seen.method == "GET") {
        res.set_content(
            "<Error><Code>PermanentRedirect</Code><Message>The bucket you are "
            "attempting to access must be addressed using the specified endpoint."
            "</Message><Endpoint>trail-bucket.s3.eu-west-1.amazonaws.com</Endpoint>"
            "</Error>",
            "application/xml");
      }
      return;
    }
    res.set_header("ETag", "\"e1\"");
    ReplyBody(res, "eu data");
  });
  S3Client s3(Sender(), RegionalOptions());
  EXPECT_EQ(s3.BucketRegion("trail-bucket"), std::nullopt);

  // A HEAD's 301 has no body: the header alone moves the call.
  auto head = s3.HeadObject("trail-bucket", "k.gz");
  ASSERT_TRUE(head.ok()) << head.status().ToString();
  EXPECT_EQ(head->etag, "e1");
  ASSERT_EQ(seen().size(), 2u);
  EXPECT_EQ(seen()[0].host, Host("trail-bucket.s3.us-east-1"));
  EXPECT_EQ(seen()[0].SigningRegion(), "us-east-1");
  EXPECT_EQ(seen()[1].host, Host("trail-bucket.s3.eu-west-1"));
  EXPECT_EQ(seen()[1].SigningRegion(), "eu-west-1");
  EXPECT_EQ(s3.BucketRegion("trail-bucket"), "eu-west-1");

  // Later calls go straight to eu-west-1.
  auto body = s3.GetObjectToString("trail-bucket", "k.gz");
  ASSERT_TRUE(body.ok()) << body.status().ToString();
  EXPECT_EQ(*body, "eu data");
  ASSERT_EQ(seen().size(), 3u);
  EXPECT_EQ(seen()[2].host, Host("trail-bucket.s3.eu-west-1"));

  // Another bucket still starts in the default region.
  ASSERT_TRUE(s3.GetObjectToString("other-bucket", "k.gz").ok());
  EXPECT_EQ(seen().at(3).host, Host("other-bucket.s3.us-east-1"));
}

TEST_F(S3ClientTest, AuthorizationHeaderMalformedMovesTheSigningRegion) {
  // A custom endpoint serves every region; only the signature's region is wrong.
  SetReply([](const Seen& seen, httplib::Response& res) {
    if (seen.SigningRegion() != "ap-northeast-3") {
      res.status = 400;
      res.set_content(
          "<Error><Code>AuthorizationHeaderMalformed</Code><Message>The authorization header "
          "is malformed; the region '" +
              seen.SigningRegion() +
              "' is wrong; expecting 'ap-northeast-3'</Message>"
              "<Region>ap-northeast-3</Region></Error>",
          "application/xml");
      return;
    }
    ReplyBody(res, "osaka");
  });
  S3Client s3(Sender(), CustomEndpointOptions());
  EXPECT_EQ(s3.GetObjectToString("trail-bucket", "k").value_or(""), "osaka");
  EXPECT_EQ(s3.GetObjectToString("trail-bucket", "k").value_or(""), "osaka");
  const std::vector<Seen> requests = seen();
  ASSERT_EQ(requests.size(), 3u);
  EXPECT_EQ(requests[0].SigningRegion(), "us-east-1");
  EXPECT_EQ(requests[1].SigningRegion(), "ap-northeast-3");
  EXPECT_EQ(requests[2].SigningRegion(), "ap-northeast-3");
  EXPECT_EQ(s3.BucketRegion("trail-bucket"), "ap-northeast-3");
}

TEST_F(S3ClientTest, WrongRegionIsFollowedOnlyOnceAndNamedInTheError) {
  // A misbehaving endpoint that always names a region other than the one asked.
  SetReply([](const Seen& seen, httplib::Response& res) {
    res.status = 301;
    res.set_header("x-amz-bucket-region",
                   seen.SigningRegion() == "eu-west-1" ? "eu-west-2" : "eu-west-1");
    res.set_content(
        "<Error><Code>PermanentRedirect</Code><Message>Wrong endpoint.</Message>"
        "</Error>",
        "application/xml");
  });
  S3Client s3(Sender(), CustomEndpointOptions());
  auto body = s3.GetObjectToString("trail-bucket", "k");
  ASSERT_FALSE(body.ok());
  EXPECT_EQ(seen().size(), 2u);
  EXPECT_EQ(body.status().resource(), "s3://trail-bucket/k");
  EXPECT_NE(body.status().message().find("region 'eu-west-2'"), std::string::npos)
      << body.status().ToString();

  S3Options no_follow = CustomEndpointOptions();
  no_follow.follow_region_redirects = false;
  S3Client s3_no_follow(Sender(), no_follow);
  auto once = s3_no_follow.GetObjectToString("trail-bucket", "k");
  EXPECT_NE(once.status().message().find("region 'eu-west-1'"), std::string::npos)
      << once.status().ToString();
  EXPECT_EQ(seen().size(), 3u);
  EXPECT_EQ(s3_no_follow.BucketRegion("trail-bucket"), std::nullopt);
}

TEST_F(S3ClientTest, PutObjectAndCreateBucketSendWhatEmulatorsNeed) {
  SetReply([](const Seen&, httplib::Response& res) { res.set_header("ETag", "\"5d41\""); });
  S3Client s3(Sender(), RegionalOptions());
  auto etag = s3.PutObject("trail-bucket", kAwkwardKey, "hello");
  ASSERT_TRUE(etag.ok()) << etag.status().ToString();
  EXPECT_EQ(*etag, "5d41");
  Seen put = seen().at(0);
  EXPECT_EQ(put.method, "PUT");
  EXPECT_EQ(put.target, std::string("/") + kAwkwardKeyOnTheWire);
  EXPECT_EQ(put.body, "hello");
  EXPECT_EQ(put.content_type, "application/octet-stream");
  EXPECT_EQ(put.content_sha256, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");

  // An empty gzip member: the fake server decodes request bodies it is told are gzip.
  const std::string empty_gzip("\x1f\x8b\x08\0\0\0\0\0\0\x03\x03\0\0\0\0\0\0\0\0\0", 20);
  auto gzipped = s3.PutObject("trail-bucket", "x.json.gz", empty_gzip,
                              {.content_type = "application/json", .content_encoding = "gzip"});
  ASSERT_TRUE(gzipped.ok()) << gzipped.status().ToString();
  EXPECT_EQ(seen().at(1).content_type, "application/json");
  EXPECT_EQ(seen().at(1).content_encoding, "gzip");

  ASSERT_TRUE(s3.CreateBucket("new-bucket", "eu-central-1").ok());
  Seen create = seen().at(2);
  EXPECT_EQ(create.method, "PUT");
  EXPECT_EQ(create.host, Host("new-bucket.s3.eu-central-1"));
  EXPECT_EQ(create.target, "/");
  EXPECT_EQ(create.content_type, "application/xml");
  EXPECT_NE(create.body.find("<LocationConstraint>eu-central-1</LocationConstraint>"),
            std::string::npos);
  EXPECT_EQ(create.SigningRegion(), "eu-central-1");
  EXPECT_EQ(s3.BucketRegion("new-bucket"), "eu-central-1");

  ASSERT_TRUE(s3.CreateBucket("east-bucket").ok());
  EXPECT_EQ(seen().at(3).body, "");  // us-east-1 is never named
  EXPECT_EQ(seen().at(3).content_type, "application/xml");
}

TEST_F(S3ClientTest, GetObjectToStringStopsAtItsLimit) {
  SetReply([](const Seen&, httplib::Response& res) { ReplyBody(res, std::string(1000, 'x')); });
  S3Client s3(Sender(), CustomEndpointOptions());
  auto body = s3.GetObjectToString("trail-bucket", "big", 100);
  EXPECT_EQ(body.status().code(), StatusCode::kResourceExhausted) << body.status().ToString();
  EXPECT_EQ(body.status().resource(), "s3://trail-bucket/big");
}

}  // namespace
}  // namespace trailhound::aws
