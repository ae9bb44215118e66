// The result semantics of pipeline.h (docs/query-language.md "Results"), one rule at a time:
// queries are parsed with ParseQuery, events with simdjson, and results compared exactly.
#include "query/pipeline.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "query/parser.h"
#include "query/time_value.h"

namespace trailhound::query {

void PrintTo(const Value& value, std::ostream* os) { *os << ValueToJson(value); }

namespace {

// An event to feed: its JSON, _time (ms), _source and _category.
struct In {
  std::string raw;
  int64_t time = 0;
  std::string source = "s";
  std::string category = "c";
};

Value Null() { return Value{}; }
Value Bool(bool b) { return Value{b}; }
Value Int(int64_t i) { return Value{i}; }
Value Real(double d) { return Value{d}; }
Value Str(std::string s) { return Value{std::move(s)}; }
Value List(std::vector<Value> l) { return Value{std::move(l)}; }

class PipelineTest : public ::testing::Test {
 protected:
  // A pipeline for the stages of `query`; failures fail the test.
  std::unique_ptr<Pipeline> Make(std::string_view query, const PipelineOptions& options = {}) {
    const Result<Query> q = ParseQuery(query);
    EXPECT_TRUE(q.ok()) << query << ": " << q.status().ToString();
    if (!q.ok()) return nullptr;
    Result<std::unique_ptr<Pipeline>> p = Pipeline::Create(q->stages, options);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? std::move(*p) : nullptr;
  }

  Status Feed(Pipeline& pipeline, const std::vector<In>& events) {
    for (const In& e : events) {
      simdjson::dom::element root;
      if (parser_.parse(e.raw).get(root) != simdjson::SUCCESS) {
        return Status::Corruption("bad test JSON: " + e.raw);
      }
      const VirtualFields virtuals{e.time, std::string_view(e.source),
                                   std::string_view(e.category)};
      TH_RETURN_IF_ERROR(pipeline.Add(root, e.raw, virtuals));
    }
    return Status::OK();
  }

  // Runs the stages of `query` over `events`.
  Result<QueryResult> Run(std::string_view query, const std::vector<In>& events,
                          const PipelineOptions& options = {}) {
    std::unique_ptr<Pipeline> p = Make(query, options);
    if (p == nullptr) return Status::InvalidArgument("no pipeline");
    TH_RETURN_IF_ERROR(Feed(*p, events));
    return p->Finish();
  }

  // Runs and expects success.
  QueryResult MustRun(std::string_view query, const std::vector<In>& events,
                      const PipelineOptions& options = {}) {
    Result<QueryResult> r = Run(query, events, options);
    EXPECT_TRUE(r.ok()) << query << ": " << r.status().ToString();
    return r.ok() ? std::move(*r) : QueryResult{};
  }

  // The raw JSON of the result's events, in order.
  std::vector<std::string> Raws(std::string_view query, const std::vector<In>& events,
                                const PipelineOptions& options = {}) {
    const QueryResult r = MustRun(query, events, options);
    EXPECT_FALSE(r.rows_mode) << query;
    std::vector<std::string> out;
    for (const ResultEvent& e : r.events) out.push_back(e.raw);
    return out;
  }

  // The rows of the result as JSON arrays, e.g. ["a",2].
  std::vector<std::string> Rows(std::string_view query, const std::vector<In>& events,
                                const PipelineOptions& options = {}) {
    const QueryResult r = MustRun(query, events, options);
    EXPECT_TRUE(r.rows_mode) << query;
    std::vector<std::string> out;
    for (const std::vector<Value>& row : r.rows) out.push_back(ValueToJson(List(row)));
    return out;
  }

  simdjson::dom::parser parser_;
};

using Strings = std::vector<std::string>;

// ---- Events mode ----

TEST_F(PipelineTest, EventsAreNewestFirst) {
  const std::vector<In> events = {{R"({"n":1})", 1000}, {R"({"n":3})", 3000}, {R"({"n":2})", 2000}};
  EXPECT_EQ(Raws("", events), (Strings{R"({"n":3})", R"({"n":2})", R"({"n":1})"}));
  const QueryResult r = MustRun("", events);
  EXPECT_EQ(r.total, 3u);
  ASSERT_EQ(r.events.size(), 3u);
  EXPECT_EQ(r.events[0], (ResultEvent{3000, "s", "c", R"({"n":3})"}));
}

TEST_F(PipelineTest, EventsAtTheSameTimeAreOrderedByRawBytesThenSourceThenCategory) {
  const std::vector<In> events = {{R"({"b":1})", 5, "s2", "c"},
                                  {R"({"b":1})", 5, "s1", "c2"},
                                  {R"({"b":1})", 5, "s1", "c1"},
                                  {R"({"B":1})", 5},
                                  {R"({"a":1})", 5},
                                  {R"({"a":1})", 6}};
  const QueryResult r = MustRun("", events);
  ASSERT_EQ(r.events.size(), 6u);
  EXPECT_EQ(r.events[0].raw, R"({"a":1})");
  EXPECT_EQ(r.events[0].time_millis, 6);
  EXPECT_EQ(r.events[1].raw, R"({"B":1})");  // 'B' (0x42) before 'a' (0x61): bytes
  EXPECT_EQ(r.events[2].raw, R"({"a":1})");
  EXPECT_EQ(r.events[3], (ResultEvent{5, "s1", "c1", R"({"b":1})"}));
  EXPECT_EQ(r.events[4], (ResultEvent{5, "s1", "c2", R"({"b":1})"}));
  EXPECT_EQ(r.events[5], (ResultEvent{5, "s2", "c", R"({"b":1})"}));
}

TEST_F(PipelineTest, EventLimitKeepsTheNewestEventsAndTotalCountsAll) {
  std::vector<In> events;
  for (int i = 0; i < 50; ++i) events.push_back({"{\"i\":" + std::to_string(i) + "}", i * 10});
  PipelineOptions options;
  options.event_limit = 3;
  const QueryResult r = MustRun("", events, options);
  EXPECT_EQ(r.total, 50u);
  EXPECT_EQ(Raws("", events, options), (Strings{R"({"i":49})", R"({"i":48})", R"({"i":47})"}));
}

TEST_F(PipelineTest, HeadKeepsTheFirstNAndEventLimitStillCaps) {
  const std::vector<In> events = {{R"({"n":1})", 1}, {R"({"n":2})", 2}, {R"({"n":3})", 3}};
  EXPECT_EQ(Raws("| head 2", events), (Strings{R"({"n":3})", R"({"n":2})"}));
  EXPECT_EQ(Raws("| head", events).size(), 3u);  // default 10
  PipelineOptions options;
  options.event_limit = 1;
  EXPECT_EQ(Raws("| head 2", events, options), (Strings{R"({"n":3})"}));
  EXPECT_EQ(Raws("| head 2 | head 5", events), (Strings{R"({"n":3})", R"({"n":2})"}));
}

TEST_F(PipelineTest, SortOrdersEventsAscendingOrDescending) {
  const std::vector<In> events = {
      {R"({"x":2})", 1}, {R"({"x":10})", 2}, {R"({"x":1})", 3}, {R"({"x":-5})", 4}};
  EXPECT_EQ(Raws("| sort x", events),
            (Strings{R"({"x":-5})", R"({"x":1})", R"({"x":2})", R"({"x":10})"}));
  EXPECT_EQ(Raws("| sort -x", events),
            (Strings{R"({"x":10})", R"({"x":2})", R"({"x":1})", R"({"x":-5})"}));
  PipelineOptions options;
  options.event_limit = 2;  // the top of the sort, not of the newest
  EXPECT_EQ(Raws("| sort -x", events, options), (Strings{R"({"x":10})", R"({"x":2})"}));
  EXPECT_EQ(Raws("| sort x | head 3 | head 1", events), (Strings{R"({"x":-5})"}));
}

TEST_F(PipelineTest, SortUsesTheFirstKeyFirstThenTheNext) {
  const std::vector<In> events = {{R"({"a":"p","b":2})", 1},
                                  {R"({"a":"q","b":1})", 2},
                                  {R"({"a":"p","b":1})", 3},
                                  {R"({"a":"q","b":3})", 4}};
  EXPECT_EQ(Raws("| sort a, -b", events), (Strings{R"({"a":"p","b":2})", R"({"a":"p","b":1})",
                                                   R"({"a":"q","b":3})", R"({"a":"q","b":1})"}));
}

TEST_F(PipelineTest, SortIsStableSoEqualKeysStayNewestFirst) {
  const std::vector<In> events = {
      {R"({"k":1,"n":"old"})", 1}, {R"({"k":1,"n":"new"})", 9}, {R"({"k":0,"n":"mid"})", 5}};
  EXPECT_EQ(Raws("| sort k", events),
            (Strings{R"({"k":0,"n":"mid"})", R"({"k":1,"n":"new"})", R"({"k":1,"n":"old"})"}));
  EXPECT_EQ(Raws("| sort -k", events),
            (Strings{R"({"k":1,"n":"new"})", R"({"k":1,"n":"old"})", R"({"k":0,"n":"mid"})"}));
}

TEST_F(PipelineTest, SuccessiveSortsOrderByTheLastThenTheEarlier) {
  const std::vector<In> events = {{R"({"a":1,"b":1})", 1},
                                  {R"({"a":2,"b":1})", 2},
                                  {R"({"a":1,"b":0})", 3},
                                  {R"({"a":2,"b":0})", 4}};
  EXPECT_EQ(Raws("| sort -a | sort b", events), (Strings{R"({"a":2,"b":0})", R"({"a":1,"b":0})",
                                                         R"({"a":2,"b":1})", R"({"a":1,"b":1})"}));
}

TEST_F(PipelineTest, SortPutsMissingAndNullFirstAscendingAndLastDescending) {
  const std::vector<In> events = {{R"({"x":"b"})", 1},
                                  {R"({"y":1})", 2},
                                  {R"({"x":null})", 3},
                                  {R"({"x":"a"})", 4},
                                  {R"({"x":[]})", 5}};
  EXPECT_EQ(Raws("| sort x", events), (Strings{R"({"x":[]})", R"({"x":null})", R"({"y":1})",
                                               R"({"x":"a"})", R"({"x":"b"})"}));
  EXPECT_EQ(Raws("| sort -x", events), (Strings{R"({"x":"b"})", R"({"x":"a"})", R"({"x":[]})",
                                                R"({"x":null})", R"({"y":1})"}));
}

TEST_F(PipelineTest, SortOrdersNullThenBooleansThenNumbersThenStringsThenLists) {
  const std::vector<In> events = {
      {R"({"x":"a"})", 1},      {R"({"x":"B"})", 2},   {R"({"x":1.5})", 3},   {R"({"x":2})", 4},
      {R"({"x":true})", 5},     {R"({"x":false})", 6}, {R"({"x":[1,2]})", 7}, {R"({"x":[1,0]})", 8},
      {R"({"x":"10"})", 9},     {R"({"x":"9"})", 10},  {R"({"x":1})", 11},    {R"({"x":1.0})", 12},
      {R"({"x":{"o":1}})", 13}, {R"({"x":-1e3})", 14}, {R"({})", 15}};
  EXPECT_EQ(Raws("| sort x", events),
            (Strings{R"({})", R"({"x":false})", R"({"x":true})", R"({"x":-1e3})", R"({"x":1})",
                     R"({"x":1.0})", R"({"x":1.5})", R"({"x":2})", R"({"x":"10"})", R"({"x":"9"})",
                     R"({"x":"B"})", R"({"x":"a"})", R"({"x":{"o":1}})", R"({"x":[1,0]})",
                     R"({"x":[1,2]})"}));
}

TEST_F(PipelineTest, SortReadsVirtualFields) {
  const std::vector<In> events = {
      {R"({"n":1})", 1, "zeta"}, {R"({"n":2})", 2, "alpha"}, {R"({"n":3})", 3, "mid"}};
  EXPECT_EQ(Raws("| sort _source", events), (Strings{R"({"n":2})", R"({"n":3})", R"({"n":1})"}));
  EXPECT_EQ(Raws("| sort _time", events), (Strings{R"({"n":1})", R"({"n":2})", R"({"n":3})"}));
}

TEST_F(PipelineTest, SortAfterHeadOrdersOnlyTheKeptEvents) {
  const std::vector<In> events = {
      {R"({"x":1})", 1}, {R"({"x":3})", 2}, {R"({"x":2})", 3}, {R"({"x":0})", 4}};
  // The newest three, then sorted.
  EXPECT_EQ(Raws("| head 3 | sort x", events), (Strings{R"({"x":0})", R"({"x":2})", R"({"x":3})"}));
  EXPECT_EQ(Raws("| head 3 | sort x | head 1", events), (Strings{R"({"x":0})"}));
  EXPECT_EQ(Raws("| sort -x | head 3 | sort x", events),
            (Strings{R"({"x":1})", R"({"x":2})", R"({"x":3})"}));
}

// ---- fields ----

TEST_F(PipelineTest, FieldsGivesOneRowPerEventInEventOrder) {
  const std::vector<In> events = {
      {R"({"a":"x","b":1})", 1000, "src1", "Cat"},
      {R"({"a":"y","b":2.5,"c":true})", 2000, "src2", "Cat"},
  };
  const QueryResult r = MustRun("| fields a, b, c, _time, _source", events);
  EXPECT_TRUE(r.rows_mode);
  EXPECT_EQ(r.columns, (Strings{"a", "b", "c", "_time", "_source"}));
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0],
            (std::vector<Value>{Str("y"), Real(2.5), Bool(true), Int(2000), Str("src2")}));
  EXPECT_EQ(r.rows[1], (std::vector<Value>{Str("x"), Int(1), Null(), Int(1000), Str("src1")}));
}

TEST_F(PipelineTest, FieldsGivesAListForSeveralValuesAndJsonTextForObjects) {
  const std::vector<In> events = {
      {R"({"r":[{"arn":"a1"},{"arn":null},{"arn":"a2"}],"o":{"k": "v\n", "n":[1, 2.50]},)"
       R"("one":["only"],"nulls":[null],"e":[]})",
       1}};
  const QueryResult r = MustRun("| fields r.arn, o, one, nulls, e", events);
  ASSERT_EQ(r.rows.size(), 1u);
  EXPECT_EQ(r.rows[0],
            (std::vector<Value>{List({Str("a1"), Str("a2")}), Str(R"({"k":"v\n","n":[1,2.5]})"),
                                Str("only"), Null(), Null()}));
}

TEST_F(PipelineTest, FieldsRowsAreLimitedByEventLimitAndFollowSortAndHead) {
  const std::vector<In> events = {
      {R"({"x":1})", 1}, {R"({"x":3})", 2}, {R"({"x":2})", 3}, {R"({"x":0})", 4}};
  PipelineOptions options;
  options.event_limit = 2;
  EXPECT_EQ(Rows("| fields x", events, options), (Strings{"[0]", "[2]"}));
  EXPECT_EQ(Rows("| fields x | sort -x", events), (Strings{"[3]", "[2]", "[1]", "[0]"}));
  EXPECT_EQ(Rows("| sort x | fields x | head 3", events), (Strings{"[0]", "[1]", "[2]"}));
  EXPECT_EQ(Rows("| head 3 | fields x | sort x", events), (Strings{"[0]", "[2]", "[3]"}));
}

// ---- stats ----

TEST_F(PipelineTest, StatsWithoutByIsOneRowEvenWithoutEvents) {
  const QueryResult r = MustRun("| stats count(), min(x), values(x), dc(x)", {});
  EXPECT_EQ(r.columns, (Strings{"count", "min(x)", "values(x)", "count_distinct(x)"}));
  EXPECT_EQ(r.rows, (std::vector<std::vector<Value>>{{Int(0), Null(), List({}), Int(0)}}));
  EXPECT_EQ(Rows("| stats count() by x", {}), Strings{});
  EXPECT_EQ(Rows("| timechart span=1h count()", {}), Strings{});
}

TEST_F(PipelineTest, CountOfAFieldCountsEventsWhereTheFieldHoldsAValue) {
  const std::vector<In> events = {
      {R"({"x":1})", 1},      {R"({"x":null})", 2},     {R"({"x":[]})", 3},
      {R"({"x":[null]})", 4}, {R"({"x":""})", 5},       {R"({"x":{}})", 6},
      {R"({"y":1})", 7},      {R"({"x":[null,0]})", 8}, {R"({"x":false})", 9}};
  EXPECT_EQ(Rows("| stats count(), count(x) as present", events), (Strings{"[9,5]"}));
}

TEST_F(PipelineTest, StatsRowsAreOrderedByTheByFieldsWithNullFirst) {
  const std::vector<In> events = {{R"({"a":"b","b":"x"})", 1}, {R"({"a":"a","b":"y"})", 2},
                                  {R"({"a":"b","b":"x"})", 3}, {R"({"b":"x"})", 4},
                                  {R"({"a":"a"})", 5},         {R"({"a":"B","b":null})", 6}};
  const QueryResult r = MustRun("| stats count() by a, b", events);
  EXPECT_EQ(r.columns, (Strings{"a", "b", "count"}));
  EXPECT_EQ(Rows("| stats count() by a, b", events),
            (Strings{R"([null,"x",1])", R"(["B",null,1])", R"(["a",null,1])", R"(["a","y",1])",
                     R"(["b","x",2])"}));
}

TEST_F(PipelineTest, AnArrayByFieldCountsTheEventOnceInEachOfItsGroups) {
  const std::vector<In> events = {
      {R"({"t":["a","b","a"],"u":[1,2]})", 1},
      {R"({"t":"a","u":[null]})", 2},
  };
  EXPECT_EQ(Rows("| stats count() by t", events), (Strings{R"(["a",2])", R"(["b",1])"}));
  // Two by-fields: every combination, the cross product.
  EXPECT_EQ(Rows("| stats count() by t, u", events),
            (Strings{R"(["a",null,1])", R"(["a","1",1])", R"(["a","2",1])", R"(["b","1",1])",
                     R"(["b","2",1])"}));
}

TEST_F(PipelineTest, NumbersGroupByTheirCanonicalText) {
  const std::vector<In> events = {
      {R"({"n":5})", 1},       {R"({"n":5.0})", 2},  {R"({"n":"5"})", 3},  {R"({"n":"5.0"})", 4},
      {R"({"n":1.5})", 5},     {R"({"n":1e21})", 6}, {R"({"n":true})", 7}, {R"({"n":"True"})", 8},
      {R"({"n":{"k":1}})", 9}, {R"({"n":10})", 10}};
  EXPECT_EQ(Rows("| stats count() by n", events),
            (Strings{R"(["1.5",1])", R"(["10",1])", R"(["1e+21",1])", R"(["5",3])", R"(["5.0",1])",
                     R"(["True",1])", R"(["true",1])", R"(["{\"k\":1}",1])"}));
}

TEST_F(PipelineTest, CountDistinctCountsDistinctTextsWithCasePreserved) {
  const std::vector<In> events = {{R"({"g":1,"u":"Alice"})", 1},
                                  {R"({"g":1,"u":"alice"})", 2},
                                  {R"({"g":1,"u":["Alice","bob"]})", 3},
                                  {R"({"g":2,"u":7})", 4},
                                  {R"({"g":2,"u":"7"})", 5},
                                  {R"({"g":2})", 6}};
  EXPECT_EQ(Rows("| stats dc(u) as users by g", events), (Strings{R"(["1",3])", R"(["2",1])"}));
}

TEST_F(PipelineTest, MinAndMaxKeepTheJsonTypeAndOrderNumbersBelowStrings) {
  const std::vector<In> events = {
      {R"({"g":"n","x":10})", 1},    {R"({"g":"n","x":9.5})", 2}, {R"({"g":"n","x":[100,-2]})", 3},
      {R"({"g":"s","x":"b"})", 4},   {R"({"g":"s","x":"B"})", 5}, {R"({"g":"s","x":"ab"})", 6},
      {R"({"g":"m","x":"1"})", 7},   {R"({"g":"m","x":99})", 8},  {R"({"g":"m","x":true})", 9},
      {R"({"g":"m","x":null})", 10}, {R"({"g":"z"})", 11}};
  const QueryResult r = MustRun("| stats min(x), max(x) by g", events);
  EXPECT_EQ(r.rows, (std::vector<std::vector<Value>>{{Str("m"), Bool(true), Str("1")},
                                                     {Str("n"), Int(-2), Int(100)},
                                                     {Str("s"), Str("B"), Str("b")},
                                                     {Str("z"), Null(), Null()}}));
}

TEST_F(PipelineTest, MinOfAnIntegerAndAnEqualRealIsTheInteger) {
  const std::vector<In> events = {{R"({"x":1.0})", 1}, {R"({"x":1})", 2}};
  const QueryResult r = MustRun("| stats min(x), max(x)", events);
  EXPECT_EQ(r.rows, (std::vector<std::vector<Value>>{{Int(1), Real(1.0)}}));
}

TEST_F(PipelineTest, ValuesAreSortedDistinctTextsCappedAtMaxValues) {
  const std::vector<In> events = {{R"({"v":["d","b"]})", 1}, {R"({"v":"a"})", 2},
                                  {R"({"v":"b"})", 3},       {R"({"v":2})", 4},
                                  {R"({"v":"C"})", 5},       {R"({"v":null})", 6}};
  EXPECT_EQ(Rows("| stats values(v)", events), (Strings{R"([["2","C","a","b","d"]])"}));
  PipelineOptions options;
  options.max_values = 3;
  EXPECT_EQ(Rows("| stats values(v)", events, options), (Strings{R"([["2","C","a"]])"}));
}

TEST_F(PipelineTest, StatsReadsVirtualFields) {
  const std::vector<In> events = {
      {R"({})", 1, "s1", "Cat A"}, {R"({})", 2, "s2", "Cat A"}, {R"({})", 3, "s1", "Cat B"}};
  EXPECT_EQ(Rows("| stats count(), min(_time), max(_time) by _source", events),
            (Strings{R"(["s1",2,1,3])", R"(["s2",1,2,2])"}));
  EXPECT_EQ(Rows("| stats dc(_source) by _category", events),
            (Strings{R"(["Cat A",2])", R"(["Cat B",1])"}));
}

// ---- timechart ----

TEST_F(PipelineTest, TimechartBucketsBySpanAndOrdersByTimeThenByField) {
  const int64_t t0 = *ParseTimeMillis("2024-05-01T12:00:00Z");
  const std::vector<In> events = {{R"({"e":"b"})", t0 + 1},
                                  {R"({"e":"a"})", t0 + 3'599'999},
                                  {R"({"e":"a"})", t0 + 3'600'000},
                                  {R"({"e":"b"})", t0 - 1},
                                  {R"({})", t0 + 10}};
  const QueryResult r = MustRun("| timechart span=1h count() by e", events);
  EXPECT_EQ(r.columns, (Strings{"_time", "e", "count"}));
  const int64_t h = 3'600'000;
  EXPECT_EQ(r.rows, (std::vector<std::vector<Value>>{{Int(t0 - h), Str("b"), Int(1)},
                                                     {Int(t0), Null(), Int(1)},
                                                     {Int(t0), Str("a"), Int(1)},
                                                     {Int(t0), Str("b"), Int(1)},
                                                     {Int(t0 + h), Str("a"), Int(1)}}));
}

TEST_F(PipelineTest, TimechartFloorsTimesBefore1970) {
  const std::vector<In> events = {{"{}", -1}, {"{}", -60'000}, {"{}", -60'001}, {"{}", 0}};
  EXPECT_EQ(Rows("| timechart span=1m count()", events),
            (Strings{"[-120000,1]", "[-60000,2]", "[0,1]"}));
}

// ---- stages around stats ----

TEST_F(PipelineTest, SortHeadAndFieldsApplyToStatsRows) {
  const std::vector<In> events = {{R"({"e":"A"})", 1}, {R"({"e":"B"})", 2}, {R"({"e":"B"})", 3},
                                  {R"({"e":"C"})", 4}, {R"({"e":"C"})", 5}, {R"({"e":"C"})", 6},
                                  {R"({"e":"D"})", 7}};
  EXPECT_EQ(Rows("| stats count() by e | sort -count | head 2", events),
            (Strings{R"(["C",3])", R"(["B",2])"}));
  // Stable: ties keep the by-field order.
  EXPECT_EQ(Rows("| stats count() by e | sort count", events),
            (Strings{R"(["A",1])", R"(["D",1])", R"(["B",2])", R"(["C",3])"}));
  const QueryResult r =
      MustRun("| stats count() as n, max(_time) as last by e | fields n, e", events);
  EXPECT_EQ(r.columns, (Strings{"n", "e"}));
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[3], (std::vector<Value>{Int(1), Str("D")}));
  EXPECT_EQ(Rows("| timechart span=1s count() by e | sort -count | head 1", events),
            (Strings{R"([0,"C",3])"}));
}

TEST_F(PipelineTest, StatsRowsAreNotLimitedByEventLimit) {
  std::vector<In> events;
  for (int i = 0; i < 5; ++i) events.push_back({"{\"i\":" + std::to_string(i) + "}", i});
  PipelineOptions options;
  options.event_limit = 2;
  EXPECT_EQ(Rows("| stats count() by i", events, options).size(), 5u);
}

TEST_F(PipelineTest, HeadBeforeStatsLimitsTheEventsItCounts) {
  const std::vector<In> events = {
      {R"({"e":"old"})", 1}, {R"({"e":"new"})", 3}, {R"({"e":"mid"})", 2}, {R"({"e":"new"})", 4}};
  EXPECT_EQ(Rows("| head 3 | stats count() by e", events),
            (Strings{R"(["mid",1])", R"(["new",2])"}));
  EXPECT_EQ(Rows("| sort e | head 2 | stats count() by e", events),
            (Strings{R"(["mid",1])", R"(["new",1])"}));
  // A sort with no head before stats changes nothing.
  EXPECT_EQ(Rows("| sort e | stats count() by e", events), Rows("| stats count() by e", events));
}

TEST_F(PipelineTest, StatsAfterFieldsEqualsStatsOnTheEvents) {
  const std::vector<In> events = {
      {R"({"a":["x","y"],"b":{"k":1}})", 1}, {R"({"a":"x","b":2})", 2}, {R"({"b":null})", 3}};
  EXPECT_EQ(Rows("| fields a, b, _time | stats count(), values(b), min(b) by a", events),
            Rows("| stats count(), values(b), min(b) by a", events));
  EXPECT_EQ(Rows("| fields _time, a | timechart span=1s count() by a", events),
            Rows("| timechart span=1s count() by a", events));
}

// ---- limits ----

TEST_F(PipelineTest, MoreGroupsThanMaxGroupsIsResourceExhaustedNamingTheLimit) {
  std::vector<In> events;
  for (int i = 0; i < 4; ++i) events.push_back({"{\"i\":" + std::to_string(i) + "}", i});
  PipelineOptions options;
  options.max_groups = 3;
  const Result<QueryResult> r = Run("| stats count() by i", events, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("max_groups=3"), std::string::npos) << r.status().message();
  EXPECT_TRUE(Run("| stats count() by i", {events.begin(), events.begin() + 3}, options).ok());
}

TEST_F(PipelineTest, BufferingMoreThanMaxBufferedEventsIsResourceExhaustedNamingTheLimit) {
  std::vector<In> events;
  for (int i = 0; i < 4; ++i) events.push_back({"{\"i\":" + std::to_string(i) + "}", i});
  PipelineOptions options;
  options.max_buffered_events = 3;
  for (const char* query : {"| head 10 | sort i", "| head 10 | stats count()"}) {
    const Result<QueryResult> r = Run(query, events, options);
    ASSERT_FALSE(r.ok()) << query;
    EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
    EXPECT_NE(r.status().message().find("max_buffered_events=3"), std::string::npos)
        << r.status().message();
  }
  // Events mode keeps only the top event_limit, with or without sort.
  EXPECT_TRUE(Run("| sort i", events, options).ok());
  EXPECT_TRUE(Run("| head 10", events, options).ok());
  EXPECT_TRUE(Run("| head 3 | sort i", events, options).ok());
}

TEST_F(PipelineTest, MoreDistinctValuesThanTheLimitIsResourceExhaustedNamingTheLimit) {
  const std::vector<In> events = {
      {R"({"g":1,"u":"a"})", 1}, {R"({"g":2,"u":"a"})", 2}, {R"({"g":2,"u":"b"})", 3}};
  PipelineOptions options;
  options.max_distinct_values = 2;
  const Result<QueryResult> r = Run("| stats dc(u) by g", events, options);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kResourceExhausted);
  EXPECT_NE(r.status().message().find("max_distinct_values=2"), std::string::npos);
  EXPECT_TRUE(Run("| stats dc(u)", events, options).ok());
}

TEST_F(PipelineTest, CreateRejectsZeroLimits) {
  PipelineOptions options;
  options.event_limit = 0;
  const Result<std::unique_ptr<Pipeline>> p = Pipeline::Create({}, options);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kInvalidArgument);
}

TEST_F(PipelineTest, FinishTwiceIsFailedPrecondition) {
  std::unique_ptr<Pipeline> p = Make("| stats count()");
  ASSERT_NE(p, nullptr);
  ASSERT_TRUE(p->Finish().ok());
  EXPECT_EQ(p->Finish().status().code(), StatusCode::kFailedPrecondition);
}

// ---- Merge and order independence ----

// A mixed corpus: arrays, nulls, ties in time, several sources.
std::vector<In> Corpus() {
  std::vector<In> events;
  const char* names[] = {"ConsoleLogin", "GetObject", "PutObject", "AssumeRole"};
  for (int i = 0; i < 60; ++i) {
    std::string raw = "{\"eventName\":\"" + std::string(names[i % 4]) + "\"";
    raw += ",\"n\":" + std::to_string((i * 7) % 11);
    if (i % 3 == 0) raw += ",\"user\":[\"u" + std::to_string(i % 5) + "\",\"shared\"]";
    if (i % 5 == 0) raw += ",\"user\":null";
    if (i % 4 == 1) raw += ",\"r\":" + std::to_string(i % 3) + ".5";
    raw += ",\"i\":" + std::to_string(i) + "}";
    events.push_back({raw, (i / 3) * 1000 - 5000, i % 2 ? "s1" : "s2", "c"});
  }
  return events;
}

const char* const kQueries[] = {
    "",
    "| head 7",
    "| sort n, -i",
    "| sort -r | head 5",
    "| head 20 | sort n | head 4",
    "| fields eventName, user, n",
    "| sort user | fields user, i | head 9",
    "| stats count(), count(user), dc(user), min(r), max(r), values(user) by eventName",
    "| stats count() by eventName, user | sort -count, user",
    "| timechart span=2s count(), max(n) by eventName",
    "| head 25 | stats count() by n",
    "| sort -n | head 10 | stats values(i) as is by eventName",
    "| stats count() as c by user | sort -c | head 3 | fields user",
};

TEST_F(PipelineTest, MergingPipelinesOverDisjointEventsEqualsOnePipeline) {
  const std::vector<In> events = Corpus();
  PipelineOptions options;
  options.event_limit = 10;
  for (const char* query : kQueries) {
    SCOPED_TRACE(query);
    const QueryResult whole = MustRun(query, events, options);
    std::unique_ptr<Pipeline> a = Make(query, options);
    std::unique_ptr<Pipeline> b = Make(query, options);
    std::unique_ptr<Pipeline> c = Make(query, options);
    std::vector<In> part_a, part_b, part_c;
    for (size_t i = 0; i < events.size(); ++i) {
      (i % 3 == 0 ? part_a : (i % 3 == 1 ? part_b : part_c)).push_back(events[i]);
    }
    ASSERT_TRUE(Feed(*a, part_a).ok());
    ASSERT_TRUE(Feed(*b, part_b).ok());
    ASSERT_TRUE(Feed(*c, part_c).ok());
    ASSERT_TRUE(b->Merge(std::move(*c)).ok());
    ASSERT_TRUE(a->Merge(std::move(*b)).ok());
    Result<QueryResult> merged = a->Finish();
    ASSERT_TRUE(merged.ok()) << merged.status().ToString();
    EXPECT_EQ(merged->total, whole.total);
    EXPECT_EQ(merged->rows_mode, whole.rows_mode);
    EXPECT_EQ(merged->events, whole.events);
    EXPECT_EQ(merged->columns, whole.columns);
    EXPECT_EQ(merged->rows, whole.rows);
  }
}

TEST_F(PipelineTest, TheResultDoesNotDependOnTheOrderOfEvents) {
  std::vector<In> events = Corpus();
  PipelineOptions options;
  options.event_limit = 10;
  std::mt19937 rng(7);
  for (const char* query : kQueries) {
    SCOPED_TRACE(query);
    const QueryResult first = MustRun(query, events, options);
    EXPECT_FALSE(first.events.empty() && first.rows.empty());
    for (int round = 0; round < 3; ++round) {
      std::shuffle(events.begin(), events.end(), rng);
      const QueryResult again = MustRun(query, events, options);
      EXPECT_EQ(again.events, first.events);
      EXPECT_EQ(again.rows, first.rows);
    }
  }
}

TEST_F(PipelineTest, MergeRefusesPipelinesOfOtherStages) {
  std::unique_ptr<Pipeline> a = Make("| head 2");
  std::unique_ptr<Pipeline> b = Make("| head 3");
  EXPECT_EQ(a->Merge(std::move(*b)).code(), StatusCode::kInvalidArgument);
}

// ---- OldestUsefulTime ----

TEST_F(PipelineTest, OldestUsefulTimeIsTheOldestKeptTimeOnceTheResultIsFull) {
  PipelineOptions options;
  options.event_limit = 2;
  std::unique_ptr<Pipeline> p = Make("", options);
  EXPECT_EQ(p->OldestUsefulTime(), std::nullopt);
  ASSERT_TRUE(Feed(*p, {{R"({"n":1})", 100}}).ok());
  EXPECT_EQ(p->OldestUsefulTime(), std::nullopt);
  ASSERT_TRUE(Feed(*p, {{R"({"n":2})", 300}}).ok());
  EXPECT_EQ(p->OldestUsefulTime(), 100);
  ASSERT_TRUE(Feed(*p, {{R"({"n":3})", 200}}).ok());
  EXPECT_EQ(p->OldestUsefulTime(), 200);
  // An event exactly at that time may still enter.
  ASSERT_TRUE(Feed(*p, {{R"({"a":0})", 200}}).ok());
  const Result<QueryResult> r = p->Finish();
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r->events.size(), 2u);
  EXPECT_EQ(r->events[1].raw, R"({"a":0})");

  std::unique_ptr<Pipeline> head = Make("| head 1 | stats count()");
  ASSERT_TRUE(Feed(*head, {{R"({})", 5}}).ok());
  EXPECT_EQ(head->OldestUsefulTime(), 5);
}

TEST_F(PipelineTest, OldestUsefulTimeIsUnsetWhenASortOrAllEventsMatter) {
  PipelineOptions options;
  options.event_limit = 1;
  for (const char* query : {"| sort x", "| stats count()", "| timechart span=1h count()"}) {
    std::unique_ptr<Pipeline> p = Make(query, options);
    ASSERT_TRUE(Feed(*p, {{R"({"x":1})", 1}, {R"({"x":2})", 2}}).ok());
    EXPECT_EQ(p->OldestUsefulTime(), std::nullopt) << query;
  }
}

// ---- JSON ----

TEST(ValueToJson, WritesEachTypeAndEscapesStrings) {
  EXPECT_EQ(ValueToJson(Null()), "null");
  EXPECT_EQ(ValueToJson(Bool(false)), "false");
  EXPECT_EQ(ValueToJson(Int(-42)), "-42");
  EXPECT_EQ(ValueToJson(Real(1.5)), "1.5");
  EXPECT_EQ(ValueToJson(Real(100.0)), "100");
  EXPECT_EQ(ValueToJson(Real(1e21)), "1e+21");
  EXPECT_EQ(ValueToJson(Str("a\"b\\c\n\t\r\b\f\x01\x1f/\x7f é")),
            "\"a\\\"b\\\\c\\n\\t\\r\\b\\f\\u0001\\u001f/\x7f é\"");
  EXPECT_EQ(ValueToJson(List({Int(1), Str("x"), List({}), Null()})), R"([1,"x",[],null])");
}

TEST(EventToJson, AddsTheVirtualFieldsFirstAndKeepsTheRawMembers) {
  const int64_t t = *ParseTimeMillis("2024-05-01T12:00:00.123Z");
  EXPECT_EQ(EventToJson({t, "trail \"main\"", "Cloud Service Activity", R"({"a": 1,"b":[2]})"}),
            R"({"_time":"2024-05-01T12:00:00.123Z","_source":"trail \"main\"",)"
            R"("_category":"Cloud Service Activity","a": 1,"b":[2]})");
  EXPECT_EQ(EventToJson({0, "s", "c", " { }\n"}),
            R"({"_time":"1970-01-01T00:00:00.000Z","_source":"s","_category":"c" })");
  EXPECT_EQ(EventToJson({0, "s", "c", "[1]"}),
            R"({"_time":"1970-01-01T00:00:00.000Z","_source":"s","_category":"c","_raw":"[1]"})");
}

}  // namespace
}  // namespace trailhound::query
