#include "query/value.h"

#include <charconv>
#include <cmath>

namespace trailhound::query {
namespace {

// Rank of a value's type in value order; integers and reals share one.
int TypeRank(const Value& v) {
  switch (v.data.index()) {
    case 0:
      return 0;  // null
    case 1:
      return 1;  // bool
    case 2:
    case 3:
      return 2;  // number
    case 4:
      return 3;  // string
    default:
      return 4;  // list
  }
}

template <typename T>
int Sign(const T& a, const T& b) {
  return a < b ? -1 : (a > b ? 1 : 0);
}

int CompareNumbersOf(const Value& a, const Value& b) {
  const int64_t* ai = std::get_if<int64_t>(&a.data);
  const int64_t* bi = std::get_if<int64_t>(&b.data);
  if (ai != nullptr && bi != nullptr) return Sign(*ai, *bi);
  const double ad = ai != nullptr ? static_cast<double>(*ai) : std::get<double>(a.data);
  const double bd = bi != nullptr ? static_cast<double>(*bi) : std::get<double>(b.data);
  if (const int c = Sign(ad, bd); c != 0) return c;
  // Numerically equal: the integer first.
  return (ai != nullptr ? 0 : 1) - (bi != nullptr ? 0 : 1);
}

}  // namespace

int CompareValues(const Value& a, const Value& b) {
  const int ra = TypeRank(a);
  const int rb = TypeRank(b);
  if (ra != rb) return ra < rb ? -1 : 1;
  switch (ra) {
    case 0:
      return 0;
    case 1:
      return Sign(std::get<bool>(a.data), std::get<bool>(b.data));
    case 2:
      return CompareNumbersOf(a, b);
    case 3: {
      const int c = std::get<std::string>(a.data).compare(std::get<std::string>(b.data));
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default: {
      const Value::List& la = std::get<Value::List>(a.data);
      const Value::List& lb = std::get<Value::List>(b.data);
      for (size_t i = 0; i < la.size() && i < lb.size(); ++i) {
        if (const int c = CompareValues(la[i], lb[i]); c != 0) return c;
      }
      return Sign(la.size(), lb.size());
    }
  }
}

std::string RealText(double real) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof(buf), real);
  return std::string(buf, r.ptr);
}

void AppendJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // start of the bytes not yet copied
  for (size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(text.substr(run, i - run));
    run = i + 1;
    out->push_back('\\');
    switch (c) {
      case '"':
        out->push_back('"');
        break;
      case '\\':
        out->push_back('\\');
        break;
      case '\b':
        out->push_back('b');
        break;
      case '\f':
        out->push_back('f');
        break;
      case '\n':
        out->push_back('n');
        break;
      case '\r':
        out->push_back('r');
        break;
      case '\t':
        out->push_back('t');
        break;
      default:
        out->append("u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 0xf]);
    }
  }
  out->append(text.substr(run));
  out->push_back('"');
}

void AppendValueJson(const Value& value, std::string* out) {
  switch (value.data.index()) {
    case 0:
      out->append("null");
      return;
    case 1:
      out->append(std::get<bool>(value.data) ? "true" : "false");
      return;
    case 2:
      out->append(std::to_string(std::get<int64_t>(value.data)));
      return;
    case 3: {
      const double d = std::get<double>(value.data);
      out->append(std::isfinite(d) ? RealText(d) : "null");
      return;
    }
    case 4:
      AppendJsonString(std::get<std::string>(value.data), out);
      return;
    default: {
      out->push_back('[');
      bool first = true;
      for (const Value& v : std::get<Value::List>(value.data)) {
        if (!first) out->push_back(',');
        first = false;
        AppendValueJson(v, out);
      }
      out->push_back(']');
    }
  }
}

std::string ValueToJson(const Value& value) {
  std::string out;
  AppendValueJson(value, &out);
  return out;
}

}  // namespace trailhound::query
