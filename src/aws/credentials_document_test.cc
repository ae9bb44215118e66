#include "aws/credentials_document.h"

#include <gtest/gtest.h>

namespace trailhound::aws {
namespace {

using std::chrono::system_clock;

system_clock::time_point At(int64_t unix_seconds) {
  return system_clock::time_point(std::chrono::seconds(unix_seconds));
}

TEST(AwsTimestamp, ParsesTheFormsAwsUses) {
  EXPECT_EQ(*ParseAwsTimestamp("2024-01-01T00:00:00Z"), At(1704067200));
  EXPECT_EQ(*ParseAwsTimestamp("2024-01-01T00:00:00.500Z"),
            At(1704067200) + std::chrono::milliseconds(500));
  EXPECT_EQ(*ParseAwsTimestamp("2024-01-01T09:00:00+09:00"), At(1704067200));
  EXPECT_EQ(*ParseAwsTimestamp("2023-12-31T23:00:00-01:00"), At(1704067200));
  EXPECT_EQ(FormatAwsTimestamp(At(1704067200)), "2024-01-01T00:00:00Z");
}

TEST(AwsTimestamp, RejectsMalformedText) {
  for (const char* bad : {"", "2024-01-01", "2024-01-01T00:00:00", "2024-13-01T00:00:00Z",
                          "2024-02-30T00:00:00Z", "2024-01-01T00:00:00Zjunk", "yesterday"}) {
    EXPECT_EQ(ParseAwsTimestamp(bad).status().code(), StatusCode::kCorruption) << bad;
  }
}

TEST(CredentialsJson, ReadsTheContainerAndImdsDocument) {
  auto credentials =
      ParseCredentialsJson(R"({"AccessKeyId":"ASIA1","SecretAccessKey":"s","Token":"t",)"
                           R"("Expiration":"2024-01-01T00:00:00Z"})",
                           "test", "container");
  ASSERT_TRUE(credentials.ok());
  EXPECT_EQ(credentials->access_key_id, "ASIA1");
  EXPECT_EQ(credentials->expiration, At(1704067200));
  EXPECT_EQ(credentials->source, "container");
}

TEST(CredentialsJson, ErrorsNeverQuoteTheBody) {
  auto truncated = ParseCredentialsJson(R"({"SecretAccessKey":"hush)", "doc", "x");
  EXPECT_EQ(truncated.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(truncated.status().message().find("hush"), std::string::npos);
  auto missing = ParseCredentialsJson(R"({"SecretAccessKey":"hush"})", "doc", "x");
  EXPECT_EQ(missing.status().code(), StatusCode::kCorruption);
  EXPECT_EQ(missing.status().message().find("hush"), std::string::npos);
}

}  // namespace
}  // namespace trailhound::aws
