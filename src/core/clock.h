// Clock: the source of wall time, monotonic time and sleeping, injectable so that
// retries, credential refresh and rate windows can be tested without waiting.
// Thread safety: implementations are safe for concurrent use.
// Lifetime: SystemClock() returns a process-wide instance that is never destroyed.
#pragma once

#include <chrono>

namespace trailhound {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::chrono::system_clock::time_point Now() const = 0;
  virtual std::chrono::steady_clock::time_point SteadyNow() const = 0;
  virtual void SleepFor(std::chrono::milliseconds duration) = 0;
};

Clock* SystemClock();

}  // namespace trailhound
