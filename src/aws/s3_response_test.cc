#include "aws/s3_response.h"

#include <gtest/gtest.h>

namespace trailhound::aws {
namespace {

using std::chrono::system_clock;

system_clock::time_point At(int64_t unix_seconds, int64_t millis = 0) {
  return system_clock::time_point(std::chrono::seconds(unix_seconds) +
                                  std::chrono::milliseconds(millis));
}

HttpResponse Response(int status, HttpHeaders headers, std::string body = "") {
  HttpResponse response;
  response.status = status;
  response.headers = std::move(headers);
  response.body = std::move(body);
  return response;
}

TEST(S3ListObjectsV2Document, ParsesObjectsPrefixesAndTheNextToken) {
  constexpr std::string_view kXml = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>trail</Name><Prefix>AWSLogs/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>
  <Delimiter>/</Delimiter><IsTruncated>true</IsTruncated>
  <Contents><Key>AWSLogs/a.json.gz</Key><LastModified>2024-03-01T12:34:56.789Z</LastModified>
    <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>1234</Size>
    <StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>AWSLogs/b.json.gz</Key><LastModified>2024-03-01T12:34:57Z</LastModified>
    <ETag>"abc-2"</ETag><Size>0</Size><StorageClass>GLACIER</StorageClass></Contents>
  <CommonPrefixes><Prefix>AWSLogs/123456789012/</Prefix></CommonPrefixes>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
</ListBucketResult>)";
  auto page = ParseListObjectsV2(kXml);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->objects.size(), 2u);
  EXPECT_EQ(page->objects[0].key, "AWSLogs/a.json.gz");
  EXPECT_EQ(page->objects[0].size_bytes, 1234u);
  EXPECT_EQ(page->objects[0].etag, "9b2cf535f27731c974343645a3985328");
  EXPECT_EQ(page->objects[0].last_modified, At(1709296496, 789));
  EXPECT_EQ(page->objects[0].storage_class, "STANDARD");
  EXPECT_EQ(page->objects[1].etag, "abc-2");
  EXPECT_EQ(page->objects[1].storage_class, "GLACIER");
  EXPECT_EQ(page->common_prefixes, std::vector<std::string>{"AWSLogs/123456789012/"});
  EXPECT_TRUE(page->is_truncated);
  EXPECT_EQ(page->next_continuation_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST(S3ListObjectsV2Document, DecodesKeysOnlyWhenTheDocumentSaysUrlEncoding) {
  constexpr std::string_view kEncoded = R"(<ListBucketResult><EncodingType>url</EncodingType>
    <IsTruncated>false</IsTruncated>
    <Contents><Key>a+b%2Bc%25d/%C3%BC.json.gz</Key><Size>1</Size></Contents>
    <CommonPrefixes><Prefix>x+y/</Prefix></CommonPrefixes></ListBucketResult>)";
  auto page = ParseListObjectsV2(kEncoded);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->objects.at(0).key, "a b+c%d/\xC3\xBC.json.gz");
  EXPECT_EQ(page->common_prefixes.at(0), "x y/");
  EXPECT_FALSE(page->is_truncated);

  constexpr std::string_view kPlain = R"(<ListBucketResult><IsTruncated>false</IsTruncated>
    <Contents><Key>a+b%2B</Key></Contents></ListBucketResult>)";
  page = ParseListObjectsV2(kPlain);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  EXPECT_EQ(page->objects.at(0).key, "a+b%2B");
}

TEST(S3ListObjectsV2Document, RejectsWhatS3DoesNotSend) {
  EXPECT_EQ(ParseListObjectsV2("<html>proxy login</html>").status().code(),
            StatusCode::kCorruption);
  EXPECT_EQ(ParseListObjectsV2("not xml <<").status().code(), StatusCode::kCorruption);
  // A truncated page without a token would make a listing loop forever.
  EXPECT_EQ(ParseListObjectsV2("<ListBucketResult><IsTruncated>true</IsTruncated>"
                               "</ListBucketResult>")
                .status()
                .code(),
            StatusCode::kCorruption);
}

TEST(S3BucketLocationDocument, MapsTheLegacyValues) {
  auto location = [](std::string_view xml) { return ParseBucketLocation(xml).value_or("error"); };
  EXPECT_EQ(location(R"(<?xml version="1.0" encoding="UTF-8"?>
<LocationConstraint xmlns="http://s3.amazonaws.com/doc/2006-03-01/"/>)"),
            "us-east-1");
  EXPECT_EQ(location("<LocationConstraint></LocationConstraint>"), "us-east-1");
  EXPECT_EQ(location("<LocationConstraint>EU</LocationConstraint>"), "eu-west-1");
  EXPECT_EQ(location("<LocationConstraint>ap-northeast-3</LocationConstraint>"), "ap-northeast-3");
  EXPECT_EQ(location("<Other/>"), "error");
}

TEST(S3WrongRegionHint, ComesFromTheHeaderOrTheErrorDocument) {
  HttpResponse redirect = Response(301, {{"x-amz-bucket-region", "eu-west-1"}});
  EXPECT_EQ(WrongRegionHint(redirect, "us-east-1"), "eu-west-1");
  EXPECT_EQ(WrongRegionHint(redirect, "eu-west-1"), "");  // already there

  HttpResponse malformed =
      Response(400, {},
               "<Error><Code>AuthorizationHeaderMalformed</Code><Message>the region "
               "'us-east-1' is wrong; expecting 'ap-northeast-3'</Message>"
               "<Region>ap-northeast-3</Region></Error>");
  EXPECT_EQ(WrongRegionHint(malformed, "us-east-1"), "ap-northeast-3");

  HttpResponse denied = Response(403, {}, "<Error><Code>AccessDenied</Code></Error>");
  EXPECT_EQ(WrongRegionHint(denied, "us-east-1"), "");
}

TEST(S3ObjectInfoHeaders, ReportSizeEtagTypeEncodingAndTime) {
  HttpResponse ranged = Response(206, {{"Content-Length", "10"},
                                       {"Content-Range", "bytes 10-19/4096"},
                                       {"ETag", "\"d41d8cd98f00b204e9800998ecf8427e\""},
                                       {"Content-Type", "application/x-gzip"},
                                       {"Content-Encoding", "gzip"},
                                       {"Last-Modified", "Wed, 12 Oct 2009 17:50:00 GMT"}});
  S3ObjectInfo info = ParseObjectInfo(ranged);
  EXPECT_EQ(info.size_bytes, 4096u);
  EXPECT_EQ(info.content_length_bytes, 10u);
  EXPECT_EQ(info.etag, "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(info.content_type, "application/x-gzip");
  EXPECT_EQ(info.content_encoding, "gzip");
  EXPECT_EQ(info.last_modified, At(1255369800));

  HttpResponse whole = Response(200, {{"content-length", "77"}});
  info = ParseObjectInfo(whole);
  EXPECT_EQ(info.size_bytes, 77u);
  EXPECT_FALSE(info.last_modified.has_value());
}

TEST(S3Times, ParseBothFormatsAndRejectGarbage) {
  EXPECT_EQ(ParseIso8601Time("1970-01-01T00:00:00Z"), At(0));
  EXPECT_EQ(ParseIso8601Time("2024-02-29T23:59:59.5Z"), At(1709251199, 500));
  EXPECT_FALSE(ParseIso8601Time("2023-02-29T00:00:00Z").has_value());
  EXPECT_FALSE(ParseIso8601Time("2024-03-01").has_value());
  EXPECT_FALSE(ParseIso8601Time("2024-03-01T00:00:00Zjunk").has_value());
  EXPECT_EQ(ParseHttpDate("Thu, 01 Jan 1970 00:00:00 GMT"), At(0));
  EXPECT_FALSE(ParseHttpDate("Thu, 01 Foo 1970 00:00:00 GMT").has_value());
  EXPECT_FALSE(ParseHttpDate("").has_value());
}

TEST(S3UrlDecoding, TreatsPlusAsSpaceAndKeepsBadEscapes) {
  EXPECT_EQ(S3UrlDecode("a+b%20c%2Bd"), "a b c+d");
  EXPECT_EQ(S3UrlDecode("100%"), "100%");
  EXPECT_EQ(S3UrlDecode("%zz%4"), "%zz%4");
  EXPECT_EQ(S3UrlDecode("%e2%82%ac"), "\xE2\x82\xAC");
}

}  // namespace
}  // namespace trailhound::aws
