// Secret: a string that must never reach a log, an error message or the UI
// (secret access keys, session tokens, bearer tokens). Formatting it with fmt or
// operator<< prints "<redacted>"; the value is only reachable through Reveal(),
// which makes every use greppable.
// Thread safety: a plain value type.
#pragma once

#include <fmt/format.h>

#include <ostream>
#include <string>
#include <utility>

namespace trailhound {

class Secret {
 public:
  Secret() = default;
  explicit Secret(std::string value) : value_(std::move(value)) {}

  const std::string& Reveal() const { return value_; }
  bool empty() const { return value_.empty(); }

  friend bool operator==(const Secret& a, const Secret& b) = default;
  friend std::ostream& operator<<(std::ostream& out, const Secret&) { return out << "<redacted>"; }

 private:
  std::string value_;
};

}  // namespace trailhound

template <>
struct fmt::formatter<trailhound::Secret> : fmt::formatter<std::string_view> {
  template <typename Context>
  auto format(const trailhound::Secret&, Context& ctx) const {
    return fmt::formatter<std::string_view>::format("<redacted>", ctx);
  }
};
