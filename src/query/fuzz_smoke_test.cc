// A deterministic stand-in for fuzz/query_parser_fuzz.cc that runs in every build (libFuzzer
// needs clang): 20,000 random and mutated queries through the parser, the printer and the
// matcher. Properties: no crash; an error has a position inside the query and a message; a
// parsed query prints to text that parses back to an equal query and prints the same again;
// every parsed filter compiles and evaluates.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <cstdint>
#include <string>
#include <vector>

#include "query/matcher.h"
#include "query/parser.h"
#include "query/printer.h"

namespace trailhound::query {
namespace {

// xorshift64*: the same sequence on every platform and standard library.
class Rng {
 public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    state_ ^= state_ >> 12;
    state_ ^= state_ << 25;
    state_ ^= state_ >> 27;
    return state_ * 0x2545F4914F6CDD1DULL;
  }
  size_t Below(size_t n) { return n == 0 ? 0 : static_cast<size_t>(Next() % n); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Below(v.size())];
  }

 private:
  uint64_t state_;
};

const std::vector<std::string> kSeeds = {
    "eventName:ConsoleLogin AND responseElements.ConsoleLogin:Failure",
    "userIdentity.type:Root -eventType:AwsServiceEvent",
    "sourceIPAddress:203.0.113.* OR errorCode:AccessDenied*",
    "\"AccessDenied\"",
    "errorCode:* | stats count() by eventName, userIdentity.arn | sort -count | head 20",
    "eventSource:s3.amazonaws.com | timechart span=1h count() by eventName",
    "f:[1 TO 5] f:{a TO *] f:>=5 g<3 NOT (a OR b) --c",
    "eventName:(CreateUser OR DeleteUser) _time:>=2024-05-01T00:00:00Z",
    R"(xsi\:type:a\*b f:"q \"x\"" \AND a\ b f:C\\x\\*)",
    "| stats count(), count_distinct(a) as u, min(b), max(c), values(d) by e | fields e, u",
    "x | sort -a, b | head 5 | fields a",
    "userIdentity.arn:arn:aws:iam::111122223333:root readOnly:true count:5",
    "a ? b * é \"\"",
};

const std::vector<std::string> kTokens = {"AND",
                                          "OR",
                                          "NOT",
                                          "and",
                                          "TO",
                                          "to",
                                          "|",
                                          "stats",
                                          "count()",
                                          "count",
                                          "by",
                                          "as",
                                          "sort",
                                          "head",
                                          "fields",
                                          "timechart",
                                          "span=1h",
                                          "span=",
                                          "[",
                                          "]",
                                          "{",
                                          "}",
                                          "(",
                                          ")",
                                          "\"",
                                          "\\",
                                          ":",
                                          ">=",
                                          "<=",
                                          ">",
                                          "<",
                                          "*",
                                          "?",
                                          "-",
                                          "_time",
                                          "_source",
                                          "a.b",
                                          ".",
                                          ",",
                                          "=",
                                          " ",
                                          "  ",
                                          "\t",
                                          "\n",
                                          "é",
                                          "\xff",
                                          std::string(1, '\0'),
                                          "x",
                                          "5",
                                          "-5",
                                          "1.5",
                                          "2024-05-01",
                                          "min(",
                                          "dc(x)",
                                          "where",
                                          "\\*",
                                          "\\:",
                                          "\\\\",
                                          "**",
                                          "a*b",
                                          "(((",
                                          ")))",
                                          "> =",
                                          "f:<"};

std::string Mutate(Rng& rng, std::string s) {
  const int ops = 1 + static_cast<int>(rng.Below(4));
  for (int i = 0; i < ops; ++i) {
    const size_t at = rng.Below(s.size() + 1);
    switch (rng.Below(6)) {
      case 0:  // insert a token
        s.insert(at, rng.Pick(kTokens));
        break;
      case 1:  // delete a run
        if (!s.empty()) s.erase(rng.Below(s.size()), 1 + rng.Below(4));
        break;
      case 2:  // replace a byte
        if (!s.empty()) s[rng.Below(s.size())] = static_cast<char>(rng.Next());
        break;
      case 3:  // insert a printable byte
        s.insert(at, 1, static_cast<char>(32 + rng.Below(95)));
        break;
      case 4: {  // splice another seed
        const std::string& other = rng.Pick(kSeeds);
        const size_t from = rng.Below(other.size());
        s.insert(at, other.substr(from, rng.Below(other.size() - from + 1)));
        break;
      }
      default:  // duplicate a slice
        if (!s.empty()) {
          const size_t from = rng.Below(s.size());
          s.insert(at, s.substr(from, rng.Below(16)));
        }
        break;
    }
  }
  return s;
}

std::string Soup(Rng& rng) {
  std::string s;
  const size_t n = rng.Below(12);
  for (size_t i = 0; i < n; ++i) {
    s += rng.Pick(kTokens);
    if (rng.Below(2) == 0) s += ' ';
  }
  return s;
}

constexpr std::string_view kEvent =
    R"({"eventName":"ConsoleLogin","a":{"b":[1,"x",null,{"c":true}]},"x":5,"f":"a*b",)"
    R"("userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root"},"é":"é"})";

TEST(QueryFuzzSmoke, TwentyThousandQueries) {
  Rng rng(0x5EEDF00DULL);
  simdjson::dom::parser json_parser;
  VirtualFields virtuals;
  virtuals.time_millis = 1714521600000;
  virtuals.source = "main";
  int parsed = 0, failed = 0;
  for (int i = 0; i < 20'000; ++i) {
    const std::string query = rng.Below(5) == 0 ? Soup(rng) : Mutate(rng, rng.Pick(kSeeds));
    QueryError error;
    const Result<Query> q = ParseQuery(query, {}, &error);
    if (!q.ok()) {
      ++failed;
      ASSERT_EQ(q.status().code(), StatusCode::kInvalidArgument) << query;
      ASSERT_EQ(q.status().message(), error.message) << query;
      ASSERT_FALSE(error.message.empty()) << query;
      ASSERT_GE(error.position, 0) << query;
      ASSERT_LE(error.position, static_cast<int>(query.size())) << query;
      ASSERT_NE(error.message.find("position"), std::string::npos) << query;
      continue;
    }
    ++parsed;
    const std::string printed = ToString(*q);
    QueryError reparse_error;
    const Result<Query> again = ParseQuery(printed, {}, &reparse_error);
    ASSERT_TRUE(again.ok()) << "query: " << query << "\nprinted: " << printed << "\n"
                            << reparse_error.message;
    ASSERT_TRUE(*again == *q) << "query: " << query << "\nprinted: " << printed;
    ASSERT_EQ(ToString(*again), printed) << "query: " << query;
    const Result<FilterMatcher> matcher = FilterMatcher::Compile(q->filter);
    ASSERT_TRUE(matcher.ok()) << query << "\n" << matcher.status().ToString();
    ASSERT_TRUE(matcher->Matches(json_parser, kEvent, virtuals).ok()) << query;
  }
  // Both paths must have been exercised in earnest.
  EXPECT_GT(parsed, 4'000);
  EXPECT_GT(failed, 4'000);
}

}  // namespace
}  // namespace trailhound::query
