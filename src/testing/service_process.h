// ServiceProcess: a real service (an AWS emulator) run as a child process for a
// test: started with fork/exec, ready when it prints {"port":N,"pid":P} as its
// first stdout line, stopped by its PID (SIGTERM, then SIGKILL) and reaped by the
// destructor. The child gets PR_SET_PDEATHSIG=SIGKILL, so it dies with the thread
// that started it even when the test process is SIGKILLed: start services from a
// thread that outlives them (a test body or fixture). stdin is /dev/null; stdout
// and stderr go to unlinked temp files, never to a pipe that could fill up.
// RunCommand runs a short helper command the same way and collects its output.
// Thread safety: one ServiceProcess per owner; not for concurrent use.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/result.h"
#include "core/status.h"

namespace trailhound::testing {

struct Command {
  // Names the command in error messages ("fauxqs", "moto-iam create-user").
  std::string name;
  // argv[0] is looked up in PATH unless it contains a '/'.
  std::vector<std::string> argv;
  // Variables set (or replaced) on top of this process's environment.
  std::vector<std::pair<std::string, std::string>> env;
  // For a service: how long it may take to print its ready line; for RunCommand:
  // how long it may run before it is killed.
  std::chrono::milliseconds timeout{30000};
};

// A file that disappears when closed; children write their stdout or stderr to it.
class CapturedOutput {
 public:
  static Result<CapturedOutput> Create();
  CapturedOutput(CapturedOutput&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  CapturedOutput& operator=(CapturedOutput&& other) noexcept;
  CapturedOutput(const CapturedOutput&) = delete;
  CapturedOutput& operator=(const CapturedOutput&) = delete;
  ~CapturedOutput();

  int fd() const { return fd_; }
  // Everything written so far.
  std::string Read() const;

 private:
  explicit CapturedOutput(int fd) : fd_(fd) {}
  int fd_ = -1;
};

class ServiceProcess {
 public:
  // Starts `command` and waits up to command.timeout for its ready line. Fails with
  // kNotFound when the program is not on PATH, kUnavailable when it exits first
  // (the message ends with its stderr), kDeadlineExceeded when it stays silent,
  // kInternal when the ready line names another PID (the command must exec the
  // server itself, or stopping it by PID would leave the server running).
  static Result<std::unique_ptr<ServiceProcess>> Start(const Command& command);

  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;
  // Stops the process like Stop() and ignores how it ended.
  ~ServiceProcess();

  // Sends SIGTERM, then SIGKILL when it has not exited after `grace`, and reaps it.
  // OK when it exited with status 0 or by SIGTERM; otherwise says how it ended.
  // The process is gone in every case; calling Stop() again returns OK.
  Status Stop(std::chrono::milliseconds grace = std::chrono::seconds(5));

  const std::string& name() const { return name_; }
  // 0 once the process has been reaped.
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  // What the service wrote to stderr so far, for diagnosing a failing test.
  std::string Stderr() const { return stderr_.Read(); }

 private:
  ServiceProcess(std::string name, pid_t pid, CapturedOutput out, CapturedOutput err)
      : name_(std::move(name)), pid_(pid), stdout_(std::move(out)), stderr_(std::move(err)) {}
  Status WaitUntilReady(std::chrono::milliseconds timeout);

  std::string name_;
  pid_t pid_;
  int port_ = 0;
  CapturedOutput stdout_;
  CapturedOutput stderr_;
};

struct CommandOutput {
  int exit_status = 0;  // the exit status, or 128 + the signal that killed it
  std::string stdout_text;
  std::string stderr_text;
};

// Runs `command` to completion (killed after command.timeout: kDeadlineExceeded).
// A non-zero exit is not an error here: callers look at exit_status.
Result<CommandOutput> RunCommand(const Command& command);

// The absolute path of a file of the source tree: `source_dir` when not empty, else
// $TRAILHOUND_SOURCE_DIR (CTest sets it for every test; a test binary run by hand can
// pass its TRAILHOUND_SOURCE_DIR compile definition). kNotFound, naming what is missing.
Result<std::string> SourcePath(std::string_view source_dir, std::string_view relative_path);

// True when `pid` no longer runs: no such process, or a zombie nobody reaped yet.
bool ProcessIsGone(pid_t pid);

}  // namespace trailhound::testing
