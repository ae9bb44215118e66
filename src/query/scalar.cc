#include "query/scalar.h"

#include <charconv>
#include <cmath>
#include <system_error>

#include "query/text_search.h"

namespace trailhound::query {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Number of leading digits of s from pos.
size_t DigitRun(std::string_view s, size_t pos) {
  size_t n = 0;
  while (pos + n < s.size() && IsDigit(s[pos + n])) ++n;
  return n;
}

Number ToNumber(const Scalar& s) {
  switch (s.type) {
    case Scalar::kInt64:
      return {true, s.int64, static_cast<double>(s.int64)};
    case Scalar::kUint64:
      if (s.uint64 <= static_cast<uint64_t>(INT64_MAX)) {
        return {true, static_cast<int64_t>(s.uint64), static_cast<double>(s.uint64)};
      }
      return {false, 0, static_cast<double>(s.uint64)};
    default:
      return {false, 0, s.real};
  }
}

}  // namespace

std::optional<Number> ParseNumber(std::string_view text) {
  size_t pos = 0;
  if (pos < text.size() && text[pos] == '-') ++pos;
  const size_t int_digits = DigitRun(text, pos);
  if (int_digits == 0) return std::nullopt;
  pos += int_digits;
  bool integral = true;
  if (pos < text.size() && text[pos] == '.') {
    const size_t frac = DigitRun(text, pos + 1);
    if (frac == 0) return std::nullopt;
    pos += 1 + frac;
    integral = false;
  }
  if (pos < text.size() && (text[pos] == 'e' || text[pos] == 'E')) {
    ++pos;
    if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) ++pos;
    const size_t exp = DigitRun(text, pos);
    if (exp == 0) return std::nullopt;
    pos += exp;
    integral = false;
  }
  if (pos != text.size()) return std::nullopt;
  const char* begin = text.data();
  const char* end = text.data() + text.size();
  Number n;
  if (integral) {
    int64_t v = 0;
    const auto r = std::from_chars(begin, end, v);
    if (r.ec == std::errc() && r.ptr == end) {
      n.is_integer = true;
      n.integer = v;
      n.real = static_cast<double>(v);
      return n;
    }
  }
  double d = 0;
  const auto r = std::from_chars(begin, end, d);
  if (r.ec != std::errc() || r.ptr != end || !std::isfinite(d)) return std::nullopt;
  n.real = d;
  return n;
}

int CompareNumbers(const Number& a, const Number& b) {
  if (a.is_integer && b.is_integer) {
    return a.integer < b.integer ? -1 : (a.integer > b.integer ? 1 : 0);
  }
  return a.real < b.real ? -1 : (a.real > b.real ? 1 : 0);
}

Operand::Operand(std::string_view value) : folded(FoldAscii(value)), number(ParseNumber(value)) {
  if (folded == "true") boolean = true;
  if (folded == "false") boolean = false;
}

bool ScalarEquals(const Scalar& scalar, const Operand& operand) {
  switch (scalar.type) {
    case Scalar::kString:
      return EqualsFolded(scalar.text, operand.folded);
    case Scalar::kBool:
      return operand.boolean.has_value() && *operand.boolean == scalar.boolean;
    default:
      return operand.number.has_value() && CompareNumbers(ToNumber(scalar), *operand.number) == 0;
  }
}

std::optional<int> CompareScalar(const Scalar& scalar, const Operand& operand) {
  if (operand.number) {
    if (scalar.type == Scalar::kBool) return std::nullopt;
    if (scalar.type == Scalar::kString) {
      const std::optional<Number> n = ParseNumber(scalar.text);
      if (!n) return std::nullopt;
      return CompareNumbers(*n, *operand.number);
    }
    return CompareNumbers(ToNumber(scalar), *operand.number);
  }
  if (scalar.type != Scalar::kString) return std::nullopt;
  return CompareFolded(scalar.text, operand.folded);
}

std::string ScalarText(const Scalar& scalar) {
  switch (scalar.type) {
    case Scalar::kString:
      return std::string(scalar.text);
    case Scalar::kInt64:
      return std::to_string(scalar.int64);
    case Scalar::kUint64:
      return std::to_string(scalar.uint64);
    case Scalar::kBool:
      return scalar.boolean ? "true" : "false";
    case Scalar::kDouble: {
      char buf[64];
      const auto r = std::to_chars(buf, buf + sizeof(buf), scalar.real);
      return std::string(buf, r.ptr);
    }
  }
  return {};
}

}  // namespace trailhound::query
