// The SQLite oracle (src/testing/sqlite_oracle.h) on small hand-made datasets, before it is
// trusted to judge the store. Every expectation here was derived by hand from
// docs/query-language.md ("Semantics" and "Results"), not by running the engine.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "query/parser.h"
#include "testing/sqlite_oracle.h"
#include "testing/sqlite_oracle_values.h"

namespace trailhound::testing {
namespace {

using query::Value;
using V = std::vector<std::string>;

constexpr int64_t kT0 = 1714521600000;  // 2024-05-01T00:00:00Z
constexpr int64_t kMinute = 60'000;
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// a1..a6, 30 minutes apart from 00:30; newest first is a6, a5, ..., a1.
const std::vector<std::string>& Raws() {
  static const auto* raws = new std::vector<std::string>{
      R"({"eventID":"a1","eventName":"ConsoleLogin","n":5,"tags":["x","Y"],"obj":{"k":"v"},"flag":true,"ver":"1.08"})",
      R"({"eventID":"a2","eventName":"consolelogin","n":5.0,"tags":[],"obj":{},"flag":"True","ver":"1.10"})",
      R"({"eventID":"a3","eventName":"CreateUser","n":"5","tags":[null],"obj":null,"flag":false,"ver":1.05})",
      R"({"eventID":"a4","eventName":"DeleteUser","n":"5.0","resources":[{"type":"AWS::S3::Bucket","arn":"arn:1"},{"type":"AWS::S3::Object","arn":"arn:2"}]})",
      "{\"eventID\":\"a5\",\"eventName\":\"\xC3\x9Cn\xC3\xAF"
      "code\",\"name\":\"\xC3\x84"
      "BC\","
      "\"n\":-3,\"resources\":[{\"type\":\"AWS::S3::Object\"}],\"nested\":[[1,2],[3]]}",
      R"({"eventID":"a6","eventName":"GetObject","errorCode":"AccessDenied","n":1e21,"msg":"say \"hi\"","path":"C:\\Windows\\x"})",
  };
  return *raws;
}

std::unique_ptr<SqliteOracle> MakeOracle() {
  auto oracle = SqliteOracle::Create();
  EXPECT_TRUE(oracle.ok()) << oracle.status().ToString();
  std::vector<OracleEvent> events;
  for (size_t i = 0; i < Raws().size(); ++i) {
    events.push_back({kT0 + static_cast<int64_t>(i + 1) * 30 * kMinute, i % 2 ? "s2" : "s1",
                      "Cloud Service Activity", Raws()[i]});
  }
  const Result<size_t> added = (*oracle)->Add(events);
  EXPECT_TRUE(added.ok()) << added.status().ToString();
  return std::move(*oracle);
}

SqliteOracle& Oracle() {
  static SqliteOracle* oracle = MakeOracle().release();
  return *oracle;
}

query::QueryResult Query(SqliteOracle& oracle, const std::string& text, size_t limit = 100,
                         int64_t from = kMin, int64_t to = kMax) {
  const Result<query::Query> q = query::ParseQuery(text);
  EXPECT_TRUE(q.ok()) << text << ": " << q.status().ToString();
  if (!q.ok()) return {};
  Result<query::QueryResult> r = oracle.Run(*q, from, to, limit);
  EXPECT_TRUE(r.ok()) << text << ": " << r.status().ToString();
  return r.ok() ? std::move(*r) : query::QueryResult{};
}

std::string IdOf(const std::string& raw) {
  const size_t at = raw.find("\"eventID\":\"");
  if (at == std::string::npos) return "?";
  const size_t begin = at + 11;
  return raw.substr(begin, raw.find('"', begin) - begin);
}

// The ids of the events a filter matches, in result order (newest first by default).
V Ids(const std::string& text, SqliteOracle& oracle = Oracle()) {
  const query::QueryResult r = Query(oracle, text);
  V ids;
  for (const query::ResultEvent& e : r.events) ids.push_back(IdOf(e.raw));
  EXPECT_EQ(r.total, ids.size()) << text;
  return ids;
}

Value S(std::string s) { return Value{std::move(s)}; }
Value I(int64_t i) { return Value{i}; }
Value R(double d) { return Value{d}; }
Value B(bool b) { return Value{b}; }
Value L(std::vector<Value> list) { return Value{std::move(list)}; }
const Value kNull{};

using Rows = std::vector<std::vector<Value>>;

TEST(OracleValues, NumbersTimesAndGlobs) {
  EXPECT_EQ(OracleNumberText(int64_t{5}), "5");
  EXPECT_EQ(OracleNumberText(5.0), "5");
  EXPECT_EQ(OracleNumberText(1e21), "1e+21");
  EXPECT_EQ(OracleNumberText(100.0), "100");
  EXPECT_EQ(OracleNumberText(1e-7), "1e-07");
  EXPECT_FALSE(OracleParseNumber("+1").has_value());
  EXPECT_FALSE(OracleParseNumber("1.").has_value());
  EXPECT_FALSE(OracleParseNumber(" 1").has_value());
  EXPECT_FALSE(OracleParseNumber("1e999").has_value());
  EXPECT_EQ(std::get<int64_t>(*OracleParseNumber("007")), 7);
  EXPECT_EQ(std::get<double>(*OracleParseNumber("99999999999999999999")), 1e20);
  EXPECT_EQ(*OracleParseTimeMillis("2024-05-01"), kT0);
  EXPECT_EQ(*OracleParseTimeMillis("2024-05-01T02:00:00+02:00"), kT0);
  EXPECT_EQ(*OracleParseTimeMillis("2024-05-01T00:00:01.5Z"), kT0 + 1500);
  EXPECT_EQ(*OracleParseTimeMillis("2024-05-01 00:01"), kT0 + kMinute);
  EXPECT_FALSE(OracleParseTimeMillis("yesterday").ok());
  EXPECT_EQ(OracleWildcardToGlob("Ab*c?\\*\\?\\\\[x]"), "ab*c?[*][?]\\[[]x]");
}

TEST(OracleFilter, NumbersAndNumericStrings) {
  // 5 = 5.0 = "5"; "5.0" is text and differs from "5".
  EXPECT_EQ(Ids("n:5"), (V{"a3", "a2", "a1"}));
  EXPECT_EQ(Ids("n:5.0"), (V{"a4", "a2", "a1"}));
  EXPECT_EQ(Ids("n:>=5"), (V{"a6", "a4", "a3", "a2", "a1"}));
  EXPECT_EQ(Ids("n:<0"), (V{"a5"}));
  EXPECT_EQ(Ids("n:[* TO *]").size(), 6u);
  EXPECT_EQ(Ids("n:[a TO z]"), V{});  // a text bound: numbers never, "5" < "a"
  EXPECT_EQ(Ids("ver:>=1.08"), (V{"a2", "a1"}));
  EXPECT_EQ(Ids("ver:{1.05 TO 1.1]"), (V{"a2", "a1"}));
  EXPECT_EQ(Ids("nested:3"), (V{"a5"}));  // nested arrays are expanded too
  EXPECT_EQ(Ids("nested:>2"), (V{"a5"}));
  EXPECT_EQ(Ids("nested:>3"), V{});
}

TEST(OracleFilter, BooleansMissingNullAndObjects) {
  EXPECT_EQ(Ids("flag:true"), (V{"a2", "a1"}));
  EXPECT_EQ(Ids("flag:FALSE"), (V{"a3"}));
  EXPECT_EQ(Ids("flag:*"), (V{"a3", "a2", "a1"}));
  EXPECT_EQ(Ids("flag:[* TO *]"), (V{"a2"}));  // booleans are neither strings nor numbers
  // [] and [null] are missing; {} is there; an object equals no value.
  EXPECT_EQ(Ids("tags:*"), (V{"a1"}));
  EXPECT_EQ(Ids("NOT tags:*"), (V{"a6", "a5", "a4", "a3", "a2"}));
  EXPECT_EQ(Ids("obj:*"), (V{"a2", "a1"}));
  EXPECT_EQ(Ids("obj:v"), V{});
  EXPECT_EQ(Ids("obj:*v*"), V{});
  EXPECT_EQ(Ids("obj.k:V"), (V{"a1"}));
  EXPECT_EQ(Ids("-obj:*"), (V{"a6", "a5", "a4", "a3"}));
  EXPECT_EQ(Ids("nosuchfield:*"), V{});
  EXPECT_EQ(Ids("-nosuchfield:x").size(), 6u);
}

TEST(OracleFilter, ArraysMatchAnyElementAndNotNegatesTheTerm) {
  EXPECT_EQ(Ids("tags:y"), (V{"a1"}));
  EXPECT_EQ(Ids("resources.type:AWS::S3::Bucket"), (V{"a4"}));
  EXPECT_EQ(Ids("resources.type:AWS::S3::Object"), (V{"a5", "a4"}));
  EXPECT_EQ(Ids("-resources.type:AWS::S3::Object"), (V{"a6", "a3", "a2", "a1"}));
  // Each term on its own: two different elements may satisfy them.
  EXPECT_EQ(Ids("resources.type:AWS::S3::Bucket resources.arn:arn:2"), (V{"a4"}));
  EXPECT_EQ(Ids("-errorCode:AccessDenied").size(), 5u);
}

TEST(OracleFilter, CaseFoldingIsAsciiOnly) {
  EXPECT_EQ(Ids("eventName:consolelogin"), (V{"a2", "a1"}));
  EXPECT_EQ(Ids("eventName:\xC3\x9CN\xC3\xAF"
                "CODE"),
            (V{"a5"}));  // ÜNïCODE
  EXPECT_EQ(Ids("eventName:\xC3\xBCn\xC3\xAF"
                "code"),
            V{});  // ü is not Ü
  EXPECT_EQ(Ids("name:\xC3\x84"
                "bc"),
            (V{"a5"}));  // Äbc
  EXPECT_EQ(Ids("name:\xC3\xA4"
                "bc"),
            V{});  // äbc
}

TEST(OracleFilter, Wildcards) {
  EXPECT_EQ(Ids("eventName:Console*"), (V{"a2", "a1"}));
  EXPECT_EQ(Ids("eventName:*User"), (V{"a4", "a3"}));
  EXPECT_EQ(Ids("eventName:*EAT*"), (V{"a3"}));
  EXPECT_EQ(Ids("eventName:?n\xC3\xAF"
                "code"),
            (V{"a5"}));  // ? is one UTF-8 character
  EXPECT_EQ(Ids("eventName:??n\xC3\xAF"
                "code"),
            V{});
  EXPECT_EQ(Ids("eventName:?n?code"), (V{"a5"}));
  // Numbers in canonical text, booleans as true/false.
  EXPECT_EQ(Ids("n:1e+2?"), (V{"a6"}));
  EXPECT_EQ(Ids("n:5*"), (V{"a4", "a3", "a2", "a1"}));
  EXPECT_EQ(Ids("n:-*"), (V{"a5"}));
  EXPECT_EQ(Ids("flag:tr*"), (V{"a2", "a1"}));
  EXPECT_EQ(Ids("path:C:\\\\Windows\\\\*"), (V{"a6"}));
  EXPECT_EQ(Ids("path:C:\\\\Windows\\\\x"), (V{"a6"}));
  EXPECT_EQ(Ids("eventName:Console\\*"), V{});
}

TEST(OracleFilter, FreeTextAndBooleanLogic) {
  EXPECT_EQ(Ids("accessdenied"), (V{"a6"}));
  EXPECT_EQ(Ids("RESOURCES"), (V{"a5", "a4"}));  // keys are part of the text
  EXPECT_EQ(Ids(R"("say \\\"hi\\\"")"), (V{"a6"}));
  EXPECT_EQ(Ids(R"("say \"hi\"")"), V{});
  EXPECT_EQ(Ids("Access*ied"), (V{"a6"}));
  EXPECT_EQ(Ids("\"a?\"").size(), 0u);  // literal inside quotes
  EXPECT_EQ(Ids("NOT eventName:consolelogin OR n:-3"), (V{"a6", "a5", "a4", "a3"}));
  EXPECT_EQ(Ids("eventName:consolelogin AND n:5 OR eventName:GetObject"), (V{"a6", "a2", "a1"}));
  EXPECT_EQ(Ids("eventName:consolelogin AND (n:5 OR eventName:GetObject)"), (V{"a2", "a1"}));
  EXPECT_EQ(Ids("eventName:(CreateUser OR DeleteUser)"), (V{"a4", "a3"}));
  EXPECT_EQ(Ids("n:(>=5 AND <6)"), (V{"a4", "a3", "a2", "a1"}));
}

TEST(OracleFilter, VirtualFieldsAndTimeRange) {
  EXPECT_EQ(Ids("_source:S2"), (V{"a6", "a4", "a2"}));
  EXPECT_EQ(Ids("_category:\"cloud service activity\"").size(), 6u);
  EXPECT_EQ(Ids("_time:>=2024-05-01T02:00:00Z"), (V{"a6", "a5", "a4"}));
  EXPECT_EQ(Ids("_time:[2024-05-01T01:00:00Z TO 2024-05-01T04:00:00+02:00}"), (V{"a3", "a2"}));
  EXPECT_EQ(Ids("_time:2024-05-01T01:30:00Z"), (V{"a3"}));
  const query::QueryResult r = Query(Oracle(), "", 100, kT0 + 60 * kMinute, kT0 + 120 * kMinute);
  EXPECT_EQ(r.total, 2u);  // a2 at 01:00 is in, a4 at 02:00 is not
  ASSERT_EQ(r.events.size(), 2u);
  EXPECT_EQ(IdOf(r.events[0].raw), "a3");
}

TEST(OracleEvents, DefaultOrderLimitHeadAndSort) {
  const query::QueryResult limited = Query(Oracle(), "", 2);
  EXPECT_EQ(limited.total, 6u);
  ASSERT_EQ(limited.events.size(), 2u);
  EXPECT_EQ(IdOf(limited.events[1].raw), "a5");
  EXPECT_EQ(limited.events[0].source, "s2");
  EXPECT_EQ(limited.events[0].category, "Cloud Service Activity");
  EXPECT_EQ(limited.events[0].time_millis, kT0 + 180 * kMinute);
  // Value order: -3, 5 (integer before the equal real), 5.0, 1e21, then strings "5", "5.0".
  const auto sorted = [](const std::string& q) {
    V ids;
    for (const auto& e : Query(Oracle(), q).events) ids.push_back(IdOf(e.raw));
    return ids;
  };
  EXPECT_EQ(sorted("| head 2"), (V{"a6", "a5"}));
  EXPECT_EQ(Query(Oracle(), "| head 2").total, 6u);
  EXPECT_EQ(sorted("| sort n"), (V{"a5", "a1", "a2", "a6", "a3", "a4"}));
  EXPECT_EQ(sorted("| sort -n"), (V{"a4", "a3", "a6", "a2", "a1", "a5"}));
  // Ties keep the previous order (newest first); missing fields are null, first.
  EXPECT_EQ(sorted("| sort flag"), (V{"a6", "a5", "a4", "a3", "a1", "a2"}));
  EXPECT_EQ(sorted("| sort resources.type | head 3"), (V{"a6", "a3", "a2"}));
  EXPECT_EQ(sorted("| head 3 | sort eventID"), (V{"a4", "a5", "a6"}));
  EXPECT_EQ(sorted("| sort -_source, eventID"), (V{"a2", "a4", "a6", "a1", "a3", "a5"}));
}

TEST(OracleEvents, SameTimeOrdersByRawBytesAndDeduplicates) {
  auto made = SqliteOracle::Create();
  ASSERT_TRUE(made.ok());
  SqliteOracle& oracle = **made;
  const std::vector<OracleEvent> events = {
      {kT0, "s", "c", R"({"eventID":"b","recipientAccountId":"1","v":1})"},
      {kT0, "s", "c", R"({"eventID":"a","recipientAccountId":"1","v":2})"},
      {kT0, "s", "c", R"({"eventID":"a","recipientAccountId":"1","v":3})"},  // duplicate id
      {kT0, "s", "c", R"({"eventID":"a","recipientAccountId":"2","v":4})"},  // other account
      {kT0, "s", "c", R"({"v":5})"},
      {kT0, "t", "c", R"({"v":5})"},  // no eventID: keyed by raw JSON
  };
  ASSERT_EQ(*oracle.Add(events), 4u);
  ASSERT_EQ(*oracle.Add(events), 0u);
  EXPECT_EQ(oracle.size(), 4u);
  const query::QueryResult r = Query(oracle, "");
  V raws;
  for (const auto& e : r.events) raws.push_back(e.raw);
  EXPECT_EQ(raws, (V{R"({"eventID":"a","recipientAccountId":"1","v":2})",
                     R"({"eventID":"a","recipientAccountId":"2","v":4})",
                     R"({"eventID":"b","recipientAccountId":"1","v":1})", R"({"v":5})"}));
}

TEST(OracleEvents, EmptyThenAddedBetweenQueries) {
  auto made = SqliteOracle::Create();
  ASSERT_TRUE(made.ok());
  SqliteOracle& oracle = **made;
  EXPECT_EQ(Query(oracle, "").total, 0u);
  EXPECT_EQ(Query(oracle, "| stats count()").rows, (Rows{{I(0)}}));
  const std::vector<OracleEvent> first = {{kT0, "s", "c", R"({"eventID":"x","a":"1"})"}};
  ASSERT_EQ(*oracle.Add(first), 1u);
  EXPECT_EQ(Ids("a:1", oracle), (V{"x"}));
  // A later event, with a path no earlier event has, is seen by the next query.
  const std::vector<OracleEvent> second = {
      {kT0 + 1, "s", "c", R"({"eventID":"y","a":"2","b":[3]})"}};
  ASSERT_EQ(*oracle.Add(second), 1u);
  EXPECT_EQ(Ids("a:>=1", oracle), (V{"y", "x"}));
  EXPECT_EQ(Ids("b:3", oracle), (V{"y"}));
  EXPECT_EQ(Query(oracle, "| sort a | fields a, b").rows, (Rows{{S("1"), kNull}, {S("2"), I(3)}}));
}

TEST(OracleRows, FieldsGiveTypedValuesListsAndNulls) {
  const query::QueryResult r =
      Query(Oracle(), "eventID:(a1 OR a2 OR a3) | fields eventID, tags, obj, n");
  EXPECT_TRUE(r.rows_mode);
  EXPECT_EQ(r.columns, (V{"eventID", "tags", "obj", "n"}));
  EXPECT_EQ(r.rows, (Rows{{S("a3"), kNull, kNull, S("5")},
                          {S("a2"), kNull, S("{}"), R(5.0)},
                          {S("a1"), L({S("x"), S("Y")}), S(R"({"k":"v"})"), I(5)}}));
  EXPECT_EQ(Query(Oracle(), "| fields eventID", 2).rows.size(), 2u);
  EXPECT_EQ(Query(Oracle(), "eventID:a5 | fields nested, _time").rows,
            (Rows{{L({I(1), I(2), I(3)}), I(kT0 + 150 * kMinute)}}));
  EXPECT_EQ(Query(Oracle(), "| fields eventID | sort eventID | head 2").rows,
            (Rows{{S("a1")}, {S("a2")}}));
}

TEST(OracleRows, StatsGroupsByTextsWithArrayFanOutAndNullGroup) {
  EXPECT_EQ(Query(Oracle(), "| stats count() by tags").rows,
            (Rows{{kNull, I(5)}, {S("Y"), I(1)}, {S("x"), I(1)}}));
  EXPECT_EQ(Query(Oracle(), "| stats count by n").rows,
            (Rows{{S("-3"), I(1)}, {S("1e+21"), I(1)}, {S("5"), I(3)}, {S("5.0"), I(1)}}));
  EXPECT_EQ(Query(Oracle(), "| stats count() by resources.type").rows,
            (Rows{{kNull, I(4)}, {S("AWS::S3::Bucket"), I(1)}, {S("AWS::S3::Object"), I(2)}}));
  EXPECT_EQ(Query(Oracle(), "| stats count() by nested").rows,
            (Rows{{kNull, I(5)}, {S("1"), I(1)}, {S("2"), I(1)}, {S("3"), I(1)}}));
  EXPECT_EQ(Query(Oracle(), "eventID:a1 | stats count() by tags, flag").rows,
            (Rows{{S("Y"), S("true"), I(1)}, {S("x"), S("true"), I(1)}}));
  const query::QueryResult agg =
      Query(Oracle(),
            "| stats min(n), max(n), count(n), dc(n) as d, values(n), count(obj), "
            "values(obj), min(flag), max(flag), count(tags)");
  EXPECT_EQ(agg.columns, (V{"min(n)", "max(n)", "count(n)", "d", "values(n)", "count(obj)",
                            "values(obj)", "min(flag)", "max(flag)", "count(tags)"}));
  EXPECT_EQ(agg.rows,
            (Rows{{I(-3), S("5.0"), I(6), I(4), L({S("-3"), S("1e+21"), S("5"), S("5.0")}), I(2),
                   L({S(R"({"k":"v"})"), S("{}")}), B(false), S("True"), I(1)}}));
}

TEST(OracleRows, StatsWithoutEventsAndAroundOtherStages) {
  EXPECT_EQ(Query(Oracle(), "nosuch:x | stats count(), min(n), values(n), dc(n)").rows,
            (Rows{{I(0), kNull, L({}), I(0)}}));
  EXPECT_EQ(Query(Oracle(), "nosuch:x | stats count() by eventName").rows, Rows{});
  EXPECT_EQ(Query(Oracle(), "| head 3 | stats count()").rows, (Rows{{I(3)}}));
  EXPECT_EQ(Query(Oracle(), "| sort eventID | head 2 | stats values(eventID)").rows,
            (Rows{{L({S("a1"), S("a2")})}}));
  const query::QueryResult r =
      Query(Oracle(), "| stats count() as c by _source | sort -c, _source | fields c");
  EXPECT_EQ(r.columns, (V{"c"}));
  EXPECT_EQ(r.rows, (Rows{{I(3)}, {I(3)}}));
  EXPECT_EQ(Query(Oracle(), "| stats count() by eventName | sort -count | head 1").rows,
            (Rows{{S("ConsoleLogin"), I(1)}}));  // stable: ties keep the group order
  EXPECT_EQ(Query(Oracle(), "| stats count() by eventName | head 2").rows,
            (Rows{{S("ConsoleLogin"), I(1)}, {S("CreateUser"), I(1)}}));
}

TEST(OracleRows, Timechart) {
  const query::QueryResult r = Query(Oracle(), "| timechart span=1h count()");
  EXPECT_EQ(r.columns, (V{"_time", "count"}));
  EXPECT_EQ(r.rows, (Rows{{I(kT0), I(1)},
                          {I(kT0 + 60 * kMinute), I(2)},
                          {I(kT0 + 120 * kMinute), I(2)},
                          {I(kT0 + 180 * kMinute), I(1)}}));
  EXPECT_EQ(Query(Oracle(), "n:5 | timechart span=90m count() by _source").rows,
            (Rows{{I(kT0), S("s1"), I(1)},
                  {I(kT0), S("s2"), I(1)},
                  {I(kT0 + 90 * kMinute), S("s1"), I(1)}}));
  // Buckets round down before 1970 too.
  auto made = SqliteOracle::Create();
  ASSERT_TRUE(made.ok());
  const std::vector<OracleEvent> old = {{-1, "s", "c", R"({"eventID":"x"})"}};
  ASSERT_TRUE((*made)->Add(old).ok());
  EXPECT_EQ(Query(**made, "| timechart span=1s count()").rows, (Rows{{I(-1000), I(1)}}));
}

}  // namespace
}  // namespace trailhound::testing
