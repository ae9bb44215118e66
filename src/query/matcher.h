// FilterMatcher: the reference evaluator of a query filter over one event (its verbatim JSON
// plus the virtual fields _time, _source, _category), and so the written semantics the store
// executor and the SQLite oracle are tested against; the long form is docs/query-language.md
// "Semantics". A compiled matcher is immutable and may be shared between threads; each thread
// brings its own simdjson parser. It keeps no reference to the AST.
//
// - Paths follow objects; arrays met anywhere are expanded, and a term holds when ANY reached
//   value satisfies it (json_path.h). NOT negates the whole term: -resources.type:X holds
//   when no element has type X, and when there is no resources field at all.
// - Missing and null are the same thing. field:* is false for a missing field, null, [] and
//   an array of nulls, and true for any other value, "" and {} included. No value term
//   matches null; "missing or null" is NOT field:* (what Sigma's `field: null` compiles to).
// - Values (scalar.h): strings compare ignoring ASCII case; field:5 matches the number 5 (and
//   5.0) and the string "5"; readOnly:true matches JSON true and the string "true"; an object
//   equals no value. Wildcards see numbers in canonical text and booleans as true/false.
// - Comparisons and ranges are numeric when the bound reads as a number (numbers and numeric
//   strings take part); otherwise they order strings only, by ASCII-folded bytes.
// - _time compares instants (time_value.h); _source and _category are strings; a virtual
//   field the caller does not supply is missing.
// - Free text (words, "phrases", Access*Denied) is searched in the verbatim JSON ignoring
//   ASCII case. It sees key names too, and text that JSON escapes (", \, control characters,
//   any \uXXXX the producer wrote) only in its escaped form.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "query/ast.h"

namespace trailhound::query {

// The virtual fields of one event; an absent one is a missing field.
struct VirtualFields {
  std::optional<int64_t> time_millis;  // _time, milliseconds since the epoch
  std::optional<std::string_view> source;
  std::optional<std::string_view> category;
};

class FilterMatcher {
 public:
  // Compiles `filter`; a null filter matches every event. kInvalidArgument for a _time value
  // that is not a time or a wildcard on _time (which ParseQuery never produces).
  static Result<FilterMatcher> Compile(const NodePtr& filter);

  // Parses `json` with `parser` (reused between calls) and evaluates the filter.
  // kCorruption when `json` is not valid JSON.
  Result<bool> Matches(simdjson::dom::parser& parser, std::string_view json,
                       const VirtualFields& virtuals = {}) const;

  // Evaluates the filter on an event already parsed.
  // REQUIRES: `event` is the root element of the parse of `json`.
  bool Matches(simdjson::dom::element event, std::string_view json,
               const VirtualFields& virtuals = {}) const;

 private:
  struct Predicate;
  explicit FilterMatcher(std::shared_ptr<const Predicate> root) : root_(std::move(root)) {}

  std::shared_ptr<const Predicate> root_;  // null: everything matches
};

}  // namespace trailhound::query
