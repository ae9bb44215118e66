// Value: a cell of a result row (null, boolean, integer, real, string or list), the value
// order that `sort`, `min`, `max` and the row order of stats use, and its JSON text
// (docs/query-language.md "Results": "Value order" and "JSON text"). Plain values and pure
// functions; safe to use from any thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace trailhound::query {

// A cell of a result row: null, a boolean, an integer, a real, a string, or a list (values(),
// or a field that reaches several values).
struct Value {
  using List = std::vector<Value>;
  std::variant<std::monostate, bool, int64_t, double, std::string, List> data;
  friend bool operator==(const Value&, const Value&) = default;
};

// Three-way comparison (<0, 0, >0) in value order: null < false < true < numbers < strings <
// lists. Numbers compare numerically (an integer and a real as doubles; when equal, the
// integer first), strings by unsigned bytes, lists element by element (a prefix first).
int CompareValues(const Value& a, const Value& b);

// The shortest text that reads back as `real` ("1.5", "100", "1e+21"), as std::to_chars
// writes it; the text of a real everywhere in results.
std::string RealText(double real);

// Appends `text` as a JSON string: quoted, with " \ \b \f \n \r \t escaped, other bytes below
// 0x20 as \u00xx, every other byte (UTF-8 included) as it is.
void AppendJsonString(std::string_view text, std::string* out);

// Appends the JSON text of `value` ("null", "true", "42", "1.5", "\"text\"", "[1,\"a\"]").
// A real that is not finite (never read from JSON) is written null.
void AppendValueJson(const Value& value, std::string* out);

// The JSON text of a value, as AppendValueJson writes it.
std::string ValueToJson(const Value& value);

}  // namespace trailhound::query
