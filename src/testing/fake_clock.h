// FakeClock: a Clock for tests whose time moves only when told to. SleepFor()
// returns at once, advances both clocks by the duration and records it, so code
// that backs off or waits for a deadline runs instantly and its sleeps can be checked.
// Thread safety: every method may be called from any thread.
#pragma once

#include <chrono>
#include <mutex>
#include <vector>

#include "core/clock.h"

namespace trailhound::testing {

class FakeClock final : public Clock {
 public:
  // 2024-01-01T00:00:00Z unless told otherwise.
  explicit FakeClock(std::chrono::system_clock::time_point start =
                         std::chrono::system_clock::time_point(std::chrono::seconds(1704067200)))
      : now_(start) {}

  std::chrono::system_clock::time_point Now() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  std::chrono::steady_clock::time_point SteadyNow() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return steady_;
  }
  void SleepFor(std::chrono::milliseconds duration) override {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(duration);
    now_ += duration;
    steady_ += duration;
  }

  // Moves both clocks forward without recording a sleep.
  void Advance(std::chrono::milliseconds duration) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += duration;
    steady_ += duration;
  }
  // Sets the wall clock (the steady clock never goes back).
  void SetNow(std::chrono::system_clock::time_point now) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ = now;
  }

  // Every SleepFor() duration so far, in order.
  std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }
  std::chrono::milliseconds total_slept() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::chrono::milliseconds total{0};
    for (auto d : sleeps_) total += d;
    return total;
  }

 private:
  mutable std::mutex mu_;
  std::chrono::system_clock::time_point now_;
  std::chrono::steady_clock::time_point steady_{};
  std::vector<std::chrono::milliseconds> sleeps_;
};

}  // namespace trailhound::testing
