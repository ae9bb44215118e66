#include "aws/sqs_queue_url.h"

#include <gtest/gtest.h>

namespace trailhound::aws {
namespace {

struct Case {
  const char* url;
  const char* endpoint;
  const char* region;
  const char* account_id;
  const char* queue_name;
};

class SqsQueueUrlForms : public ::testing::TestWithParam<Case> {};

TEST_P(SqsQueueUrlForms, SplitIntoEndpointRegionAccountAndName) {
  const Case& c = GetParam();
  auto parsed = ParseSqsQueueUrl(c.url, {.fallback_region = "us-west-2"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->url, c.url);
  EXPECT_EQ(parsed->endpoint, c.endpoint);
  EXPECT_EQ(parsed->region, c.region);
  EXPECT_EQ(parsed->account_id, c.account_id);
  EXPECT_EQ(parsed->queue_name, c.queue_name);
}

INSTANTIATE_TEST_SUITE_P(
    AllForms, SqsQueueUrlForms,
    ::testing::Values(
        Case{"https://sqs.us-east-1.amazonaws.com/123456789012/cloudtrail",
             "https://sqs.us-east-1.amazonaws.com", "us-east-1", "123456789012", "cloudtrail"},
        // Osaka.
        Case{"https://sqs.ap-northeast-3.amazonaws.com/123456789012/cloudtrail-siem",
             "https://sqs.ap-northeast-3.amazonaws.com", "ap-northeast-3", "123456789012",
             "cloudtrail-siem"},
        // China.
        Case{"https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q_1",
             "https://sqs.cn-north-1.amazonaws.com.cn", "cn-north-1", "123456789012", "q_1"},
        // GovCloud.
        Case{"https://sqs.us-gov-west-1.amazonaws.com/123456789012/gov",
             "https://sqs.us-gov-west-1.amazonaws.com", "us-gov-west-1", "123456789012", "gov"},
        // FIPS.
        Case{"https://sqs-fips.us-east-2.amazonaws.com/123456789012/fips",
             "https://sqs-fips.us-east-2.amazonaws.com", "us-east-2", "123456789012", "fips"},
        // VPC interface endpoint.
        Case{"https://vpce-0123456789abcdef0-abcdefgh.sqs.eu-central-1.vpce.amazonaws.com/"
             "123456789012/private",
             "https://vpce-0123456789abcdef0-abcdefgh.sqs.eu-central-1.vpce.amazonaws.com",
             "eu-central-1", "123456789012", "private"},
        // Legacy forms map to the current regional endpoint.
        Case{"https://eu-west-1.queue.amazonaws.com/123456789012/legacy",
             "https://sqs.eu-west-1.amazonaws.com", "eu-west-1", "123456789012", "legacy"},
        Case{"https://queue.amazonaws.com/123456789012/oldest",
             "https://sqs.us-east-1.amazonaws.com", "us-east-1", "123456789012", "oldest"},
        Case{"https://cn-northwest-1.queue.amazonaws.com.cn/123456789012/legacy-cn",
             "https://sqs.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1", "123456789012",
             "legacy-cn"},
        // FIFO queue.
        Case{"https://sqs.eu-west-3.amazonaws.com/123456789012/orders.fifo",
             "https://sqs.eu-west-3.amazonaws.com", "eu-west-3", "123456789012", "orders.fifo"},
        // fauxqs.
        Case{"http://sqs.us-east-1.localhost:4566/000000000000/q",
             "http://sqs.us-east-1.localhost:4566", "us-east-1", "000000000000", "q"},
        // LocalStack.
        Case{"http://sqs.eu-west-1.localhost.localstack.cloud:4566/000000000000/ls",
             "http://sqs.eu-west-1.localhost.localstack.cloud:4566", "eu-west-1", "000000000000",
             "ls"},
        // moto: the host names no region, so the fallback applies.
        Case{"http://127.0.0.1:5000/123456789012/moto-q", "http://127.0.0.1:5000", "us-west-2",
             "123456789012", "moto-q"}));

TEST(SqsQueueUrl, RegionOverrideWinsOverTheUrl) {
  auto parsed = ParseSqsQueueUrl("https://sqs.eu-west-1.amazonaws.com/123456789012/q",
                                 {.region = "eu-west-2", .fallback_region = "us-west-2"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->region, "eu-west-2");
}

TEST(SqsQueueUrl, EndpointOverrideKeepsTheUrlVerbatim) {
  const std::string url = "http://sqs.us-east-1.localhost:9324/000000000000/q";
  auto parsed = ParseSqsQueueUrl(url, {.endpoint_url = "http://127.0.0.1:9324/"});
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(parsed->endpoint, "http://127.0.0.1:9324");
  EXPECT_EQ(parsed->url, url);
  EXPECT_EQ(parsed->region, "us-east-1");
}

TEST(SqsQueueUrl, EmulatorUrlWithoutRegionNeedsOne) {
  auto parsed = ParseSqsQueueUrl("http://127.0.0.1:5000/123456789012/q");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(parsed.status().message().find("'http://127.0.0.1:5000/123456789012/q'"),
            std::string::npos)
      << parsed.status().message();
  EXPECT_NE(parsed.status().message().find("region"), std::string::npos);
}

TEST(SqsQueueUrl, RejectsMalformedUrlsNamingThem) {
  const char* kBad[] = {
      "sqs.us-east-1.amazonaws.com/123456789012/q",          // no scheme
      "ftp://sqs.us-east-1.amazonaws.com/123456789012/q",    // wrong scheme
      "https://sqs.us-east-1.amazonaws.com/123456789012",    // no queue name
      "https://sqs.us-east-1.amazonaws.com/",                // no path
      "https://sqs.us-east-1.amazonaws.com/12345/q",         // short account id
      "https://sqs.us-east-1.amazonaws.com/12345678901a/q",  // non-digit account id
      "https://sqs.us-east-1.amazonaws.com/123456789012/q/x",
      "https://sqs.us-east-1.amazonaws.com/123456789012/bad name",
      "https://sqs.us-east-1.amazonaws.com/123456789012/q?Action=ReceiveMessage",
      "https://:443/123456789012/q",
      "https://sqs.us-east-1.amazonaws.com:port/123456789012/q",
      "",
  };
  for (const char* url : kBad) {
    auto parsed = ParseSqsQueueUrl(url, {.fallback_region = "us-east-1"});
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << url;
    EXPECT_NE(parsed.status().message().find(std::string("'") + url + "'"), std::string::npos)
        << parsed.status().message();
  }
}

TEST(SqsQueueUrl, RejectsANameLongerThan80Characters) {
  std::string url = "https://sqs.us-east-1.amazonaws.com/123456789012/" + std::string(81, 'q');
  EXPECT_FALSE(ParseSqsQueueUrl(url).ok());
  url.pop_back();
  EXPECT_TRUE(ParseSqsQueueUrl(url).ok());
}

TEST(SqsQueueUrl, RejectsARegionOverrideThatIsNotARegion) {
  auto parsed =
      ParseSqsQueueUrl("https://sqs.us-east-1.amazonaws.com/123456789012/q", {.region = "Tokyo"});
  ASSERT_FALSE(parsed.ok());
  EXPECT_NE(parsed.status().message().find("'Tokyo'"), std::string::npos);
}

TEST(SqsQueueUrl, RegionOfHostKnowsEveryForm) {
  EXPECT_EQ(RegionOfSqsHost("sqs.ap-northeast-3.amazonaws.com"), "ap-northeast-3");
  EXPECT_EQ(RegionOfSqsHost("SQS.EU-WEST-1.AMAZONAWS.COM"), "eu-west-1");
  EXPECT_EQ(RegionOfSqsHost("queue.amazonaws.com"), "us-east-1");
  EXPECT_EQ(RegionOfSqsHost("us-west-1.queue.amazonaws.com"), "us-west-1");
  EXPECT_EQ(RegionOfSqsHost("vpce-1a2b.sqs.us-gov-east-1.vpce.amazonaws.com"), "us-gov-east-1");
  EXPECT_EQ(RegionOfSqsHost("sqs.us-east-1.api.aws"), "us-east-1");
  EXPECT_EQ(RegionOfSqsHost("127.0.0.1"), "");
  EXPECT_EQ(RegionOfSqsHost("localhost"), "");
  EXPECT_EQ(RegionOfSqsHost("sqs.localhost"), "");
}

}  // namespace
}  // namespace trailhound::aws
