// Result<T>: either a value or a non-OK Status. Like absl::StatusOr.
// Call sites read: `auto r = Fetch(); if (!r.ok()) return r.status();`
// or, with the macros below, `TH_ASSIGN_OR_RETURN(auto body, Fetch());`.
// Thread safety: a plain value type.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

#include "core/status.h"

namespace trailhound {

template <typename T>
class [[nodiscard]] Result {
 public:
  // NOLINTNEXTLINE(google-explicit-constructor): implicit like absl::StatusOr.
  Result(T value) : v_(std::in_place_index<1>, std::move(value)) {}
  // REQUIRES: !status.ok() (an OK status without a value is a bug; it becomes kInternal).
  // NOLINTNEXTLINE(google-explicit-constructor)
  Result(Status status) : v_(std::in_place_index<0>, std::move(status)) {
    if (std::get<0>(v_).ok()) {
      v_.template emplace<0>(Status::Internal("Result constructed from an OK status"));
    }
  }
  template <typename U>
  requires(std::is_convertible_v<U&&, T> && !std::is_same_v<std::decay_t<U>, Status> &&
           !std::is_same_v<std::decay_t<U>, Result<T>>)
      // NOLINTNEXTLINE(google-explicit-constructor)
      Result(U&& value)
      : v_(std::in_place_index<1>, std::forward<U>(value)) {}

  bool ok() const { return v_.index() == 1; }
  // OK when a value is present.
  Status status() const { return ok() ? Status::OK() : std::get<0>(v_); }

  // REQUIRES: ok().
  T& value() & { return std::get<1>(v_); }
  const T& value() const& { return std::get<1>(v_); }
  T&& value() && { return std::get<1>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  template <typename U>
  T value_or(U&& fallback) const& {
    return ok() ? value() : static_cast<T>(std::forward<U>(fallback));
  }

 private:
  std::variant<Status, T> v_;
};

}  // namespace trailhound

#define TH_CONCAT_INNER_(a, b) a##b
#define TH_CONCAT_(a, b) TH_CONCAT_INNER_(a, b)

// Returns the Status from the enclosing function when `expr` is not OK.
#define TH_RETURN_IF_ERROR(expr)              \
  do {                                        \
    ::trailhound::Status th_status_ = (expr); \
    if (!th_status_.ok()) return th_status_;  \
  } while (0)

// `TH_ASSIGN_OR_RETURN(auto x, MakeX());` declares x from a Result or returns its Status.
#define TH_ASSIGN_OR_RETURN(lhs, expr) \
  TH_ASSIGN_OR_RETURN_IMPL_(TH_CONCAT_(th_result_, __LINE__), lhs, expr)
#define TH_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                              \
  if (!tmp.ok()) return tmp.status();             \
  lhs = std::move(tmp).value()
