#include "cli/progress_bar.h"

#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>

namespace trailhound::cli {

ProgressBar::ProgressBar(LineFn line) : line_(std::move(line)) {
  active_ = ::isatty(STDERR_FILENO) == 1;
  if (!active_) return;
  thread_ = std::thread([this] {
    const auto started = std::chrono::steady_clock::now();
    std::unique_lock lock(mu_);
    while (true) {
      bool stopping =
          wake_.wait_for(lock, std::chrono::milliseconds(250), [this] { return stop_; });
      double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      // "\r" + clear to end of line, so a shorter line leaves nothing behind.
      fmt::print(stderr, "\r\x1b[2K{}", line_(elapsed));
      if (stopping) {
        fmt::print(stderr, "\n");
        break;
      }
      std::fflush(stderr);
    }
  });
}

ProgressBar::~ProgressBar() { Stop(); }

void ProgressBar::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string ProgressBar::Bar(double done, double total, int width) {
  int filled = total > 0 ? static_cast<int>(std::lround(width * std::min(1.0, done / total))) : 0;
  return "[" + std::string(static_cast<size_t>(filled), '#') +
         std::string(static_cast<size_t>(width - filled), '.') + "]";
}

std::string ProgressBar::Duration(double secs) {
  if (!std::isfinite(secs) || secs < 0) return "?";
  auto total = static_cast<long long>(secs + 0.5);
  if (total >= 3600)
    return fmt::format("{}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60);
  return fmt::format("{}:{:02}", total / 60, total % 60);
}

}  // namespace trailhound::cli
