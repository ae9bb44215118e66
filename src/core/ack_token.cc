#include "core/ack_token.h"

#include <utility>

namespace trailhound {

const char* AckOutcomeName(AckOutcome outcome) {
  switch (outcome) {
    case AckOutcome::kDelivered:
      return "delivered";
    case AckOutcome::kRejected:
      return "rejected";
    case AckOutcome::kErrored:
      return "errored";
  }
  return "unknown";
}

// The holder count is managed by hand instead of a shared_ptr because the
// callback must run exactly when the last holder leaves, with the outcome that
// holder contributes folded in first; a shared_ptr deleter cannot see that.
AckToken AckToken::Create(Callback on_complete) {
  return AckToken(new State(std::move(on_complete)));
}

AckToken::AckToken(const AckToken& other) : state_(other.state_) {
  if (state_ != nullptr) state_->holders.fetch_add(1, std::memory_order_relaxed);
}

AckToken& AckToken::operator=(const AckToken& other) {
  if (this != &other) {
    AckToken copy(other);
    *this = std::move(copy);
  }
  return *this;
}

AckToken::AckToken(AckToken&& other) noexcept : state_(std::exchange(other.state_, nullptr)) {}

AckToken& AckToken::operator=(AckToken&& other) noexcept {
  if (this != &other) {
    if (state_ != nullptr) Release(AckOutcome::kErrored);
    state_ = std::exchange(other.state_, nullptr);
  }
  return *this;
}

AckToken::~AckToken() {
  if (state_ != nullptr) Release(AckOutcome::kErrored);
}

void AckToken::Resolve(AckOutcome outcome) {
  if (state_ != nullptr) Release(outcome);
}

void AckToken::Release(AckOutcome outcome) {
  State* state = std::exchange(state_, nullptr);
  auto value = static_cast<uint8_t>(outcome);
  uint8_t seen = state->worst.load(std::memory_order_relaxed);
  while (seen < value &&
         !state->worst.compare_exchange_weak(seen, value, std::memory_order_acq_rel)) {
  }
  if (state->holders.fetch_sub(1, std::memory_order_acq_rel) == 1) {
    auto final_outcome = static_cast<AckOutcome>(state->worst.load(std::memory_order_acquire));
    if (state->on_complete) state->on_complete(final_outcome);
    delete state;
  }
}

}  // namespace trailhound
