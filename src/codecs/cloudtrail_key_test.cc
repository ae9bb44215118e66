#include "codecs/cloudtrail_key.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace trailhound::codecs {
namespace {

using Kind = CloudTrailObjectKind;

struct Case {
  std::string key;
  Kind kind;
  std::string account = "";
  std::string org = "";
  std::string region = "";
};

TEST(ClassifyCloudTrailKey, FollowsTheDeliveryLayout) {
  const std::vector<Case> cases = {
      // Plain trail, and Osaka.
      {"AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/"
       "111122223333_CloudTrail_us-east-1_20240501T0005Z_AbCdEf0123456789.json.gz",
       Kind::kLog, "111122223333", "", "us-east-1"},
      {"AWSLogs/111122223333/CloudTrail/ap-northeast-3/2023/12/31/"
       "111122223333_CloudTrail_ap-northeast-3_20231231T2355Z_xyz.json.gz",
       Kind::kLog, "111122223333", "", "ap-northeast-3"},
      // Organization trail: AWSLogs/<org-id>/<member account>/...
      {"AWSLogs/o-exampleorgid/444455556666/CloudTrail/eu-west-1/2024/02/29/"
       "444455556666_CloudTrail_eu-west-1_20240229T1200Z_r4nd.json.gz",
       Kind::kLog, "444455556666", "o-exampleorgid", "eu-west-1"},
      // A prefix chosen at trail creation, GovCloud and China regions, s3:// form.
      {"my/prefix/AWSLogs/111122223333/CloudTrail/us-gov-west-1/2024/01/02/"
       "111122223333_CloudTrail_us-gov-west-1_20240102T0000Z_a.json.gz",
       Kind::kLog, "111122223333", "", "us-gov-west-1"},
      {"s3://bucket/AWSLogs/111122223333/CloudTrail/cn-north-1/2024/01/02/"
       "111122223333_CloudTrail_cn-north-1_20240102T0000Z_a.json.gz",
       Kind::kLog, "111122223333", "", "cn-north-1"},
      // A copy already decompressed.
      {"AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/"
       "111122223333_CloudTrail_us-east-1_20240501T0005Z_a.json",
       Kind::kLog, "111122223333", "", "us-east-1"},
      // Digests and Insights.
      {"AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/20/"
       "111122223333_CloudTrail-Digest_us-east-2_example-trail-name_us-east-2_20150820T180131Z."
       "json.gz",
       Kind::kDigest, "111122223333", "", "us-east-2"},
      {"AWSLogs/o-aa11bb22cc/111122223333/CloudTrail-Digest/ap-northeast-3/2024/01/01/"
       "111122223333_CloudTrail-Digest_ap-northeast-3_org-trail_us-east-1_20240101T010101Z.json.gz",
       Kind::kDigest, "111122223333", "o-aa11bb22cc", "ap-northeast-3"},
      {"AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2024/05/01/"
       "111122223333_CloudTrail-Insight_us-east-1_20240501T0005Z_q.json.gz",
       Kind::kInsight, "111122223333", "", "us-east-1"},
      // Not CloudTrail log files.
      {"AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/", Kind::kNotCloudTrail},
      {"AWSLogs/111122223333/CloudTrail/us-east-1_$folder$", Kind::kNotCloudTrail},
      {"AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01_$folder$", Kind::kNotCloudTrail},
      {"AWSLogs/111122223333/elasticloadbalancing/us-east-1/2024/05/01/"
       "111122223333_elasticloadbalancing_us-east-1_app.x_20240501T0005Z_1.2.3.4_a.log.gz",
       Kind::kNotCloudTrail},
      {"AWSLogs/111122223333/vpcflowlogs/us-east-1/2024/05/01/f.log.gz", Kind::kNotCloudTrail},
      {"AWSLogs/111122223333/Config/us-east-1/2024/5/1/ConfigSnapshot/x.json.gz",
       Kind::kNotCloudTrail},
      {"AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/notes.txt", Kind::kNotCloudTrail},
      // Off the layout: bad account, date, region, file name, nesting.
      {"AWSLogs/11112222333/CloudTrail/us-east-1/2024/05/01/"
       "11112222333_CloudTrail_us-east-1_20240501T0005Z_a.json.gz",
       Kind::kNotCloudTrail},
      {"AWSLogs/111122223333/CloudTrail/us-east-1/2024/13/01/"
       "111122223333_CloudTrail_us-east-1_20240501T0005Z_a.json.gz",
       Kind::kNotCloudTrail},
      {"AWSLogs/111122223333/CloudTrail/US-EAST-1/2024/05/01/"
       "111122223333_CloudTrail_US-EAST-1_20240501T0005Z_a.json.gz",
       Kind::kNotCloudTrail},
      {"AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/"
       "999999999999_CloudTrail_us-east-1_20240501T0005Z_a.json.gz",
       Kind::kNotCloudTrail},
      {"AWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/x/"
       "111122223333_CloudTrail_us-east-1_20240501T0005Z_a.json.gz",
       Kind::kNotCloudTrail},
      {"NotAWSLogs/111122223333/CloudTrail/us-east-1/2024/05/01/"
       "111122223333_CloudTrail_us-east-1_20240501T0005Z_a.json.gz",
       Kind::kNotCloudTrail},
      {"", Kind::kNotCloudTrail},
  };
  for (const Case& c : cases) {
    const CloudTrailKey got = ClassifyCloudTrailKey(c.key);
    EXPECT_EQ(got.kind, c.kind) << c.key;
    if (c.kind == Kind::kNotCloudTrail) continue;
    EXPECT_EQ(got.account_id, c.account) << c.key;
    EXPECT_EQ(got.org_id, c.org) << c.key;
    EXPECT_EQ(got.region, c.region) << c.key;
  }
}

TEST(ClassifyCloudTrailKey, KindsHaveStableNames) {
  EXPECT_EQ(CloudTrailObjectKindName(Kind::kNotCloudTrail), "not_cloudtrail");
  EXPECT_EQ(CloudTrailObjectKindName(Kind::kLog), "log");
  EXPECT_EQ(CloudTrailObjectKindName(Kind::kDigest), "digest");
  EXPECT_EQ(CloudTrailObjectKindName(Kind::kInsight), "insight");
}

}  // namespace
}  // namespace trailhound::codecs
