#include "aws/regions.h"

#include <gtest/gtest.h>

namespace trailhound::aws {
namespace {

TEST(Regions, PartitionFollowsTheRegionName) {
  EXPECT_EQ(PartitionOfRegion("us-east-1")->id, "aws");
  EXPECT_EQ(PartitionOfRegion("ap-northeast-3")->id, "aws");
  EXPECT_EQ(PartitionOfRegion("cn-north-1")->id, "aws-cn");
  EXPECT_EQ(PartitionOfRegion("cn-northwest-1")->dns_suffix, "amazonaws.com.cn");
  EXPECT_EQ(PartitionOfRegion("us-gov-west-1")->id, "aws-us-gov");
  EXPECT_EQ(PartitionOfRegion("us-gov-east-1")->dns_suffix, "amazonaws.com");
  EXPECT_EQ(PartitionOfRegion("us-iso-east-1")->id, "aws-iso");
  EXPECT_EQ(PartitionOfRegion("us-isob-east-1")->id, "aws-iso-b");
}

TEST(Regions, FutureRegionsThatFollowTheSchemeAreAccepted) {
  auto p = PartitionOfRegion("ap-southeast-9");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->id, "aws");
  EXPECT_FALSE(IsKnownRegion("ap-southeast-9"));
}

TEST(Regions, MalformedRegionNamesAreRejectedWithTheName) {
  for (const char* bad : {"", "useast1", "us-east", "US-EAST-1", "us_east_1", "us-east-1a"}) {
    auto p = PartitionOfRegion(bad);
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(p.status().message().find(std::string("'") + bad + "'"), std::string::npos);
  }
}

TEST(Regions, EveryKnownRegionHasAPartitionAndEndpoint) {
  for (auto region : KnownRegions()) {
    auto endpoint = DefaultEndpoint("sqs", region);
    ASSERT_TRUE(endpoint.ok()) << region;
    EXPECT_NE(endpoint->find(std::string(region)), std::string::npos);
  }
  EXPECT_TRUE(IsKnownRegion("ap-northeast-3"));
}

TEST(Regions, DefaultEndpointsPerPartition) {
  EXPECT_EQ(*DefaultEndpoint("sqs", "ap-northeast-3"), "https://sqs.ap-northeast-3.amazonaws.com");
  EXPECT_EQ(*DefaultEndpoint("s3", "cn-north-1"), "https://s3.cn-north-1.amazonaws.com.cn");
  EXPECT_EQ(*DefaultEndpoint("sts", "us-gov-west-1"), "https://sts.us-gov-west-1.amazonaws.com");
}

TEST(Regions, PartitionOfHostPrefersTheLongestSuffix) {
  EXPECT_EQ(PartitionOfHost("sqs.cn-north-1.amazonaws.com.cn")->id, "aws-cn");
  EXPECT_EQ(PartitionOfHost("sqs.us-gov-west-1.amazonaws.com")->id, "aws-us-gov");
  EXPECT_EQ(PartitionOfHost("sqs.eu-west-1.amazonaws.com")->id, "aws");
  EXPECT_FALSE(PartitionOfHost("sqs.us-east-1.localhost").ok());
}

}  // namespace
}  // namespace trailhound::aws
