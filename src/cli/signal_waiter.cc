#include "cli/signal_waiter.h"

#include <pthread.h>

namespace trailhound::cli {

SignalWaiter::SignalWaiter() {
  sigemptyset(&set_);
  sigaddset(&set_, SIGINT);
  sigaddset(&set_, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set_, nullptr);
}

int SignalWaiter::Wait() {
  int signal = 0;
  sigwait(&set_, &signal);
  return signal;
}

int SignalWaiter::WaitFor(long timeout_ms) {
  timespec timeout{timeout_ms / 1000, (timeout_ms % 1000) * 1'000'000};
  int signal = sigtimedwait(&set_, nullptr, &timeout);
  return signal > 0 ? signal : 0;
}

}  // namespace trailhound::cli
