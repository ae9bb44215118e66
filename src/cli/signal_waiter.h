// SignalWaiter: blocks SIGINT and SIGTERM for the whole process (construct it before any
// thread starts, so every thread inherits the mask) and lets the main thread wait for one.
// The long-running commands (serve, run) use it to stop cleanly.
#pragma once

#include <signal.h>

namespace trailhound::cli {

class SignalWaiter {
 public:
  SignalWaiter();
  // Blocks until SIGINT or SIGTERM arrives; returns it.
  int Wait();
  // The same for at most `timeout_ms`; 0 when none arrived.
  int WaitFor(long timeout_ms);

 private:
  sigset_t set_;
};

}  // namespace trailhound::cli
