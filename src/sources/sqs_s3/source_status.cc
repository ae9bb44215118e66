#include "sources/sqs_s3/source_status.h"

#include <algorithm>

namespace trailhound::sources {

namespace {

constexpr int64_t kSeconds = 60;  // the EPM window
constexpr int64_t kMinutes = 60;  // the series
constexpr size_t kMaxLagSamples = 1000;
constexpr size_t kMaxLagSamplesPerBatch = 32;
constexpr size_t kMaxRecentErrors = 20;
constexpr size_t kMaxErrorKeys = 50;
constexpr size_t kMaxErrorKeyBytes = 64;
constexpr size_t kMaxErrorMessageBytes = 2048;
constexpr auto kDegradedFor = std::chrono::minutes(5);

int64_t Millis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Floor division, so that times before the epoch still land in the right slot.
int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

size_t Slot(int64_t index, int64_t size) {
  return static_cast<size_t>(((index % size) + size) % size);
}

std::optional<double> Quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::nullopt;
  auto index = static_cast<size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return values[index];
}

std::string Truncate(std::string text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  size_t cut = max_bytes;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;  // UTF-8
  text.resize(cut);
  return text + "…";
}

}  // namespace

std::string_view SourceStateName(SourceState state) {
  switch (state) {
    case SourceState::kStarting:
      return "Starting";
    case SourceState::kRunning:
      return "Running";
    case SourceState::kDegraded:
      return "Degraded";
    case SourceState::kError:
      return "Error";
    case SourceState::kStopped:
      return "Stopped";
  }
  return "Unknown";
}

void SourceStatus::SampleRing::Add(double value) {
  if (values.size() < capacity) {
    values.push_back(value);
    return;
  }
  values[next] = value;
  next = (next + 1) % values.size();
}

SourceStatus::SourceStatus(std::string name, Clock* clock)
    : name_(std::move(name)),
      clock_(clock),
      started_at_(clock->Now()),
      seconds_(kSeconds, 0),
      minutes_(kMinutes, 0),
      current_second_(FloorDiv(Millis(started_at_), 1000)),
      message_lags_(kMaxLagSamples),
      event_lags_(kMaxLagSamples) {}

void SourceStatus::RollLocked(int64_t now_ms) const {
  const int64_t now_second = FloorDiv(now_ms, 1000);
  if (now_second <= current_second_) return;  // same second, or the wall clock went back
  const int64_t from_minute = FloorDiv(current_second_, 60);
  const int64_t now_minute = FloorDiv(now_second, 60);
  for (int64_t s = current_second_ + 1; s <= std::min(now_second, current_second_ + kSeconds);
       ++s) {
    seconds_[Slot(s, kSeconds)] = 0;
  }
  for (int64_t m = from_minute + 1; m <= std::min(now_minute, from_minute + kMinutes); ++m) {
    minutes_[Slot(m, kMinutes)] = 0;
  }
  current_second_ = now_second;
}

void SourceStatus::OnReceived(size_t count,
                              std::span<const std::chrono::system_clock::time_point> sent) {
  std::lock_guard lock(mu_);
  counters_.messages_received += count;
  received_once_ = true;
  last_receive_failed_ = false;
  const auto now = clock_->Now();
  for (const auto& t : sent) {
    message_lags_.Add(std::max(0.0, std::chrono::duration<double>(now - t).count()));
  }
}

void SourceStatus::OnDeleted(size_t count) {
  std::lock_guard lock(mu_);
  counters_.messages_deleted += count;
}

void SourceStatus::OnLeft(size_t count) {
  std::lock_guard lock(mu_);
  counters_.messages_left += count;
}

void SourceStatus::OnIgnored(size_t count) {
  std::lock_guard lock(mu_);
  counters_.messages_ignored += count;
}

void SourceStatus::OnUnrecognized(size_t count) {
  std::lock_guard lock(mu_);
  counters_.messages_unrecognized += count;
}

void SourceStatus::OnObjectFetched(uint64_t bytes) {
  std::lock_guard lock(mu_);
  ++counters_.objects_fetched;
  counters_.bytes_fetched += bytes;
}

void SourceStatus::OnObjectSkipped() {
  std::lock_guard lock(mu_);
  ++counters_.objects_skipped;
}

void SourceStatus::OnStored(uint64_t stored, uint64_t duplicates,
                            std::span<const int64_t> event_times_ms) {
  std::lock_guard lock(mu_);
  counters_.events_stored += stored;
  counters_.events_duplicate += duplicates;
  const int64_t now = Millis(clock_->Now());
  RollLocked(now);
  seconds_[Slot(current_second_, kSeconds)] += stored;
  minutes_[Slot(FloorDiv(current_second_, 60), kMinutes)] += stored;
  // A few evenly spread samples per batch are enough for the percentiles.
  const size_t n = event_times_ms.size();
  const size_t step =
      std::max<size_t>(1, (n + kMaxLagSamplesPerBatch - 1) / kMaxLagSamplesPerBatch);
  for (size_t i = 0; i < n; i += step) {
    event_lags_.Add(std::max(0.0, static_cast<double>(now - event_times_ms[i]) / 1000.0));
  }
}

void SourceStatus::OnVisibilityExtended(size_t count) {
  std::lock_guard lock(mu_);
  counters_.visibility_extensions += count;
}

void SourceStatus::OnErrorLocked(const Status& status, const Hint& hint, bool polling) {
  std::string key = !status.aws_error_code().empty() ? status.aws_error_code()
                                                     : std::string(StatusCodeName(status.code()));
  key = Truncate(std::move(key), kMaxErrorKeyBytes);
  if (!counters_.errors.contains(key) && counters_.errors.size() >= kMaxErrorKeys) key = "other";
  ++counters_.errors[key];
  const auto now = clock_->Now();
  if (errors_.size() >= kMaxRecentErrors) errors_.erase(errors_.begin());
  errors_.push_back(
      SourceError{Truncate(status.ToString(), kMaxErrorMessageBytes), hint.text, now});
  last_error_at_ = now;
  if (polling) last_receive_failed_ = true;
}

void SourceStatus::OnError(const Status& status, const Hint& hint, bool polling) {
  std::lock_guard lock(mu_);
  OnErrorLocked(status, hint, polling);
}

void SourceStatus::OnObjectFailed(const Status& status, const Hint& hint) {
  std::lock_guard lock(mu_);
  OnErrorLocked(status, hint, /*polling=*/false);
  ++counters_.objects_failed;
}

void SourceStatus::SetQueueDepth(QueueDepth depth) {
  std::lock_guard lock(mu_);
  queue_ = depth;
}

void SourceStatus::SetStopped() {
  std::lock_guard lock(mu_);
  stopped_ = true;
}

SourceState SourceStatus::StateLocked() const {
  if (stopped_) return SourceState::kStopped;
  if (last_receive_failed_) return SourceState::kError;
  if (!received_once_) return SourceState::kStarting;
  if (!errors_.empty() && clock_->Now() - last_error_at_ < kDegradedFor) {
    return SourceState::kDegraded;
  }
  return SourceState::kRunning;
}

SourceStatusSnapshot SourceStatus::Snapshot() const {
  std::lock_guard lock(mu_);
  SourceStatusSnapshot s;
  s.name = name_;
  s.state = StateLocked();
  RollLocked(Millis(clock_->Now()));
  uint64_t last_minute = 0;
  for (uint64_t count : seconds_) last_minute += count;
  s.epm = static_cast<double>(last_minute);
  const int64_t now_minute = FloorDiv(current_second_, 60);
  s.epm_series.reserve(kMinutes);
  for (int64_t m = now_minute - kMinutes + 1; m <= now_minute; ++m) {
    s.epm_series.push_back(minutes_[Slot(m, kMinutes)]);
  }
  s.counters = counters_;
  s.lag.message_p50_secs = Quantile(message_lags_.values, 0.5);
  s.lag.message_p95_secs = Quantile(message_lags_.values, 0.95);
  s.lag.event_p50_secs = Quantile(event_lags_.values, 0.5);
  s.lag.event_p95_secs = Quantile(event_lags_.values, 0.95);
  s.queue = queue_;
  if (!errors_.empty()) s.last_error = errors_.back();
  s.recent_errors = errors_;
  s.started_at = started_at_;
  return s;
}

}  // namespace trailhound::sources
