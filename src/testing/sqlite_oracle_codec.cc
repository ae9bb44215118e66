#include "testing/sqlite_oracle_codec.h"

#include <bit>
#include <cstdint>
#include <cstring>

namespace trailhound::testing {
namespace {

// Tags of the decodable encoding.
constexpr char kNull = 'N', kFalse = 'F', kTrue = 'T', kInt = 'I', kReal = 'R', kString = 'S',
               kList = 'L';

void PutU64(uint64_t v, std::string* out) {
  for (int shift = 56; shift >= 0; shift -= 8) out->push_back(static_cast<char>(v >> shift));
}

uint64_t GetU64(std::string_view in, size_t* at) {
  uint64_t v = 0;
  for (int i = 0; i < 8 && *at < in.size(); ++i) {
    v = (v << 8) | static_cast<unsigned char>(in[(*at)++]);
  }
  return v;
}

void Encode(const query::Value& value, std::string* out) {
  const auto& data = value.data;
  if (std::holds_alternative<std::monostate>(data)) {
    out->push_back(kNull);
  } else if (const auto* b = std::get_if<bool>(&data)) {
    out->push_back(*b ? kTrue : kFalse);
  } else if (const auto* i = std::get_if<int64_t>(&data)) {
    out->push_back(kInt);
    PutU64(static_cast<uint64_t>(*i), out);
  } else if (const auto* d = std::get_if<double>(&data)) {
    out->push_back(kReal);
    PutU64(std::bit_cast<uint64_t>(*d), out);
  } else if (const auto* s = std::get_if<std::string>(&data)) {
    out->push_back(kString);
    PutU64(s->size(), out);
    out->append(*s);
  } else {
    const auto& list = std::get<query::Value::List>(data);
    out->push_back(kList);
    PutU64(list.size(), out);
    for (const query::Value& v : list) Encode(v, out);
  }
}

query::Value Decode(std::string_view in, size_t* at) {
  query::Value v;
  if (*at >= in.size()) return v;
  switch (in[(*at)++]) {
    case kFalse:
      v.data = false;
      break;
    case kTrue:
      v.data = true;
      break;
    case kInt:
      v.data = static_cast<int64_t>(GetU64(in, at));
      break;
    case kReal:
      v.data = std::bit_cast<double>(GetU64(in, at));
      break;
    case kString: {
      const uint64_t n = GetU64(in, at);
      const size_t take = std::min<size_t>(n, in.size() - *at);
      v.data = std::string(in.substr(*at, take));
      *at += take;
      break;
    }
    case kList: {
      const uint64_t n = GetU64(in, at);
      query::Value::List list;
      for (uint64_t i = 0; i < n && *at < in.size(); ++i) list.push_back(Decode(in, at));
      v.data = std::move(list);
      break;
    }
    default:
      break;
  }
  return v;
}

// Sort-key tags, in value order; 0x00 ends a list.
constexpr char kKeyEnd = 0x00, kKeyNull = 0x01, kKeyBool = 0x02, kKeyNumber = 0x03,
               kKeyString = 0x04, kKeyList = 0x05;

void PutOrderedDouble(double d, std::string* out) {
  if (d == 0) d = 0;  // -0.0 and 0.0 are equal numbers
  uint64_t bits = std::bit_cast<uint64_t>(d);
  bits = (bits >> 63) ? ~bits : (bits | (uint64_t{1} << 63));
  PutU64(bits, out);
}

void Key(const query::Value& value, std::string* out) {
  const auto& data = value.data;
  if (std::holds_alternative<std::monostate>(data)) {
    out->push_back(kKeyNull);
  } else if (const auto* b = std::get_if<bool>(&data)) {
    out->push_back(kKeyBool);
    out->push_back(*b ? 1 : 0);
  } else if (const auto* i = std::get_if<int64_t>(&data)) {
    out->push_back(kKeyNumber);
    PutOrderedDouble(static_cast<double>(*i), out);
    out->push_back(0);  // an integer before an equal real
  } else if (const auto* d = std::get_if<double>(&data)) {
    out->push_back(kKeyNumber);
    PutOrderedDouble(*d, out);
    out->push_back(1);
  } else if (const auto* s = std::get_if<std::string>(&data)) {
    // 0x00 is escaped as 0x00 0xFF and the string ends with 0x00 0x00, so that a prefix sorts
    // before its extensions and bytes compare unsigned.
    out->push_back(kKeyString);
    for (char c : *s) {
      out->push_back(c);
      if (c == 0) out->push_back(static_cast<char>(0xFF));
    }
    out->push_back(0);
    out->push_back(0);
  } else {
    out->push_back(kKeyList);
    for (const query::Value& v : std::get<query::Value::List>(data)) Key(v, out);
    out->push_back(kKeyEnd);
  }
}

}  // namespace

std::string EncodeOracleValue(const query::Value& value) {
  std::string out;
  Encode(value, &out);
  return out;
}

query::Value DecodeOracleValue(std::string_view blob) {
  size_t at = 0;
  return Decode(blob, &at);
}

std::string OracleSortKey(const query::Value& value) {
  std::string out;
  Key(value, &out);
  return out;
}

int CompareOracleValues(const query::Value& a, const query::Value& b) {
  const std::string ka = OracleSortKey(a);
  const std::string kb = OracleSortKey(b);
  const int c = ka.compare(kb);  // char_traits<char>::compare is unsigned (memcmp)
  return c < 0 ? -1 : (c > 0 ? 1 : 0);
}

void AppendOracleJsonString(std::string_view text, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          *out += "\\u00";
          out->push_back(kHex[(c >> 4) & 0xF]);
          out->push_back(kHex[c & 0xF]);
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

}  // namespace trailhound::testing
