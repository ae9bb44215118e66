#include "testing/service_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

extern char** environ;

namespace trailhound::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr milliseconds kPollInterval{10};

std::string ErrnoText(int err) { return std::strerror(err); }

// "exited with status 1", "was killed by signal 9".
std::string DescribeWaitStatus(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return "was killed by signal " + std::to_string(WTERMSIG(status));
  return "stopped with wait status " + std::to_string(status);
}

int ExitStatus(int status) {
  return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
}

// The last `max_bytes` of `text`, for error messages.
std::string Tail(const std::string& text, size_t max_bytes = 2000) {
  if (text.size() <= max_bytes) return text;
  return "..." + text.substr(text.size() - max_bytes);
}

Result<std::string> FindExecutable(const std::string& program) {
  if (program.find('/') != std::string::npos) {
    if (access(program.c_str(), X_OK) == 0) return program;
    return Status::NotFound("Cannot execute \"" + program + "\": " + ErrnoText(errno));
  }
  const char* path = std::getenv("PATH");
  const std::string all_dirs = path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin";
  std::string_view dirs = all_dirs;
  while (true) {
    size_t colon = dirs.find(':');
    std::string dir(dirs.substr(0, colon));
    std::string candidate = (dir.empty() ? "." : dir) + "/" + program;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  return Status::NotFound("\"" + program + "\" is not on PATH (" + all_dirs +
                          "); run scripts/bootstrap");
}

// Forks and execs `command` with stdin from /dev/null and stdout/stderr to the given
// files. Everything the child needs is prepared before fork(): between fork and
// exec the child only makes async-signal-safe calls (the parent may have threads).
Result<pid_t> Spawn(const Command& command, int out_fd, int err_fd) {
  if (command.argv.empty()) return Status::InvalidArgument(command.name + ": empty argv");
  TH_ASSIGN_OR_RETURN(std::string path, FindExecutable(command.argv[0]));

  std::vector<char*> argv;
  for (const std::string& arg : command.argv) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);

  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    std::string_view key = entry.substr(0, entry.find('='));
    bool replaced = false;
    for (const auto& [k, v] : command.env) replaced = replaced || key == k;
    if (!replaced) env_strings.emplace_back(entry);
  }
  for (const auto& [k, v] : command.env) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (std::string& entry : env_strings) envp.push_back(entry.data());
  envp.push_back(nullptr);

  int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) return Status::IoError("Cannot open /dev/null: " + ErrnoText(errno));
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    int err = errno;
    close(null_fd);
    return Status::Unavailable("Cannot fork to start " + command.name + ": " + ErrnoText(err));
  }
  if (pid == 0) {
    // Die with the thread that forked us, even when it is SIGKILLed. If it is
    // already gone, the signal would never come: give up now.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    if (dup2(null_fd, STDIN_FILENO) < 0 || dup2(out_fd, STDOUT_FILENO) < 0 ||
        dup2(err_fd, STDERR_FILENO) < 0) {
      _exit(127);
    }
    // Do not leak the test's sockets and files (a listening socket, say) into it.
    close_range(3, ~0U, 0);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    struct sigaction dfl {};
    dfl.sa_handler = SIG_DFL;
    for (int sig : {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGCHLD}) sigaction(sig, &dfl, nullptr);
    execve(path.c_str(), argv.data(), envp.data());
    static constexpr char kMessage[] = "service_process: execve failed\n";
    ssize_t ignored = write(STDERR_FILENO, kMessage, sizeof(kMessage) - 1);
    (void)ignored;
    _exit(127);
  }
  close(null_fd);
  return pid;
}

// waitpid() that retries on EINTR. Returns the pid, 0 (still running) or -1.
pid_t WaitPid(pid_t pid, int* status, int options) {
  pid_t r;
  do {
    r = waitpid(pid, status, options);
  } while (r < 0 && errno == EINTR);
  return r;
}

// Waits until `pid` exits or `timeout` passes; true (and `status`) once reaped.
bool WaitForExit(pid_t pid, milliseconds timeout, int* status) {
  const auto deadline = steady_clock::now() + timeout;
  while (true) {
    pid_t r = WaitPid(pid, status, WNOHANG);
    if (r == pid || r < 0) return true;  // < 0: not our child any more, nothing to reap
    if (steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(kPollInterval);
  }
}

}  // namespace

Result<CapturedOutput> CapturedOutput::Create() {
  const char* tmpdir = std::getenv("TMPDIR");
  std::string path = std::string(tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp") +
                     "/trailhound-output-XXXXXX";
  int fd = mkostemp(path.data(), O_CLOEXEC);
  if (fd < 0)
    return Status::IoError("Cannot create a temp file in \"" + path + "\": " + ErrnoText(errno));
  unlink(path.c_str());
  return CapturedOutput(fd);
}

CapturedOutput& CapturedOutput::operator=(CapturedOutput&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

CapturedOutput::~CapturedOutput() {
  if (fd_ >= 0) close(fd_);
}

std::string CapturedOutput::Read() const {
  std::string text;
  char buf[8192];
  off_t offset = 0;
  while (fd_ >= 0) {
    ssize_t n = pread(fd_, buf, sizeof(buf), offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buf, static_cast<size_t>(n));
    offset += n;
  }
  return text;
}

Result<std::unique_ptr<ServiceProcess>> ServiceProcess::Start(const Command& command) {
  TH_ASSIGN_OR_RETURN(CapturedOutput out, CapturedOutput::Create());
  TH_ASSIGN_OR_RETURN(CapturedOutput err, CapturedOutput::Create());
  TH_ASSIGN_OR_RETURN(pid_t pid, Spawn(command, out.fd(), err.fd()));
  std::unique_ptr<ServiceProcess> process(
      new ServiceProcess(command.name, pid, std::move(out), std::move(err)));
  TH_RETURN_IF_ERROR(process->WaitUntilReady(command.timeout));
  return process;
}

Status ServiceProcess::WaitUntilReady(milliseconds timeout) {
  const auto deadline = steady_clock::now() + timeout;
  while (true) {
    std::string out = stdout_.Read();
    size_t newline = out.find('\n');
    if (newline != std::string::npos) {
      std::string line = out.substr(0, newline);
      auto ready = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
      if (!ready.is_object() || !ready.contains("port") || !ready["port"].is_number_integer() ||
          !ready.contains("pid") || !ready["pid"].is_number_integer()) {
        return Status::Internal(name_ + " printed \"" + Tail(line, 200) +
                                "\" instead of its ready line {\"port\":N,\"pid\":P}");
      }
      port_ = ready["port"].get<int>();
      if (ready["pid"].get<pid_t>() != pid_) {
        return Status::Internal(name_ + " reports PID " + std::to_string(ready["pid"].get<int>()) +
                                " but PID " + std::to_string(pid_) +
                                " was started: the command must exec the server itself");
      }
      return Status::OK();
    }
    int status = 0;
    if (WaitPid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return Status::Unavailable(name_ + " " + DescribeWaitStatus(status) +
                                 " before it was ready; its stderr: " + Tail(stderr_.Read()));
    }
    if (steady_clock::now() >= deadline) {
      return Status::DeadlineExceeded(name_ + " did not print its ready line within " +
                                      std::to_string(timeout.count()) +
                                      " ms; its stderr: " + Tail(stderr_.Read()));
    }
    std::this_thread::sleep_for(kPollInterval);
  }
}

ServiceProcess::~ServiceProcess() { static_cast<void>(Stop()); }

Status ServiceProcess::Stop(milliseconds grace) {
  if (pid_ == 0) return Status::OK();
  const pid_t pid = std::exchange(pid_, 0);
  int status = 0;
  kill(pid, SIGTERM);
  if (WaitForExit(pid, grace, &status)) {
    bool clean = (WIFEXITED(status) && WEXITSTATUS(status) == 0) ||
                 (WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM);
    if (clean) return Status::OK();
    return Status::Unavailable(name_ + " (PID " + std::to_string(pid) + ") " +
                               DescribeWaitStatus(status) + " when asked to stop");
  }
  kill(pid, SIGKILL);
  WaitPid(pid, &status, 0);
  return Status::DeadlineExceeded(name_ + " (PID " + std::to_string(pid) +
                                  ") did not exit within " + std::to_string(grace.count()) +
                                  " ms of SIGTERM and was killed");
}

Result<CommandOutput> RunCommand(const Command& command) {
  TH_ASSIGN_OR_RETURN(CapturedOutput out, CapturedOutput::Create());
  TH_ASSIGN_OR_RETURN(CapturedOutput err, CapturedOutput::Create());
  TH_ASSIGN_OR_RETURN(pid_t pid, Spawn(command, out.fd(), err.fd()));
  int status = 0;
  if (!WaitForExit(pid, command.timeout, &status)) {
    kill(pid, SIGKILL);
    WaitPid(pid, &status, 0);
    return Status::DeadlineExceeded(command.name + " did not finish within " +
                                    std::to_string(command.timeout.count()) +
                                    " ms; its stderr: " + Tail(err.Read()));
  }
  return CommandOutput{ExitStatus(status), out.Read(), err.Read()};
}

Result<std::string> SourcePath(std::string_view source_dir, std::string_view relative_path) {
  std::string dir(source_dir);
  if (dir.empty()) {
    const char* env = std::getenv("TRAILHOUND_SOURCE_DIR");
    if (env == nullptr || *env == '\0') {
      return Status::NotFound(
          "TRAILHOUND_SOURCE_DIR is not set: run the test through ctest, or set it to the "
          "repository root");
    }
    dir = env;
  }
  std::string path = dir + "/" + std::string(relative_path);
  if (access(path.c_str(), R_OK) != 0) {
    return Status::NotFound("\"" + path + "\" is missing (" + ErrnoText(errno) + ")");
  }
  return path;
}

bool ProcessIsGone(pid_t pid) {
  if (pid <= 0) return true;
  if (kill(pid, 0) != 0 && errno == ESRCH) return true;
  // Still in the process table: gone all the same if it is a zombie.
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return true;
  size_t paren = line.rfind(')');
  if (paren == std::string::npos || paren + 2 >= line.size()) return false;
  char state = line[paren + 2];
  return state == 'Z' || state == 'X';
}

}  // namespace trailhound::testing
