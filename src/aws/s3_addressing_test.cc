#include "aws/s3_addressing.h"

#include <gtest/gtest.h>

namespace trailhound::aws {
namespace {

std::string Url(std::string_view endpoint, bool path_style, std::string_view bucket,
                std::string_view key, std::string_view query = "") {
  auto url = S3RequestUrl({.endpoint = endpoint,
                           .path_style = path_style,
                           .bucket = bucket,
                           .key = key,
                           .query = query});
  return url.ok() ? *url : "error: " + url.status().message();
}

TEST(S3Addressing, ExpandsTheRegionalTemplateInEveryPartition) {
  EXPECT_EQ(ExpandS3EndpointTemplate(kS3RegionalEndpointTemplate, "ap-northeast-3").value_or(""),
            "https://s3.ap-northeast-3.amazonaws.com");
  EXPECT_EQ(ExpandS3EndpointTemplate(kS3RegionalEndpointTemplate, "cn-north-1").value_or(""),
            "https://s3.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(ExpandS3EndpointTemplate(kS3RegionalEndpointTemplate, "us-gov-west-1").value_or(""),
            "https://s3.us-gov-west-1.amazonaws.com");
  EXPECT_EQ(ExpandS3EndpointTemplate("http://s3.{region}.localhost:8080", "eu-west-1").value_or(""),
            "http://s3.eu-west-1.localhost:8080");
  EXPECT_FALSE(ExpandS3EndpointTemplate(kS3RegionalEndpointTemplate, "Tokyo").ok());
  EXPECT_FALSE(ExpandS3EndpointTemplate("s3.{region}.example", "eu-west-1").ok());
}

TEST(S3Addressing, VirtualHostsOnlyNamesThatAreOneTlsLabel) {
  EXPECT_TRUE(IsVirtualHostableBucket("my-trail-bucket-123"));
  EXPECT_FALSE(IsVirtualHostableBucket("my.trail.bucket"));  // dots break the wildcard cert
  EXPECT_FALSE(IsVirtualHostableBucket("My_Legacy_Bucket"));
  EXPECT_FALSE(IsVirtualHostableBucket("-dash"));
  EXPECT_FALSE(IsVirtualHostableBucket("ab"));
  EXPECT_FALSE(IsVirtualHostableBucket(std::string(64, 'a')));
}

TEST(S3Addressing, EncodesEachKeyByteExceptSlash) {
  EXPECT_EQ(EncodeS3Key("a b+c%d/\xC3\xBC.json.gz"), "a%20b%2Bc%25d/%C3%BC.json.gz");
  EXPECT_EQ(EncodeS3Key("AWSLogs/o-abc/123456789012/CloudTrail/ap-northeast-3/2024/03/01/"
                        "x_CloudTrail_ap-northeast-3_20240301T0000Z_AbC~d.json.gz"),
            "AWSLogs/o-abc/123456789012/CloudTrail/ap-northeast-3/2024/03/01/"
            "x_CloudTrail_ap-northeast-3_20240301T0000Z_AbC~d.json.gz");
  EXPECT_EQ(EncodeS3Key("a//b/./c"), "a//b/./c");  // no normalization
  EXPECT_EQ(EncodeS3Key("q?x=1&y#z"), "q%3Fx%3D1%26y%23z");
}

TEST(S3Addressing, BuildsVirtualHostedAndPathStyleUrls) {
  EXPECT_EQ(Url("https://s3.eu-west-1.amazonaws.com", false, "trail", "a b/c.gz"),
            "https://trail.s3.eu-west-1.amazonaws.com/a%20b/c.gz");
  EXPECT_EQ(Url("https://s3.eu-west-1.amazonaws.com", true, "trail", "a b/c.gz"),
            "https://s3.eu-west-1.amazonaws.com/trail/a%20b/c.gz");
  EXPECT_EQ(Url("http://127.0.0.1:4566/", true, "my.bucket", "k"),
            "http://127.0.0.1:4566/my.bucket/k");
  EXPECT_EQ(Url("https://s3.us-east-1.amazonaws.com", false, "trail", "", "location"),
            "https://trail.s3.us-east-1.amazonaws.com/?location");
  EXPECT_EQ(Url("http://127.0.0.1:4566", true, "trail", "", "list-type=2"),
            "http://127.0.0.1:4566/trail/?list-type=2");
  EXPECT_EQ(Url("https://s3.us-east-1.amazonaws.com", false, "my.bucket", "k").substr(0, 6),
            "error:");
  EXPECT_EQ(Url("not-a-url", true, "b", "k").substr(0, 6), "error:");
}

TEST(S3Addressing, NamesObjectsAsS3Uris) {
  EXPECT_EQ(S3Uri("b", "k/x.gz"), "s3://b/k/x.gz");
  EXPECT_EQ(S3Uri("b"), "s3://b");
}

}  // namespace
}  // namespace trailhound::aws
