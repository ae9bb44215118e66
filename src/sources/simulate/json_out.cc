#include "sources/simulate/json_out.h"

namespace trailhound::sources::simulate {

void AppendJsonString(std::string_view value, std::string* out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  for (char c : value) {
    auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (u < 0x20) {
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 0xF]);
    } else {
      out->push_back(c);
    }
  }
  out->push_back('"');
}

std::string* JsonOut::Key(std::string_view key) {
  if (!first_) out_->push_back(',');
  first_ = false;
  AppendJsonString(key, out_);
  out_->push_back(':');
  return out_;
}

JsonOut& JsonOut::Str(std::string_view key, std::string_view value) {
  AppendJsonString(value, Key(key));
  return *this;
}

JsonOut& JsonOut::Int(std::string_view key, int64_t value) {
  Key(key)->append(std::to_string(value));
  return *this;
}

JsonOut& JsonOut::Bool(std::string_view key, bool value) {
  Key(key)->append(value ? "true" : "false");
  return *this;
}

JsonOut& JsonOut::Null(std::string_view key) {
  Key(key)->append("null");
  return *this;
}

JsonOut& JsonOut::Raw(std::string_view key, std::string_view json) {
  Key(key)->append(json);
  return *this;
}

}  // namespace trailhound::sources::simulate
