// The matcher over real CloudTrail records from ../shared/corpora (see each SOURCE.md):
// the AWS documentation examples (28 records) and Panther's rule tests (476 events). The
// expected sets were read off the events by hand (and cross-checked with a separate script).
#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <fstream>
#include <string>
#include <vector>

#include "query/matcher.h"
#include "query/parser.h"

namespace trailhound::query {
namespace {

const std::string kCorpora = std::string(TRAILHOUND_SHARED_DIR) + "/corpora/";

// The "event" member of each JSONL line, minified.
std::vector<std::string> LoadEvents(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << path;
  std::vector<std::string> events;
  simdjson::dom::parser parser;
  std::string line;
  while (std::getline(in, line)) {
    simdjson::dom::element row;
    simdjson::dom::element event;
    if (parser.parse(line).get(row) != simdjson::SUCCESS ||
        row["event"].get(event) != simdjson::SUCCESS) {
      ADD_FAILURE() << "bad line in " << path;
      continue;
    }
    events.push_back(simdjson::minify(event));
  }
  return events;
}

const std::vector<std::string>& AwsDocs() {
  static const auto* events = new std::vector<std::string>(
      LoadEvents(kCorpora + "aws-docs-cloudtrail-examples/events.jsonl"));
  return *events;
}

const std::vector<std::string>& Panther() {
  static const auto* events =
      new std::vector<std::string>(LoadEvents(kCorpora + "panther-cloudtrail/tests.jsonl"));
  return *events;
}

// Indexes of the events that `query` matches.
std::vector<int> Matching(const std::vector<std::string>& events, std::string_view query) {
  const Result<Query> q = ParseQuery(query);
  EXPECT_TRUE(q.ok()) << q.status().ToString();
  if (!q.ok()) return {};
  const Result<FilterMatcher> m = FilterMatcher::Compile(q->filter);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  simdjson::dom::parser parser;
  std::vector<int> out;
  for (size_t i = 0; i < events.size(); ++i) {
    const Result<bool> r = m->Matches(parser, events[i]);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok() && *r) out.push_back(static_cast<int>(i));
  }
  return out;
}

using V = std::vector<int>;

TEST(MatcherAwsDocs, CorpusIsThere) { EXPECT_EQ(AwsDocs().size(), 28u); }

TEST(MatcherAwsDocs, FailedConsoleLogins) {
  // #2: IAM user "anaya", #7: root; both "responseElements": {"ConsoleLogin": "Failure"}.
  EXPECT_EQ(Matching(AwsDocs(), "eventName:ConsoleLogin AND responseElements.ConsoleLogin:Failure"),
            (V{2, 7}));
  EXPECT_EQ(Matching(AwsDocs(), "errorMessage:\"Failed authentication\""), (V{2, 7}));
}

TEST(MatcherAwsDocs, RootActivity) {
  // Root sign-ins #5-#7, MFA change #8, password change #9; none is an AwsServiceEvent.
  EXPECT_EQ(Matching(AwsDocs(), "userIdentity.type:Root"), (V{5, 6, 7, 8, 9}));
  EXPECT_EQ(Matching(AwsDocs(), "userIdentity.type:Root -eventType:AwsServiceEvent"),
            (V{5, 6, 7, 8, 9}));
  EXPECT_EQ(Matching(AwsDocs(), "userIdentity.arn:arn:aws:iam::*:root eventName:ConsoleLogin"),
            (V{5, 6, 7}));
}

TEST(MatcherAwsDocs, ErrorsAndMissingFields) {
  // Only #17 (UpdateTrail, TrailNotFoundException) has an errorCode.
  EXPECT_EQ(Matching(AwsDocs(), "errorCode:*"), (V{17}));
  EXPECT_EQ(Matching(AwsDocs(), "errorCode:trailnotfound*"), (V{17}));
  // Insights records (#11, #18, #19) have no userIdentity.
  EXPECT_EQ(Matching(AwsDocs(), "NOT userIdentity:*"), (V{11, 18, 19}));
  EXPECT_EQ(Matching(AwsDocs(), "eventType:AwsCloudTrailInsight"), (V{11, 18, 19}));
  // #17 has "responseElements": null: null is missing.
  EXPECT_TRUE(Matching(AwsDocs(), "eventName:UpdateTrail responseElements:*").empty());
  EXPECT_EQ(Matching(AwsDocs(), "eventName:UpdateTrail NOT responseElements:*"), (V{17}));
}

TEST(MatcherAwsDocs, ArraysAndNumbers) {
  // #12 StartInstances and #13 StopInstances: responseElements.instancesSet.items[] holds
  // i-ebeaf9e2; only #12 has currentState.code 0 (pending); #13 has 64 (stopping).
  EXPECT_EQ(Matching(AwsDocs(), "responseElements.instancesSet.items.instanceId:i-ebeaf9e2"),
            (V{12, 13}));
  EXPECT_EQ(Matching(AwsDocs(), "responseElements.instancesSet.items.currentState.code:0"),
            (V{12}));
  EXPECT_EQ(Matching(AwsDocs(), "responseElements.instancesSet.items.currentState.code:>=64"),
            (V{13}));
  // The S3 records #24-#26 carry "host": ["s3.us-west-2.amazonaws.com"].
  EXPECT_EQ(Matching(AwsDocs(), "requestParameters.host:s3.us-west-2.amazonaws.com"),
            (V{24, 25, 26}));
  // #25 PutBucketAcl: a key with a colon.
  EXPECT_EQ(Matching(AwsDocs(),
                     "requestParameters.AccessControlPolicy.AccessControlList.Grant.Grantee."
                     "xsi\\:type:CanonicalUser"),
            (V{25}));
}

TEST(MatcherAwsDocs, StringsAndFreeText) {
  // #1 and #2 say "Yes", #6 (root sign-in with MFA) says "YES".
  EXPECT_EQ(Matching(AwsDocs(), "additionalEventData.MFAUsed:yes"), (V{1, 2, 6}));
  EXPECT_EQ(Matching(AwsDocs(), "recipientAccountId:444455556666"), (V{24, 27}));
  EXPECT_EQ(Matching(AwsDocs(), "eventVersion:<1.05"), (V{12, 13, 14, 15, 16, 17, 24, 25, 26}));
  EXPECT_EQ(Matching(AwsDocs(), "readOnly:*"), (V{8, 21, 22, 23, 27}));
  EXPECT_TRUE(Matching(AwsDocs(), "\"AccessDenied\"").empty());
  EXPECT_EQ(Matching(AwsDocs(), "\"myTrail2\""), (V{17}));
  EXPECT_EQ(Matching(AwsDocs(), "codedeployrole?"), (V{11}));
}

TEST(MatcherPanther, CorpusIsThere) { EXPECT_EQ(Panther().size(), 476u); }

TEST(MatcherPanther, AccessDenied) {
  const V by_field = Matching(Panther(), "errorCode:AccessDenied*");
  EXPECT_EQ(by_field.size(), 32u);
  EXPECT_EQ(V(by_field.begin(), by_field.begin() + 4), (V{23, 56, 117, 194}));
  // Free text also finds the one event that says it elsewhere.
  EXPECT_EQ(Matching(Panther(), "\"AccessDenied\"").size(), 33u);
  EXPECT_EQ(Matching(Panther(), "AccessDenied NOT errorCode:AccessDenied*").size(), 1u);
}

TEST(MatcherPanther, BooleansAndTheirSpellings) {
  // 64 JSON true and one string "True" (#110).
  const V read_only = Matching(Panther(), "readOnly:true");
  EXPECT_EQ(read_only.size(), 65u);
  EXPECT_NE(std::find(read_only.begin(), read_only.end(), 110), read_only.end());
  EXPECT_EQ(Matching(Panther(), "readOnly:false").size(), 230u);
}

TEST(MatcherPanther, IdentityAndResources) {
  EXPECT_EQ(Matching(Panther(), "userIdentity.type:Root").size(), 14u);
  EXPECT_EQ(Matching(Panther(), "eventName:ConsoleLogin AND responseElements.ConsoleLogin:Failure"),
            (V{35, 38, 55, 77, 87, 467, 469}));
  EXPECT_EQ(Matching(Panther(), "userIdentity.sessionContext.sessionIssuer.userName:*").size(),
            219u);
  EXPECT_EQ(
      Matching(Panther(), "userIdentity.sessionContext.attributes.mfaAuthenticated:false").size(),
      126u);
  const V buckets = Matching(Panther(), "resources.type:AWS::S3::Bucket");
  EXPECT_EQ(buckets.size(), 13u);
  EXPECT_EQ(V(buckets.begin(), buckets.begin() + 3), (V{40, 46, 47}));
  EXPECT_EQ(Matching(Panther(), "eventName:StopLogging"), (V{51, 53}));
  EXPECT_EQ(Matching(Panther(), "additionalEventData.bytesTransferredOut:>300"), (V{50}));
}

TEST(MatcherPanther, NullIsMissing) {
  // 69 events have a requestParameters.bucketName. #15 has no requestParameters at all and
  // #54 has "requestParameters": null; both count as "not there".
  EXPECT_EQ(Matching(Panther(), "requestParameters.bucketName:*").size(), 69u);
  const V no_params = Matching(Panther(), "NOT requestParameters:*");
  EXPECT_NE(std::find(no_params.begin(), no_params.end(), 15), no_params.end());
  EXPECT_NE(std::find(no_params.begin(), no_params.end(), 54), no_params.end());
  EXPECT_EQ(no_params.size() + Matching(Panther(), "requestParameters:*").size(), 476u);
}

}  // namespace
}  // namespace trailhound::query
