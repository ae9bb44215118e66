// AckToken: end-to-end acknowledgement of one unit of input (an SQS message, a
// backfilled object). Every event made from that input carries a copy; each
// holder resolves its copy (Delivered after a durable store write, Rejected for
// input that is definitively not storable, Errored when it may succeed later).
// When the last copy is gone, the completion callback runs once with the worst
// outcome. A copy destroyed without being resolved counts as Errored: dropping
// an event by mistake keeps the message in the queue instead of losing it
// ("we prefer duplicate lines over message loss"; the store removes duplicates).
// Thread safety: copies may be resolved and destroyed on any threads; the
// callback runs on the thread that releases the last copy.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>

namespace trailhound {

// Ordered from best to worst; the final outcome is the maximum seen.
enum class AckOutcome : uint8_t {
  kDelivered = 0,  // durable in the store
  kRejected = 1,   // permanently not storable (corrupt, not a log); acknowledging is safe
  kErrored = 2,    // failed, may succeed on retry; the input must not be acknowledged
};

const char* AckOutcomeName(AckOutcome outcome);

class AckToken {
 public:
  using Callback = std::function<void(AckOutcome)>;

  // An empty token: copying, resolving and destroying it do nothing.
  AckToken() = default;
  // A fresh token with one holder; `on_complete` runs once when every copy is resolved or gone.
  static AckToken Create(Callback on_complete);

  AckToken(const AckToken& other);
  AckToken& operator=(const AckToken& other);
  AckToken(AckToken&& other) noexcept;
  AckToken& operator=(AckToken&& other) noexcept;
  // An unresolved, non-empty token resolves as kErrored.
  ~AckToken();

  // Records this holder's outcome and releases it; the token becomes empty.
  void Resolve(AckOutcome outcome);

  bool empty() const { return state_ == nullptr; }

 private:
  struct State {
    explicit State(Callback cb) : on_complete(std::move(cb)) {}
    std::atomic<int64_t> holders{1};
    std::atomic<uint8_t> worst{static_cast<uint8_t>(AckOutcome::kDelivered)};
    Callback on_complete;
  };
  explicit AckToken(State* state) : state_(state) {}
  void Release(AckOutcome outcome);

  State* state_ = nullptr;  // shared; owned collectively by the holders
};

}  // namespace trailhound
