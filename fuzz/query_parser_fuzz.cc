// libFuzzer target for the query language (src/query): the input is a query. Besides crashes
// and sanitizer reports, it checks properties that must hold for every input:
// - An error is kInvalidArgument with a message that names a position inside the query, and
//   QueryError carries the same message and position.
// - Round trip: a parsed query prints (printer.h) to text that parses to an equal query, and
//   printing that again gives the same text.
// - Every parsed filter compiles into a FilterMatcher and evaluates on a fixed event.
// - The wildcard matcher takes the input's two halves as pattern and text without trouble.
// See fuzz/README.md for building and running; src/query/fuzz_smoke_test.cc runs the same
// checks on 20,000 generated queries in every build.
#include <simdjson.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "query/matcher.h"
#include "query/parser.h"
#include "query/printer.h"
#include "query/wildcard.h"

namespace {

using trailhound::StatusCode;
using namespace trailhound::query;  // NOLINT(build/namespaces): a fuzz target's local scope

constexpr std::string_view kEvent =
    R"({"eventName":"ConsoleLogin","a":{"b":[1,"x",null,{"c":true}]},"x":5,"f":"a*b",)"
    R"("userIdentity":{"type":"Root","arn":"arn:aws:iam::111122223333:root"}})";

[[noreturn]] void Fail(const char* what, std::string_view query, std::string_view detail) {
  std::fprintf(stderr, "query_parser_fuzz: %s\nquery: %.*s\ndetail: %.*s\n", what,
               static_cast<int>(query.size()), query.data(), static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view query(reinterpret_cast<const char*>(data), size);

  const WildcardPattern pattern(query.substr(0, size / 2));
  (void)pattern.Matches(query.substr(size / 2));

  QueryError error;
  const trailhound::Result<Query> q = ParseQuery(query, {}, &error);
  if (!q.ok()) {
    if (q.status().code() != StatusCode::kInvalidArgument) {
      Fail("error is not InvalidArgument", query, q.status().ToString());
    }
    if (q.status().message() != error.message || error.message.empty()) {
      Fail("QueryError does not match the status", query, error.message);
    }
    if (error.position < 0 || static_cast<size_t>(error.position) > size) {
      Fail("error position outside the query", query, error.message);
    }
    return 0;
  }

  const std::string printed = ToString(*q);
  QueryError again_error;
  const trailhound::Result<Query> again = ParseQuery(printed, {}, &again_error);
  if (!again.ok())
    Fail("printed query does not parse", query, printed + "\n" + again_error.message);
  if (!(*again == *q)) Fail("printed query parses to a different query", query, printed);
  if (ToString(*again) != printed) Fail("printing is not a fixed point", query, printed);

  const trailhound::Result<FilterMatcher> matcher = FilterMatcher::Compile(q->filter);
  if (!matcher.ok()) Fail("filter does not compile", query, matcher.status().ToString());
  static simdjson::dom::parser* json_parser = new simdjson::dom::parser();
  VirtualFields virtuals;
  virtuals.time_millis = 1714521600000;
  virtuals.source = "main";
  if (!matcher->Matches(*json_parser, kEvent, virtuals).ok()) {
    Fail("matcher failed on a valid event", query, printed);
  }
  return 0;
}
