// JsonOut: appends one JSON object to a string, key by key, with escaping. Hand-written
// because the simulator emits only flat text it generated itself and writes millions of
// records; it never parses. Lifetime: `out` must outlive the JsonOut. Thread safety: none.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace trailhound::sources::simulate {

// Appends `value` as a quoted JSON string.
void AppendJsonString(std::string_view value, std::string* out);

class JsonOut {
 public:
  // Writes '{'; the destructor writes '}'.
  explicit JsonOut(std::string* out) : out_(out) { out_->push_back('{'); }
  ~JsonOut() { out_->push_back('}'); }
  JsonOut(const JsonOut&) = delete;
  JsonOut& operator=(const JsonOut&) = delete;

  // Writes `"key":`; the caller then appends the value (e.g. a nested JsonOut).
  std::string* Key(std::string_view key);
  JsonOut& Str(std::string_view key, std::string_view value);
  JsonOut& Int(std::string_view key, int64_t value);
  JsonOut& Bool(std::string_view key, bool value);
  JsonOut& Null(std::string_view key);
  // `json` must already be valid JSON.
  JsonOut& Raw(std::string_view key, std::string_view json);

 private:
  std::string* out_;
  bool first_ = true;
};

}  // namespace trailhound::sources::simulate
