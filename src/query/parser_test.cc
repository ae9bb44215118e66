#include "query/parser.h"

#include <gtest/gtest.h>

#include <variant>

#include "query/printer.h"
#include "query/query_test_util.h"

namespace trailhound::query {
namespace {

// ---- the examples of DESIGN.md "Query language" ----

TEST(Parser, DesignExampleConsoleLoginFailure) {
  EXPECT_EQ(FilterSexp("eventName:ConsoleLogin AND responseElements.ConsoleLogin:Failure"),
            "(AND (eventName = ConsoleLogin) (responseElements/ConsoleLogin = Failure))");
}

TEST(Parser, DesignExampleRootNotServiceEvent) {
  EXPECT_EQ(FilterSexp("userIdentity.type:Root -eventType:AwsServiceEvent"),
            "(AND (userIdentity/type = Root) (NOT (eventType = AwsServiceEvent)))");
}

TEST(Parser, DesignExampleWildcards) {
  EXPECT_EQ(FilterSexp("sourceIPAddress:203.0.113.* OR errorCode:AccessDenied*"),
            "(OR (sourceIPAddress ~ 203.0.113.*) (errorCode ~ AccessDenied*))");
}

TEST(Parser, DesignExampleFreeTextPhrase) {
  EXPECT_EQ(FilterSexp("\"AccessDenied\""), "(phrase AccessDenied)");
}

TEST(Parser, DesignExampleStats) {
  const Query q = MustParse(
      "errorCode:* | stats count() by eventName, userIdentity.arn | sort -count | "
      "head 20");
  ASSERT_TRUE(q.filter);
  EXPECT_EQ(Sexp(*q.filter), "(errorCode exists)");
  ASSERT_EQ(q.stages.size(), 3u);
  const auto& stats = std::get<StatsStage>(q.stages[0].body);
  ASSERT_EQ(stats.aggregates.size(), 1u);
  EXPECT_EQ(stats.aggregates[0].function, AggregateFunction::kCount);
  EXPECT_FALSE(stats.aggregates[0].field.has_value());
  EXPECT_EQ(stats.aggregates[0].OutputName(), "count");
  ASSERT_EQ(stats.by.size(), 2u);
  EXPECT_EQ(stats.by[0].path, FieldPath({"eventName"}));
  EXPECT_EQ(stats.by[1].path, FieldPath({"userIdentity", "arn"}));
  const auto& sort = std::get<SortStage>(q.stages[1].body);
  ASSERT_EQ(sort.keys.size(), 1u);
  EXPECT_EQ(sort.keys[0].field.path, FieldPath({"count"}));
  EXPECT_TRUE(sort.keys[0].descending);
  EXPECT_EQ(std::get<HeadStage>(q.stages[2].body).limit, 20);
}

TEST(Parser, DesignExampleTimechart) {
  const Query q =
      MustParse("eventSource:s3.amazonaws.com | timechart span=1h count() by eventName");
  EXPECT_EQ(Sexp(*q.filter), "(eventSource = s3.amazonaws.com)");
  ASSERT_EQ(q.stages.size(), 1u);
  const auto& chart = std::get<TimechartStage>(q.stages[0].body);
  EXPECT_EQ(chart.span_secs, 3600);
  ASSERT_EQ(chart.aggregates.size(), 1u);
  ASSERT_TRUE(chart.by.has_value());
  EXPECT_EQ(chart.by->path, FieldPath({"eventName"}));
  EXPECT_EQ(OutputColumns(q.stages), (std::vector<std::string>{"_time", "eventName", "count"}));
}

// ---- precedence and grouping ----

TEST(Parser, AndBindsTighterThanOr) {
  EXPECT_EQ(FilterSexp("a OR b AND c"), "(OR (word a) (AND (word b) (word c)))");
  EXPECT_EQ(FilterSexp("a AND b OR c"), "(OR (AND (word a) (word b)) (word c))");
}

TEST(Parser, NotBindsTighterThanAnd) {
  EXPECT_EQ(FilterSexp("NOT a AND b"), "(AND (NOT (word a)) (word b))");
  EXPECT_EQ(FilterSexp("NOT a OR b"), "(OR (NOT (word a)) (word b))");
  EXPECT_EQ(FilterSexp("-a b"), "(AND (NOT (word a)) (word b))");
}

TEST(Parser, ImplicitAndBetweenAdjacentTerms) {
  EXPECT_EQ(FilterSexp("a b c"), "(AND (word a) (word b) (word c))");
  EXPECT_EQ(FilterSexp("a b OR c d"), "(OR (AND (word a) (word b)) (AND (word c) (word d)))");
  EXPECT_EQ(FilterSexp("x:1 (y:2 OR y:3)"), "(AND (x = 1) (OR (y = 2) (y = 3)))");
  EXPECT_EQ(FilterSexp("a \"b c\""), "(AND (word a) (phrase b c))");
}

TEST(Parser, ChainsAreFlatButParenthesesKeepTheirShape) {
  EXPECT_EQ(FilterSexp("a AND b AND c"), "(AND (word a) (word b) (word c))");
  EXPECT_EQ(FilterSexp("(a AND b) AND c"), "(AND (AND (word a) (word b)) (word c))");
  EXPECT_EQ(FilterSexp("((a))"), "(word a)");
  EXPECT_EQ(FilterSexp("(a OR b) c"), "(AND (OR (word a) (word b)) (word c))");
}

TEST(Parser, OperatorsAreCaseInsensitive) {
  EXPECT_EQ(FilterSexp("a and b or not c"), "(OR (AND (word a) (word b)) (NOT (word c)))");
  EXPECT_EQ(FilterSexp("a And b"), "(AND (word a) (word b))");
}

TEST(Parser, NotAndMinusNest) {
  EXPECT_EQ(FilterSexp("NOT NOT a"), "(NOT (NOT (word a)))");
  EXPECT_EQ(FilterSexp("--a"), "(NOT (NOT (word a)))");
  EXPECT_EQ(FilterSexp("-(a OR b)"), "(NOT (OR (word a) (word b)))");
  EXPECT_EQ(FilterSexp("NOT -x:1"), "(NOT (NOT (x = 1)))");
}

TEST(Parser, MinusInsideAWordIsLiteral) {
  EXPECT_EQ(FilterSexp("awsRegion:us-east-1"), "(awsRegion = us-east-1)");
  EXPECT_EQ(FilterSexp("us-east-1"), "(word us-east-1)");
  EXPECT_EQ(FilterSexp("x:-5"), "(x = -5)");
}

// ---- terms ----

TEST(Parser, TermKinds) {
  EXPECT_EQ(FilterSexp("f:v"), "(f = v)");
  EXPECT_EQ(FilterSexp("f:\"a b\""), "(f = \"a b\")");
  EXPECT_EQ(FilterSexp("f:a*"), "(f ~ a*)");
  EXPECT_EQ(FilterSexp("f:a?c"), "(f ~ a?c)");
  EXPECT_EQ(FilterSexp("f:*"), "(f exists)");
  EXPECT_EQ(FilterSexp("f:**"), "(f ~ **)");
  EXPECT_EQ(FilterSexp("f:[1 TO 5]"), "(f in [1, 5])");
  EXPECT_EQ(FilterSexp("f:{1 TO 5}"), "(f in {1, 5})");
  EXPECT_EQ(FilterSexp("f:[1 TO 5}"), "(f in [1, 5})");
  EXPECT_EQ(FilterSexp("f:[* TO 5]"), "(f in [*, 5])");
  EXPECT_EQ(FilterSexp("f:[a to *]"), "(f in [a, *])");
  EXPECT_EQ(FilterSexp("f:[\"a b\" TO \"*\"]"), "(f in [a b, *])");
  EXPECT_EQ(FilterSexp("f:>=5"), "(f >= 5)");
  EXPECT_EQ(FilterSexp("f:<=5"), "(f <= 5)");
  EXPECT_EQ(FilterSexp("f:>5"), "(f > 5)");
  EXPECT_EQ(FilterSexp("f:<5"), "(f < 5)");
  EXPECT_EQ(FilterSexp("f:>\"a b\""), "(f > a b)");
}

TEST(Parser, QuotedStarInARangeIsALiteralBound) {
  const Query q = MustParse("f:[\"*\" TO *]");
  const Term& t = q.filter->term();
  ASSERT_TRUE(t.lower.value.has_value());
  EXPECT_EQ(*t.lower.value, "*");
  EXPECT_FALSE(t.upper.value.has_value());
}

TEST(Parser, ComparisonWithoutColon) {
  EXPECT_EQ(FilterSexp("f>=5"), "(f >= 5)");
  EXPECT_EQ(FilterSexp("f > 5"), "(f > 5)");
  EXPECT_EQ(FilterSexp("a.b<-1.5"), "(a/b < -1.5)");
}

TEST(Parser, SpacesAroundTheColonAreAllowed) {
  EXPECT_EQ(FilterSexp("f: v"), "(f = v)");
  EXPECT_EQ(FilterSexp("f : v"), "(f = v)");
  EXPECT_EQ(FilterSexp("f: >= 5"), "(f >= 5)");
}

TEST(Parser, ValuesMayContainColons) {
  EXPECT_EQ(FilterSexp("userIdentity.arn:arn:aws:iam::111122223333:root"),
            "(userIdentity/arn = arn:aws:iam::111122223333:root)");
  EXPECT_EQ(FilterSexp("sourceIPAddress:2001:db8::*"), "(sourceIPAddress ~ 2001:db8::*)");
  EXPECT_EQ(FilterSexp("eventTime:[2024-01-01T00:00:00Z TO 2024-01-02T00:00:00Z}"),
            "(eventTime in [2024-01-01T00:00:00Z, 2024-01-02T00:00:00Z})");
}

TEST(Parser, DeepFieldPaths) {
  EXPECT_EQ(FilterSexp("userIdentity.sessionContext.sessionIssuer.userName:admin"),
            "(userIdentity/sessionContext/sessionIssuer/userName = admin)");
  EXPECT_EQ(FilterSexp("requestParameters.bucketName:my-bucket"),
            "(requestParameters/bucketName = my-bucket)");
}

TEST(Parser, VirtualFields) {
  const Query q = MustParse("_time:>=2024-05-01 _source:main _category:iam");
  ASSERT_EQ(q.filter->children().size(), 3u);
  EXPECT_EQ(q.filter->children()[0]->term().field.virtual_field(), VirtualField::kTime);
  EXPECT_EQ(q.filter->children()[1]->term().field.virtual_field(), VirtualField::kSource);
  EXPECT_EQ(q.filter->children()[2]->term().field.virtual_field(), VirtualField::kCategory);
  EXPECT_EQ(FieldPath({"a", "_time"}).virtual_field(), VirtualField::kNone);
}

TEST(Parser, EscapesMakeCharactersLiteral) {
  EXPECT_EQ(FilterSexp(R"(requestParameters.AccessControlPolicy.xsi\:type:x)"),
            "(requestParameters/AccessControlPolicy/xsi:type = x)");
  EXPECT_EQ(FilterSexp(R"(f:a\*b)"), "(f = a*b)");
  EXPECT_EQ(FilterSexp(R"(f:a\*b*)"), R"((f ~ a\*b*))");
  EXPECT_EQ(FilterSexp(R"(f:C\\Windows\\*)"), R"((f ~ C\\Windows\\*))");
  EXPECT_EQ(FilterSexp(R"(f:\*)"), "(f = *)");
  EXPECT_EQ(FilterSexp(R"(f:"say \"hi\"")"), "(f = \"say \"hi\"\")");
  EXPECT_EQ(FilterSexp(R"(a\.b:1)"), "(a.b = 1)");
  EXPECT_EQ(FilterSexp(R"(\-a)"), "(word -a)");
  EXPECT_EQ(FilterSexp(R"(\AND)"), "(word AND)");
  EXPECT_EQ(FilterSexp(R"(a\ b)"), "(word a b)");
  EXPECT_EQ(FilterSexp(R"(f:\[\])"), "(f = [])");
}

TEST(Parser, FreeText) {
  EXPECT_EQ(FilterSexp("AccessDenied"), "(word AccessDenied)");
  EXPECT_EQ(FilterSexp("Access*"), "(glob Access*)");
  EXPECT_EQ(FilterSexp("*"), "(glob *)");
  EXPECT_EQ(FilterSexp("\"Access Denied*\""), "(phrase Access Denied*)");
  EXPECT_EQ(FilterSexp("\"\""), "(phrase )");
  EXPECT_EQ(FilterSexp("x=1"), "(word x=1)");
}

TEST(Parser, FieldGroups) {
  EXPECT_EQ(FilterSexp("eventName:(CreateUser OR DeleteUser)"),
            "(OR (eventName = CreateUser) (eventName = DeleteUser))");
  EXPECT_EQ(FilterSexp("f:(a b)"), "(AND (f = a) (f = b))");
  EXPECT_EQ(FilterSexp("f:(a* OR \"b c\" OR NOT (>=5 AND [1 TO 2]))"),
            "(OR (f ~ a*) (f = \"b c\") (NOT (AND (f >= 5) (f in [1, 2]))))");
  EXPECT_EQ(FilterSexp("f:(-1)"), "(f = -1)");
}

TEST(Parser, EmptyFilter) {
  EXPECT_EQ(FilterSexp(""), "<none>");
  EXPECT_EQ(FilterSexp("  \t\n"), "<none>");
  const Query q = MustParse("| stats count()");
  EXPECT_EQ(q.filter, nullptr);
  EXPECT_EQ(q.stages.size(), 1u);
}

TEST(Parser, PositionsAreByteOffsets) {
  const Query q = MustParse("a:1 OR (NOT b:2)");
  ASSERT_EQ(q.filter->kind(), NodeKind::kOr);
  EXPECT_EQ(q.filter->position(), 0);
  EXPECT_EQ(q.filter->children()[0]->position(), 0);
  const NodePtr& n = q.filter->children()[1];
  EXPECT_EQ(n->kind(), NodeKind::kNot);
  EXPECT_EQ(n->position(), 8);
  EXPECT_EQ(n->children()[0]->position(), 12);
  const Query s = MustParse("x | stats count(a) by b | sort -b");
  EXPECT_EQ(s.stages[0].position, 4);
  const auto& stats = std::get<StatsStage>(s.stages[0].body);
  EXPECT_EQ(stats.aggregates[0].position, 10);
  EXPECT_EQ(stats.aggregates[0].field->position, 16);
  EXPECT_EQ(stats.by[0].position, 22);
}

// ---- stages ----

TEST(Parser, StatsAggregates) {
  const Query q = MustParse(
      "| stats count(), count(errorCode), count_distinct(userIdentity.arn) as users, "
      "min(eventTime), max(eventTime) AS last, values(awsRegion) by eventSource");
  const auto& stats = std::get<StatsStage>(q.stages[0].body);
  ASSERT_EQ(stats.aggregates.size(), 6u);
  EXPECT_EQ(stats.aggregates[0].OutputName(), "count");
  EXPECT_EQ(stats.aggregates[1].OutputName(), "count(errorCode)");
  EXPECT_EQ(stats.aggregates[2].OutputName(), "users");
  EXPECT_EQ(stats.aggregates[2].function, AggregateFunction::kCountDistinct);
  EXPECT_EQ(stats.aggregates[3].OutputName(), "min(eventTime)");
  EXPECT_EQ(stats.aggregates[4].OutputName(), "last");
  EXPECT_EQ(stats.aggregates[5].function, AggregateFunction::kValues);
  EXPECT_EQ(OutputColumns(q.stages),
            (std::vector<std::string>{"eventSource", "count", "count(errorCode)", "users",
                                      "min(eventTime)", "last", "values(awsRegion)"}));
}

TEST(Parser, StatsShorthands) {
  // SPL habits: a bare count, dc(), commas optional, keywords in any case.
  EXPECT_EQ(ToString(MustParse("| STATS count dc(a) BY b c")),
            "| stats count(), count_distinct(a) by b, c");
  EXPECT_EQ(ToString(MustParse("| stats count ( ) by b")), "| stats count() by b");
}

TEST(Parser, SortFieldsHead) {
  EXPECT_EQ(ToString(MustParse("x | sort -eventTime, awsRegion -eventName")),
            "x | sort -eventTime, awsRegion, -eventName");
  EXPECT_EQ(ToString(MustParse("x | fields eventTime eventName, userIdentity.arn")),
            "x | fields eventTime, eventName, userIdentity.arn");
  EXPECT_EQ(ToString(MustParse("x | head")), "x | head 10");
  EXPECT_EQ(ToString(MustParse("x | head 1000000000")), "x | head 1000000000");
}

TEST(Parser, SortAfterStatsReferencesItsColumns) {
  EXPECT_TRUE(ParseQuery("| stats count() by eventName | sort -count, eventName").ok());
  EXPECT_TRUE(ParseQuery("| stats count() as n | sort n").ok());
  EXPECT_TRUE(ParseQuery("| stats max(a.b) as m by c.d | fields c.d, m | sort m").ok());
  EXPECT_TRUE(ParseQuery("| timechart span=5m count() by a | sort _time").ok());
  EXPECT_TRUE(ParseQuery("| fields a, _time | timechart span=1m count(a)").ok());
}

TEST(Parser, TimechartSpans) {
  const auto span = [](std::string_view q) {
    return std::get<TimechartStage>(MustParse(q).stages[0].body).span_secs;
  };
  EXPECT_EQ(span("| timechart span=30s count()"), 30);
  EXPECT_EQ(span("| timechart span=5m count()"), 300);
  EXPECT_EQ(span("| timechart span=1d count()"), 86400);
  EXPECT_EQ(span("| timechart span=90M count()"), 5400);
  EXPECT_EQ(span("| timechart span = 2h count()"), 7200);
  EXPECT_EQ(span("| timechart span=3650d count()"), kMaxSpanSecs);
}

TEST(Parser, StageKeywordsMayBeFieldNamesWhenEscaped) {
  const Query q = MustParse(R"(| stats count(\by) as \as by \as\.x)");
  const auto& stats = std::get<StatsStage>(q.stages[0].body);
  EXPECT_EQ(stats.aggregates[0].field->path, FieldPath({"by"}));
  EXPECT_EQ(stats.aggregates[0].alias, "as");
  EXPECT_EQ(stats.by[0].path, FieldPath({"as.x"}));
}

TEST(Parser, PipeInsideQuotesIsNotAStage) {
  EXPECT_EQ(FilterSexp("\"a | b\""), "(phrase a | b)");
  EXPECT_EQ(FilterSexp(R"(a\|b)"), "(word a|b)");
}

}  // namespace
}  // namespace trailhound::query
