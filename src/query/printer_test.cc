#include "query/printer.h"

#include <gtest/gtest.h>

#include "query/parser.h"
#include "query/query_test_util.h"

namespace trailhound::query {
namespace {

// parse → print → parse gives an equal AST, and printing is a fixed point.
void ExpectRoundTrip(std::string_view text) {
  SCOPED_TRACE(std::string(text));
  const Result<Query> first = ParseQuery(text);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  const std::string printed = ToString(*first);
  const Result<Query> second = ParseQuery(printed);
  ASSERT_TRUE(second.ok()) << "printed: " << printed << "\n" << second.status().ToString();
  EXPECT_EQ(*first, *second) << "printed: " << printed;
  EXPECT_EQ(ToString(*second), printed);
}

// A Query made of one filter node.
Query FilterQuery(NodePtr node) { return Query{std::move(node), {}}; }

void ExpectAstRoundTrip(const Query& q) {
  const std::string printed = ToString(q);
  SCOPED_TRACE(printed);
  const Result<Query> parsed = ParseQuery(printed);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, q);
}

const char* const kQueries[] = {
    "eventName:ConsoleLogin AND responseElements.ConsoleLogin:Failure",
    "userIdentity.type:Root -eventType:AwsServiceEvent",
    "sourceIPAddress:203.0.113.* OR errorCode:AccessDenied*",
    "\"AccessDenied\"",
    "AccessDenied",
    "errorCode:* | stats count() by eventName, userIdentity.arn | sort -count | head 20",
    "eventSource:s3.amazonaws.com | timechart span=1h count() by eventName",
    "a OR b AND c",
    "(a OR b) AND c",
    "(a AND b) AND c",
    "a AND (b AND c)",
    "(a OR b) OR c",
    "NOT (a AND b)",
    "NOT NOT a",
    "-(a OR -b)",
    "f:[1 TO 5] f:{a TO b} f:[* TO 5} f:{\"\" TO *]",
    "f:[\"*\" TO \"TO\"]",
    "f:>=5 f:<-5 f:>\"a b\" f:<=\"\" g>1",
    "userIdentity.arn:arn:aws:iam::111122223333:root",
    R"(requestParameters.AccessControlPolicy.xsi\:type:x)",
    R"(f:a\*b f:a\*b* f:C\\Windows\\* f:\* f:"say \"hi\"" a\.b:1 \-a \AND a\ b f:\[\])",
    R"(f:\>5 f:\<a f:a>b f:-a f:\(x\) f:a\|b f:\"x f:a\ b\ c)",
    R"(\not:1 \or.x:2 \( \) \: \[ \{ \" \| \> \< x\*y\?z)",
    R"(f:\AND f:\or f:TO)",
    "eventName:(CreateUser OR DeleteUser)",
    "f:(a b) f:(NOT >5)",
    "_time:>=2024-05-01T00:00:00Z _time:[2024-05-01 TO 2024-05-02} _source:main",
    "\"\"",
    "f:\"\"",
    "x=1 y,z ü:ö *é?",
    "| stats count(), count(errorCode), count_distinct(userIdentity.arn) as users, "
    "min(eventTime), max(eventTime) as last, values(awsRegion) by eventSource",
    "| STATS count dc(a) BY b c",
    R"(| stats count(\by) as \as by \as\.x, \- | sort -\as)",
    "x | sort -eventTime, awsRegion -eventName | fields eventTime, awsRegion | head 5",
    "x | head",
    "| timechart span=90m count() by a",
    "| timechart span=86400s count(), max(b) as m",
    "| timechart span=7d count()",
    "| timechart span=61s count()",
    "| fields a.b, c | sort c",
};

TEST(Printer, RoundTripsEveryQuery) {
  for (const char* q : kQueries) ExpectRoundTrip(q);
}

TEST(Printer, CanonicalForm) {
  const auto canon = [](std::string_view text) { return ToString(MustParse(text)); };
  EXPECT_EQ(canon("a b"), "a AND b");
  EXPECT_EQ(canon("a and b or not c"), "a AND b OR NOT c");
  EXPECT_EQ(canon("-a"), "NOT a");
  EXPECT_EQ(canon("(a OR b) c"), "(a OR b) AND c");
  EXPECT_EQ(canon("((a))"), "a");
  EXPECT_EQ(canon("(a AND b) AND c"), "(a AND b) AND c");
  EXPECT_EQ(canon("NOT (a OR b)"), "NOT (a OR b)");
  EXPECT_EQ(canon("f>=5"), "f:>=5");
  EXPECT_EQ(canon("f : v"), "f:v");
  EXPECT_EQ(canon("f:[a to b}"), "f:[a TO b}");
  EXPECT_EQ(canon("f:(a OR b)"), "f:a OR f:b");
  EXPECT_EQ(canon(R"(f:"a*")"), R"(f:"a*")");
  EXPECT_EQ(canon(R"(f:a\*)"), R"(f:a\*)");
  EXPECT_EQ(canon("userIdentity.arn:arn:aws:iam::1:root"), "userIdentity.arn:arn:aws:iam::1:root");
  EXPECT_EQ(canon("x | timechart span=60m count()"), "x | timechart span=1h count()");
  EXPECT_EQ(canon("x|head 3|sort a"), "x | head 3 | sort a");
  EXPECT_EQ(canon(""), "");
}

TEST(Printer, BuiltTreesRoundTrip) {
  const FieldPath f({"eventName"});
  const FieldPath dotted({"a.b", "c d", "-e", "by", "*"});
  ExpectAstRoundTrip(FilterQuery(MakeTerm(Term::Exact(f, "ConsoleLogin"))));
  ExpectAstRoundTrip(FilterQuery(MakeTerm(Term::Exact(dotted, "a b:c\\d\"e*f?g(h)"))));
  ExpectAstRoundTrip(FilterQuery(MakeTerm(Term::Exact(FieldPath({"not"}), "and"))));
  ExpectAstRoundTrip(FilterQuery(MakeTerm(Term::Phrase(f, "x \"y\" \\z"))));
  ExpectAstRoundTrip(FilterQuery(MakeTerm(Term::Wildcard(f, "a\\*b*c?d\\\\e"))));
  ExpectAstRoundTrip(FilterQuery(MakeTerm(Term::Wildcard(f, "-x*"))));
  ExpectAstRoundTrip(FilterQuery(MakeTerm(Term::Wildcard(f, "<*"))));
  ExpectAstRoundTrip(FilterQuery(MakeTerm(Term::Exists(dotted))));
  ExpectAstRoundTrip(FilterQuery(MakeTerm(Term::Compare(f, CompareOp::kGreater, ">x"))));
  ExpectAstRoundTrip(FilterQuery(MakeTerm(Term::Compare(f, CompareOp::kLessEqual, ""))));
  ExpectAstRoundTrip(FilterQuery(
      MakeTerm(Term::Range(f, RangeBound{"*", false}, RangeBound{std::nullopt, true}))));
  ExpectAstRoundTrip(
      FilterQuery(MakeTerm(Term::Range(f, RangeBound{"TO", true}, RangeBound{"]", false}))));
  ExpectAstRoundTrip(FilterQuery(MakeFreeText({FreeTextKind::kWord, "-not:a"})));
  ExpectAstRoundTrip(FilterQuery(MakeFreeText({FreeTextKind::kWord, "OR"})));
  ExpectAstRoundTrip(FilterQuery(MakeFreeText({FreeTextKind::kPhrase, ""})));
  ExpectAstRoundTrip(FilterQuery(MakeFreeText({FreeTextKind::kWildcard, "-a*:b"})));

  const NodePtr a = MakeFreeText({FreeTextKind::kWord, "a"});
  const NodePtr b = MakeTerm(Term::Exact(f, "b"));
  const NodePtr c = MakeNot(MakeFreeText({FreeTextKind::kWord, "c"}));
  ExpectAstRoundTrip(FilterQuery(MakeAnd({MakeOr({a, b}), MakeAnd({b, c}), c})));
  ExpectAstRoundTrip(FilterQuery(MakeOr({MakeOr({a, b}), MakeAnd({b, c}), MakeNot(c)})));
  ExpectAstRoundTrip(FilterQuery(MakeNot(MakeAnd({a, MakeOr({b, c})}))));
}

TEST(Printer, BuiltStagesRoundTrip) {
  Query q;
  q.filter = MakeTerm(Term::Exists(FieldPath({"errorCode"})));
  StatsStage stats;
  stats.aggregates.push_back({AggregateFunction::kCount, std::nullopt, "", -1});
  stats.aggregates.push_back(
      {AggregateFunction::kValues, FieldRef{FieldPath({"a,b", "c=d"})}, "v", -1});
  stats.by.push_back(FieldRef{FieldPath({"userIdentity", "arn"})});
  q.stages.push_back(Stage{stats});
  q.stages.push_back(Stage{SortStage{{SortKey{FieldRef{FieldPath({"v"})}, true}}}});
  q.stages.push_back(Stage{HeadStage{kMaxHeadLimit}});
  ExpectAstRoundTrip(q);
  EXPECT_EQ(ToString(q),
            "errorCode:* | stats count(), values(a\\,b.c\\=d) as v by userIdentity.arn | sort -v "
            "| head 1000000000");
}

// Found by query_parser_fuzz: the operand "=5" of '>' was printed as "f:>=5".
TEST(Printer, CompareOperandStartingWithEqualsKeepsItsOperator) {
  const Query q = MustParse("f:> =5");
  EXPECT_EQ(q.filter->term().op, CompareOp::kGreater);
  EXPECT_EQ(q.filter->term().value, "=5");
  EXPECT_EQ(ToString(q), R"(f:>\=5)");
  ExpectRoundTrip("f:> =5 g< ==");
}

TEST(Printer, FieldToString) {
  EXPECT_EQ(FieldToString(FieldPath({"requestParameters", "bucketName"})),
            "requestParameters.bucketName");
  EXPECT_EQ(FieldToString(FieldPath({"a.b", "xsi:type"})), R"(a\.b.xsi\:type)");
  EXPECT_EQ(FieldPath({"a.b", "c\\d"}).Dotted(), R"(a\.b.c\\d)");
}

}  // namespace
}  // namespace trailhound::query
