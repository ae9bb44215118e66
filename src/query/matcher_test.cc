// The filter semantics of matcher.h, one rule at a time, on a hand-written event.
#include "query/matcher.h"

#include <gtest/gtest.h>

#include "query/parser.h"
#include "query/time_value.h"

namespace trailhound::query {
namespace {

constexpr std::string_view kEvent = R"({
  "eventName": "ConsoleLogin",
  "eventSource": "signin.amazonaws.com",
  "readOnly": true,
  "managementEvent": false,
  "count": 5,
  "ratio": 1.5,
  "negative": -3,
  "big": 18446744073709551615,
  "strnum": "5",
  "padded": "007",
  "nothing": null,
  "emptyArr": [],
  "nullArr": [null, null],
  "emptyObj": {},
  "emptyStr": "",
  "resources": [
    {"type": "AWS::S3::Bucket", "arn": "arn:aws:s3:::b1"},
    {"type": "AWS::IAM::Role", "arn": "arn:aws:iam::111122223333:role/r"}
  ],
  "nested": [[1, 2], [3, [4]]],
  "userIdentity": {"type": "Root", "arn": "arn:aws:iam::111122223333:root",
                   "sessionContext": {"sessionIssuer": {"userName": "admin"}}},
  "weird.key": "dot",
  "xsi:type": "CanonicalUser",
  "msg": "say \"hi\" to C:\\temp",
  "eventTime": "2024-05-01T10:00:00Z",
  "unicode": "caf\u00e9 é"
})";

class MatcherTest : public ::testing::Test {
 protected:
  // Whether `query`'s filter matches `json`; parse or JSON errors fail the test.
  bool M(std::string_view query, std::string_view json = kEvent,
         const VirtualFields& virtuals = {}) {
    const Result<Query> q = ParseQuery(query);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (!q.ok()) return false;
    const Result<FilterMatcher> m = FilterMatcher::Compile(q->filter);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    if (!m.ok()) return false;
    const Result<bool> r = m->Matches(parser_, json, virtuals);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  }

  simdjson::dom::parser parser_;
};

TEST_F(MatcherTest, ExactValuesIgnoreCase) {
  EXPECT_TRUE(M("eventName:ConsoleLogin"));
  EXPECT_TRUE(M("eventName:consolelogin"));
  EXPECT_TRUE(M("eventName:\"CONSOLELOGIN\""));
  EXPECT_FALSE(M("eventName:Console"));       // the whole value, not a substring
  EXPECT_FALSE(M("EventName:ConsoleLogin"));  // keys are case-sensitive
  EXPECT_TRUE(M("eventSource:signin.amazonaws.com"));
}

TEST_F(MatcherTest, BooleansMatchTheirNames) {
  EXPECT_TRUE(M("readOnly:true"));
  EXPECT_TRUE(M("readOnly:TRUE"));
  EXPECT_FALSE(M("readOnly:false"));
  EXPECT_FALSE(M("readOnly:1"));
  EXPECT_TRUE(M("managementEvent:false"));
  EXPECT_TRUE(M("readOnly:t*"));
  EXPECT_TRUE(M(R"(x:true)", R"({"x": "True"})"));  // a string "True" too
}

TEST_F(MatcherTest, NumbersMatchNumbersAndNumericStrings) {
  EXPECT_TRUE(M("count:5"));
  EXPECT_TRUE(M("count:5.0"));
  EXPECT_TRUE(M("count:\"5\""));
  EXPECT_FALSE(M("count:6"));
  EXPECT_TRUE(M("strnum:5"));
  EXPECT_FALSE(M("strnum:5.0"));  // strings compare as text for equality
  EXPECT_TRUE(M("ratio:1.5"));
  EXPECT_TRUE(M("negative:-3"));
  EXPECT_TRUE(M("big:18446744073709551615"));
  EXPECT_TRUE(M("count:5*"));  // wildcards see the canonical text
  EXPECT_TRUE(M("ratio:1.?"));
  EXPECT_FALSE(M("padded:7"));
  EXPECT_TRUE(M("padded:007"));
}

TEST_F(MatcherTest, ComparisonsAndRanges) {
  EXPECT_TRUE(M("count:>4"));
  EXPECT_FALSE(M("count:>5"));
  EXPECT_TRUE(M("count:>=5"));
  EXPECT_TRUE(M("count:<=5 count:<6"));
  EXPECT_TRUE(M("count>4.5"));
  EXPECT_TRUE(M("count:[5 TO 5]"));
  EXPECT_FALSE(M("count:{5 TO 6]"));
  EXPECT_TRUE(M("count:[* TO 5]"));
  EXPECT_TRUE(M("count:[1 TO *]"));
  EXPECT_TRUE(M("strnum:>=5"));       // numeric string, numeric bound
  EXPECT_TRUE(M("padded:[7 TO 7]"));  // "007" reads as 7
  EXPECT_TRUE(M("ratio:<2"));
  EXPECT_TRUE(M("big:>9223372036854775807"));
  EXPECT_TRUE(M("negative:[-5 TO -1]"));
  EXPECT_TRUE(M("eventName:>Console"));  // text bound: folded byte order
  EXPECT_TRUE(M("eventName:<consolez"));
  EXPECT_FALSE(M("eventName:>5"));  // numeric bound, non-numeric string: incomparable
  EXPECT_FALSE(M("count:>abc"));    // text bound, number: incomparable
  EXPECT_FALSE(M("readOnly:>0"));
  EXPECT_TRUE(M("eventTime:[2024-05-01 TO 2024-05-02}"));  // ISO strings order as text
  EXPECT_TRUE(M("eventTime:>=2024-05-01T09:00:00Z"));
  EXPECT_TRUE(M("eventName:[* TO *]"));
  EXPECT_FALSE(M("readOnly:[* TO *]"));
}

TEST_F(MatcherTest, MissingAndNullAreTheSame) {
  EXPECT_TRUE(M("eventName:*"));
  EXPECT_FALSE(M("missing:*"));
  EXPECT_FALSE(M("nothing:*"));
  EXPECT_FALSE(M("emptyArr:*"));
  EXPECT_FALSE(M("nullArr:*"));
  EXPECT_TRUE(M("emptyObj:*"));
  EXPECT_TRUE(M("emptyStr:*"));
  EXPECT_TRUE(M("userIdentity:*"));
  EXPECT_TRUE(M("NOT nothing:*"));
  EXPECT_TRUE(M("NOT missing:*"));
  EXPECT_FALSE(M("nothing:null"));  // no value matches null
  EXPECT_TRUE(M("emptyStr:\"\""));
  EXPECT_FALSE(M("missing:\"\""));
}

TEST_F(MatcherTest, NegationOfMissingFieldsIsTrue) {
  EXPECT_TRUE(M("-errorCode:AccessDenied"));
  EXPECT_TRUE(M("NOT errorCode:*"));
  EXPECT_FALSE(M("errorCode:* OR errorCode:x"));
}

TEST_F(MatcherTest, ArraysMatchWhenAnyElementDoes) {
  EXPECT_TRUE(M("resources.type:AWS::IAM::Role"));
  EXPECT_TRUE(M("resources.type:aws::s3::bucket"));
  EXPECT_TRUE(M("resources.arn:arn:aws:s3:*"));
  EXPECT_FALSE(M("resources.type:AWS::KMS::Key"));
  EXPECT_FALSE(M("-resources.type:AWS::S3::Bucket"));  // NOT: no element may match
  EXPECT_TRUE(M("-resources.type:AWS::KMS::Key"));
  EXPECT_TRUE(M("nested:3"));
  EXPECT_TRUE(M("nested:4"));  // nested arrays are flattened
  EXPECT_TRUE(M("nested:>3"));
  EXPECT_FALSE(M("nested:>4"));
  EXPECT_TRUE(M("resources:*"));
  // Elements are tested one by one: no single element is both S3 and a role.
  EXPECT_TRUE(M("resources.type:AWS::S3::Bucket resources.arn:*role*"));
}

TEST_F(MatcherTest, PathsAndKeys) {
  EXPECT_TRUE(M("userIdentity.sessionContext.sessionIssuer.userName:admin"));
  EXPECT_TRUE(M("userIdentity.arn:arn:aws:iam::111122223333:root"));
  EXPECT_FALSE(M("userIdentity:Root"));  // an object equals no value
  EXPECT_FALSE(M("eventName.x:*"));      // a path into a string reaches nothing
  EXPECT_TRUE(M(R"(weird\.key:dot)"));
  EXPECT_FALSE(M("weird.key:dot"));
  EXPECT_TRUE(M(R"(xsi\:type:canonicaluser)"));
}

TEST_F(MatcherTest, WildcardsOnValues) {
  EXPECT_TRUE(M("eventName:Console*"));
  EXPECT_TRUE(M("eventName:*login"));
  EXPECT_TRUE(M("eventName:C?nsoleLogin"));
  EXPECT_FALSE(M("eventName:Console?"));
  EXPECT_TRUE(M(R"(msg:*C:\\temp)"));
  EXPECT_TRUE(M(R"(path:C:\\Windows\\*)", R"({"path": "C:\\Windows\\System32"})"));
  EXPECT_FALSE(M(R"(path:C:\\Windows\\*)", R"({"path": "C:\\WindowsX"})"));
  EXPECT_TRUE(M("unicode:caf?*"));
}

TEST_F(MatcherTest, FreeTextSearchesTheVerbatimJson) {
  EXPECT_TRUE(M("consolelogin"));
  EXPECT_TRUE(M("\"signin.amazonaws\""));
  EXPECT_TRUE(M("sessionIssuer"));  // key names too
  EXPECT_TRUE(M("Console*Login"));
  EXPECT_TRUE(M("\"AWS::IAM::Role\""));
  EXPECT_FALSE(M("AccessDenied"));
  EXPECT_TRUE(M("*"));
  // What JSON escapes is searched escaped: the event holds say \"hi\" and C:\\temp.
  EXPECT_FALSE(M(R"("say \"hi")"));
  EXPECT_TRUE(M(R"("say \\\"hi")"));
  EXPECT_TRUE(M(R"("C:\\\\temp")"));
  EXPECT_TRUE(M(R"(caf\\u00e9)"));  // as the producer wrote it
  EXPECT_TRUE(M("é"));
}

TEST_F(MatcherTest, BooleanStructure) {
  EXPECT_TRUE(M("eventName:ConsoleLogin AND userIdentity.type:Root"));
  EXPECT_TRUE(M("eventName:x OR userIdentity.type:Root"));
  EXPECT_FALSE(M("eventName:x OR userIdentity.type:y"));
  EXPECT_TRUE(M("userIdentity.type:Root -eventType:AwsServiceEvent"));
  EXPECT_FALSE(M("NOT (eventName:ConsoleLogin OR x)"));
  EXPECT_TRUE(M("eventName:(CreateUser OR ConsoleLogin)"));
  EXPECT_TRUE(M("count:(>4 AND <6)"));
}

TEST_F(MatcherTest, VirtualFields) {
  VirtualFields v;
  v.time_millis = *ParseTimeMillis("2024-05-01T10:00:00Z");
  v.source = "cloudtrail-main";
  v.category = "authentication";
  EXPECT_TRUE(M("_time:>=2024-05-01", kEvent, v));
  EXPECT_TRUE(M("_time:2024-05-01T12:00:00+02:00", kEvent, v));
  EXPECT_TRUE(M("_time:[2024-05-01T10:00:00Z TO 2024-05-01T11:00:00Z}", kEvent, v));
  EXPECT_FALSE(M("_time:{2024-05-01T10:00:00Z TO *]", kEvent, v));
  EXPECT_FALSE(M("_time:<2024-05-01T10:00:00Z", kEvent, v));
  EXPECT_TRUE(M("_time:*", kEvent, v));
  EXPECT_TRUE(M("_source:cloudtrail-* _category:Authentication", kEvent, v));
  EXPECT_FALSE(M("_source:other", kEvent, v));
  // Not supplied: missing.
  EXPECT_FALSE(M("_time:*"));
  EXPECT_FALSE(M("_source:*"));
  EXPECT_TRUE(M("NOT _category:*"));
  // Free text does not see virtual fields.
  EXPECT_FALSE(M("cloudtrail-main", kEvent, v));
}

TEST_F(MatcherTest, NullFilterMatchesEverything) {
  EXPECT_TRUE(M(""));
  EXPECT_TRUE(M("| stats count()"));
}

TEST_F(MatcherTest, NonObjectEventsHaveNoFields) {
  EXPECT_FALSE(M("a:*", "[1, 2]"));
  EXPECT_TRUE(M("1", "[1, 2]"));
  EXPECT_FALSE(M("a:*", "\"a\""));
}

TEST(FilterMatcher, InvalidJsonIsCorruption) {
  const Result<Query> q = ParseQuery("a:1");
  ASSERT_TRUE(q.ok());
  const Result<FilterMatcher> m = FilterMatcher::Compile(q->filter);
  ASSERT_TRUE(m.ok());
  simdjson::dom::parser parser;
  const Result<bool> r = m->Matches(parser, "{\"a\": ");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kCorruption);
}

TEST(FilterMatcher, RefusesTimeTermsTheParserWouldRefuse) {
  const FieldPath time({"_time"});
  EXPECT_EQ(FilterMatcher::Compile(MakeTerm(Term::Exact(time, "yesterday"))).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(FilterMatcher::Compile(MakeTerm(Term::Wildcard(time, "2024*"))).ok());
  EXPECT_FALSE(
      FilterMatcher::Compile(MakeTerm(Term::Range(time, RangeBound{"x", true}, RangeBound{})))
          .ok());
  EXPECT_TRUE(FilterMatcher::Compile(MakeTerm(Term::Exists(time))).ok());
}

TEST(FilterMatcher, IsSharedAcrossParsersAndEvents) {
  const Result<Query> q = ParseQuery("a:>1");
  ASSERT_TRUE(q.ok());
  const Result<FilterMatcher> m = FilterMatcher::Compile(q->filter);
  ASSERT_TRUE(m.ok());
  const FilterMatcher copy = *m;
  simdjson::dom::parser p1, p2;
  EXPECT_TRUE(*copy.Matches(p1, R"({"a": 2})"));
  EXPECT_FALSE(*copy.Matches(p2, R"({"a": 1})"));
  EXPECT_TRUE(*m->Matches(p1, R"({"a": [0, 3]})"));
}

}  // namespace
}  // namespace trailhound::query
