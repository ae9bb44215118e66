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

}  // namespace trailhound::cli
