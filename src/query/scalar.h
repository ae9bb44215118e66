// How one JSON scalar compares with one query value: the value semantics shared by the
// reference matcher and the executors (docs/query-language.md "Semantics"). Pure functions
// on values; views never outlive their arguments.
//
// - Equality: a string equals the value's text ignoring ASCII case; a number equals a value
//   that reads as a number with the same numeric value (5 = "5.0"); true/false equal the value
//   "true"/"false" in any case. Strings never compare numerically for equality ("5" ≠ "5.0").
// - Ordering (>, <, ranges): a numeric value orders numbers and numeric strings numerically;
//   any other value orders strings by their ASCII-folded bytes. Other pairs are incomparable.
// - Wildcards see strings as they are, numbers in canonical text, booleans as true/false.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace trailhound::query {

// A number as read from a query value or a JSON document.
struct Number {
  bool is_integer = false;  // `integer` is exact; otherwise only `real` is meaningful
  int64_t integer = 0;
  double real = 0;
};

// Reads `-?digits[.digits][(e|E)[+-]digits]` (JSON numbers, leading zeros allowed); nullopt
// for anything else, including out-of-range values, "inf", "nan", "+1", " 1" and "".
std::optional<Number> ParseNumber(std::string_view text);

// Three-way numeric comparison; exact when both are integers.
int CompareNumbers(const Number& a, const Number& b);

// A JSON scalar. `text` views the string for kString and is unused otherwise.
struct Scalar {
  enum Type : unsigned char { kString, kInt64, kUint64, kDouble, kBool };
  Type type = kString;
  std::string_view text;
  int64_t int64 = 0;
  uint64_t uint64 = 0;
  double real = 0;
  bool boolean = false;
};

// A query value prepared for comparisons.
struct Operand {
  explicit Operand(std::string_view value);
  std::string folded;            // ASCII-folded text
  std::optional<Number> number;  // when the text reads as a number
  std::optional<bool> boolean;   // when the text is true/false in any case
};

// Equality as described above.
bool ScalarEquals(const Scalar& scalar, const Operand& operand);

// Three-way comparison of scalar against operand, or nullopt when they are incomparable.
std::optional<int> CompareScalar(const Scalar& scalar, const Operand& operand);

// The text a wildcard sees: the string itself, integers in decimal, other numbers in the
// shortest form that reads back the same (1.5, 1e+21), booleans as "true"/"false".
std::string ScalarText(const Scalar& scalar);

}  // namespace trailhound::query
