// Malformed queries: each error names the position and what was expected there.
#include <gtest/gtest.h>

#include <string>

#include "query/parser.h"

namespace trailhound::query {
namespace {

struct ErrorCase {
  std::string query;
  int position;
  std::string message;   // the whole QueryError::message
  std::string expected;  // QueryError::expected
};

class ParserErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(ParserErrorTest, NamesPositionAndExpectation) {
  const ErrorCase& c = GetParam();
  QueryError error;
  const Result<Query> q = ParseQuery(c.query, {}, &error);
  ASSERT_FALSE(q.ok()) << c.query;
  EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(q.status().message(), error.message);
  EXPECT_EQ(error.message, c.message) << c.query;
  EXPECT_EQ(error.position, c.position) << c.query;
  EXPECT_EQ(error.expected, c.expected) << c.query;
  EXPECT_GE(error.position, 0);
  EXPECT_LE(error.position, static_cast<int>(c.query.size()));
}

const ErrorCase kCases[] = {
    {"eventName:", 10, "expected a value after 'eventName:' at position 10", "a value"},
    {"eventName: )", 11, "expected a value after 'eventName:' at position 11, found ')'",
     "a value"},
    {"(a", 2, "expected ')' at position 2 to close the '(' at position 0", "')'"},
    {"a)", 1, "unexpected ')' at position 1 with no matching '('", "'|' or the end of the query"},
    {"a AND", 5, "expected a term after 'AND' at position 5", "a term"},
    {"a and or b", 6, "expected a term after 'and' at position 6", "a term"},
    {"AND a", 0, "expected a term before 'AND' at position 0", "a term"},
    {"a OR", 4, "expected a term after 'OR' at position 4", "a term"},
    {"NOT", 3, "expected a term after 'NOT' at position 3", "a term"},
    {"a -", 3, "expected a term right after '-' at position 3", "a term"},
    {"a - b", 3, "expected a term right after '-' at position 3", "a term"},
    {"()", 1, "expected a term after '(' at position 1, found ')'", "a term"},
    {":x", 0, "expected a term at position 0, found ':'", "a term"},
    {"a ]", 2, "expected a term at position 2, found ']'", "a term"},
    {"| stats", 7, "expected an aggregate like count() after 'stats' at position 7",
     "an aggregate like count()"},
    {"* | stats count() by", 20, "expected a field name after 'by' at position 20", "a field name"},
    {"* | stats count(), ", 19, "expected an aggregate like count() after ',' at position 19",
     "an aggregate like count()"},
    {"| head x", 7, "expected a number from 1 to 1000000000 after 'head' at position 7, found 'x'",
     "a positive integer"},
    {"| head 0", 7, "expected a number from 1 to 1000000000 after 'head' at position 7, found '0'",
     "a positive integer"},
    {"| head 5 x", 9,
     "unexpected 'x' at position 9 after the 'head' stage; expected '|' or the end of the "
     "query",
     "'|' or the end of the query"},
    {"| timechart span=1x count()", 17,
     "expected a span like 30s, 5m, 1h or 1d (at most 3650d) after 'span=' at position 17",
     "a span like 1h"},
    {"| timechart span=0h count()", 17,
     "expected a span like 30s, 5m, 1h or 1d (at most 3650d) after 'span=' at position 17",
     "a span like 1h"},
    {"| timechart count()", 12, "expected 'span=' after 'timechart' at position 12, found 'count'",
     "'span='"},
    {"| timechart span=1h", 19, "expected an aggregate like count() after 'span=1h' at position 19",
     "an aggregate like count()"},
    {"| timechart span=1h count() by a, b", 32,
     "timechart takes one 'by' field; found more at position 32", "'|' or the end of the query"},
    {"eventName:\"Console", 10, "unterminated quoted string starting at position 10", "'\"'"},
    {"\"abc\\\"", 0, "unterminated quoted string starting at position 0", "'\"'"},
    {"x:[a TO]", 7, "expected a range bound after 'TO' at position 7, found ']'", "a range bound"},
    {"x:[a b]", 5, "expected 'TO' at position 5, found 'b'", "'TO'"},
    {"x:[a TO b", 9, "expected ']' or '}' at position 9 to close the range at position 2",
     "']' or '}'"},
    {"x:[", 3, "expected a range bound after '[' at position 3", "a range bound"},
    {"x:[a* TO b]", 3, "wildcards are not allowed in a range at position 3", "a range bound"},
    {"x:>", 3, "expected a value after 'x:>' at position 3", "a value"},
    {"x>=", 3, "expected a value after 'x>=' at position 3", "a value"},
    {"x:>=a*", 4, "wildcards are not allowed in a comparison at position 4", "a value"},
    {"a\\", 1, "expected a character after '\\' at position 1", ""},
    {"*:foo", 0, "wildcards are not allowed in field names ('*') at position 0", "a field name"},
    {"a..b:c", 0, "empty part in field name 'a..b' at position 0", "a field name"},
    {".a:c", 0, "empty part in field name '.a' at position 0", "a field name"},
    {"f:(a", 4, "expected ')' at position 4 to close the '(' at position 2", "')'"},
    {"f:()", 3, "expected a value after 'f:(' at position 3, found ')'", "a value"},
    {"_time:>=yesterday", 8,
     "expected an ISO 8601 time like 2024-05-01T00:00:00Z at position 8, found 'yesterday'",
     "an ISO 8601 time"},
    {"_time:2024-13-01", 6,
     "expected an ISO 8601 time like 2024-05-01T00:00:00Z at position 6, found '2024-13-01'",
     "an ISO 8601 time"},
    {"_time:2024*", 6, "wildcards are not supported on _time at position 6", "a time"},
    {"|", 1, "expected a stage name after '|' at position 1", "a stage name"},
    {"a |", 3, "expected a stage name after '|' at position 3", "a stage name"},
    {"a | | head", 4, "expected a stage name after '|' at position 4, found '|'", "a stage name"},
    {"| foo", 2,
     "unknown stage 'foo' at position 2; expected stats, sort, head, fields or timechart",
     "a stage name"},
    {"| where x:1", 2,
     "there is no 'where' stage (at position 2): write the filter before the first '|'",
     "a stage name"},
    {"| stats sum(x)", 8,
     "unknown aggregate 'sum' at position 8; expected count, count_distinct, min, max or "
     "values",
     "an aggregate"},
    {"| stats min()", 12, "expected a field name after 'min(' at position 12, found ')'",
     "a field name"},
    {"| stats min", 11, "expected '(' after 'min' at position 11", "'('"},
    {"| stats count(", 14, "expected a field name after 'count(' at position 14", "a field name"},
    {"| stats count(a b)", 16, "expected ')' after 'count(a' at position 16, found 'b'", "')'"},
    {"| stats count() as", 18, "expected a name after 'as' at position 18", "a name"},
    {"| stats count() as a.b", 19,
     "a column name may not contain '.' or '\\' ('a.b' at position 19)", "a name"},
    {"| stats count(), count()", 17, "duplicate column 'count' at position 17; name it with 'as'",
     ""},
    {"| stats count() by a, a", 22, "duplicate column 'a' at position 22", ""},
    {"| stats count() | sort -cnt", 24,
     "unknown column 'cnt' at position 24; after 'stats' the columns are count", "a column"},
    {"| stats count() by a | fields b", 30,
     "unknown column 'b' at position 30; after 'stats' the columns are a, count", "a column"},
    {"| fields a | sort b", 18,
     "unknown column 'b' at position 18; after 'fields' the columns are a", "a column"},
    {"| fields a | stats count(b)", 25,
     "unknown column 'b' at position 25; after 'fields' the columns are a", "a column"},
    {"| fields a | timechart span=1h count()", 13,
     "unknown column '_time' at position 13; after 'fields' the columns are a", "a column"},
    {"| stats count() | stats count()", 18,
     "only one stats or timechart stage is allowed; found 'stats' at position 18 after "
     "'stats'",
     ""},
    {"| stats count() | timechart span=1h count()", 18,
     "only one stats or timechart stage is allowed; found 'timechart' at position 18 after "
     "'stats'",
     ""},
    {"| sort", 6, "expected a field name after 'sort' at position 6", "a field name"},
    {"| sort a,", 9, "expected a field name after ',' at position 9", "a field name"},
    {"| sort -", 8, "expected a field name after '-' at position 8", "a field name"},
    {"| fields", 8, "expected a field name after 'fields' at position 8", "a field name"},
    {"| fields a*", 9, "wildcards are not allowed in field names ('a*') at position 9",
     "a field name"},
    {"| head 5 (", 9,
     "unexpected '(' at position 9 after the 'head' stage; expected '|' or the end of the "
     "query",
     "'|' or the end of the query"},
};

INSTANTIATE_TEST_SUITE_P(Malformed, ParserErrorTest, ::testing::ValuesIn(kCases));

TEST(ParserLimits, MegabyteQueryIsRefusedUnread) {
  const std::string big(1 << 20, 'a');
  QueryError error;
  const Result<Query> q = ParseQuery(big, {}, &error);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(error.position, 65536);
  EXPECT_EQ(error.message, "the query is 1048576 bytes long; the limit is 65536 bytes");
}

TEST(ParserLimits, TenThousandNestedParenthesesFailCleanly) {
  const std::string deep = std::string(10'000, '(') + "a" + std::string(10'000, ')');
  QueryError error;
  ASSERT_FALSE(ParseQuery(deep, {}, &error).ok());
  EXPECT_EQ(error.position, 100);
  EXPECT_EQ(error.message,
            "the query nests more than 100 levels deep (parentheses and NOT) at position 100");
}

TEST(ParserLimits, LongNotChainsFailCleanly) {
  std::string nots;
  for (int i = 0; i < 10'000; ++i) nots += "NOT ";
  QueryError error;
  ASSERT_FALSE(ParseQuery(nots + "a", {}, &error).ok());
  EXPECT_EQ(error.position, 400);
  ASSERT_FALSE(ParseQuery(std::string(30'000, '-') + "a", {}, &error).ok());
  EXPECT_EQ(error.position, 100);
  ASSERT_FALSE(ParseQuery("f:" + std::string(5'000, '('), {}, &error).ok());
}

TEST(ParserLimits, NestingUpToTheLimitParses) {
  const std::string ok = std::string(100, '(') + "a" + std::string(100, ')');
  EXPECT_TRUE(ParseQuery(ok).ok());
  ParseOptions tight;
  tight.max_depth = 3;
  EXPECT_TRUE(ParseQuery("((NOT a))", tight).ok());
  EXPECT_FALSE(ParseQuery("(((NOT a)))", tight).ok());
}

TEST(ParserLimits, TermCount) {
  ParseOptions options;
  options.max_terms = 3;
  EXPECT_TRUE(ParseQuery("a b c", options).ok());
  QueryError error;
  EXPECT_FALSE(ParseQuery("a b c d", options, &error).ok());
  EXPECT_EQ(error.position, 6);
  EXPECT_EQ(error.message, "the query has more than 3 terms at position 6");
}

TEST(ParserLimits, LongFlatQueriesParse) {
  std::string q;
  for (int i = 0; i < 3'000; ++i) q += "eventName:E" + std::to_string(i) + " OR ";
  q += "x";
  ASSERT_LE(q.size(), 65536u);
  const Result<Query> r = ParseQuery(q);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->filter->children().size(), 3001u);
}

TEST(ParserErrors, LongTokensAreShortenedInMessages) {
  const std::string word(100, 'x');
  QueryError error;
  ASSERT_FALSE(ParseQuery("| foo" + word, {}, &error).ok());
  EXPECT_EQ(error.message, "unknown stage '" + std::string("foo") + std::string(37, 'x') +
                               "...' at position 2; expected stats, sort, head, fields or "
                               "timechart");
}

}  // namespace
}  // namespace trailhound::query
