// ProgressBar: redraws one status line on stderr a few times a second while a long command
// runs (ingest, later backfill), only when stderr is a terminal; otherwise silent. The line
// comes from a callback given the elapsed seconds. Thread safety: the callback runs on the
// bar's own thread; Stop (or the destructor) joins it and ends the line.
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace trailhound::cli {

class ProgressBar {
 public:
  using LineFn = std::function<std::string(double elapsed_secs)>;
  explicit ProgressBar(LineFn line);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void Stop();
  bool active() const { return active_; }

  // "[#########...........]" of `width` cells for done/total (empty total: all dots).
  static std::string Bar(double done, double total, int width = 24);
  // "1:02:03" / "2:03"; "?" when unknown.
  static std::string Duration(double secs);

 private:
  LineFn line_;
  bool active_ = false;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace trailhound::cli
