#include "sources/sqs_s3/source_status.h"

#include <algorithm>

namespace trailhound::sources {

namespace {

constexpr size_t kMinutes = 60;
constexpr size_t kMaxLagSamples = 1000;
constexpr size_t kMaxRecentErrors = 20;
constexpr size_t kMaxErrorKeys = 50;
constexpr auto kDegradedFor = std::chrono::minutes(5);

int64_t Millis(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// Keeps the newest kMaxLagSamples values.
void Sample(std::vector<double>& samples, double value) {
  if (samples.size() >= kMaxLagSamples) samples.erase(samples.begin());
  samples.push_back(value);
}

std::optional<double> Quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::nullopt;
  size_t index = static_cast<size_t>(q * static_cast<double>(values.size() - 1) + 0.5);
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(index),
                   values.end());
  return values[index];
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

SourceStatus::SourceStatus(std::string name, Clock* clock)
    : name_(std::move(name)), clock_(clock), minutes_(kMinutes + 1, 0) {
  started_at_ = clock_->Now();
  current_minute_ = Millis(started_at_) / 60'000;
}

void SourceStatus::RollMinutesLocked(int64_t now_minute) const {
  if (now_minute <= current_minute_) return;
  int64_t steps =
      std::min<int64_t>(now_minute - current_minute_, static_cast<int64_t>(minutes_.size()));
  for (int64_t i = 1; i <= steps; ++i) {
    minutes_[static_cast<size_t>((current_minute_ + i) % static_cast<int64_t>(minutes_.size()))] =
        0;
  }
  current_minute_ = now_minute;
}

void SourceStatus::OnReceived(size_t count,
                              std::span<const std::chrono::system_clock::time_point> sent) {
  std::lock_guard lock(mu_);
  counters_.messages_received += count;
  received_once_ = true;
  last_receive_failed_ = false;
  const auto now = clock_->Now();
  for (const auto& t : sent) {
    Sample(message_lags_, std::chrono::duration<double>(now - t).count());
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
  RollMinutesLocked(now / 60'000);
  minutes_[static_cast<size_t>(current_minute_ % static_cast<int64_t>(minutes_.size()))] += stored;
  if (stored > 0) recent_stores_.emplace_back(now, stored);
  std::erase_if(recent_stores_, [now](const auto& s) { return now - s.first > 60'000; });
  // A few samples per batch are enough for the percentiles.
  size_t step = std::max<size_t>(1, event_times_ms.size() / 16);
  for (size_t i = 0; i < event_times_ms.size(); i += step) {
    Sample(event_lags_, static_cast<double>(now - event_times_ms[i]) / 1000.0);
  }
}

void SourceStatus::OnVisibilityExtended(size_t count) {
  std::lock_guard lock(mu_);
  counters_.visibility_extensions += count;
}

void SourceStatus::OnError(const Status& status, const Hint& hint, bool polling) {
  std::lock_guard lock(mu_);
  std::string key = !status.aws_error_code().empty() ? status.aws_error_code()
                                                     : std::string(StatusCodeName(status.code()));
  if (!counters_.errors.contains(key) && counters_.errors.size() >= kMaxErrorKeys) key = "other";
  ++counters_.errors[key];
  SourceError error{status.ToString(), hint.text, clock_->Now()};
  if (errors_.size() >= kMaxRecentErrors) errors_.erase(errors_.begin());
  errors_.push_back(std::move(error));
  last_error_at_ = clock_->Now();
  if (polling) last_receive_failed_ = true;
}

void SourceStatus::OnObjectFailed(const Status& status, const Hint& hint) {
  OnError(status, hint, /*polling=*/false);
  std::lock_guard lock(mu_);
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
  const int64_t now = Millis(clock_->Now());
  for (const auto& [at, count] : recent_stores_) {
    if (now - at <= 60'000) s.epm += static_cast<double>(count);
  }
  RollMinutesLocked(now / 60'000);
  const auto ring = static_cast<int64_t>(minutes_.size());
  for (int64_t m = current_minute_ - static_cast<int64_t>(kMinutes) + 1; m <= current_minute_;
       ++m) {
    s.epm_series.push_back(minutes_[static_cast<size_t>(((m % ring) + ring) % ring)]);
  }
  s.counters = counters_;
  s.lag.message_p50_secs = Quantile(message_lags_, 0.5);
  s.lag.message_p95_secs = Quantile(message_lags_, 0.95);
  s.lag.event_p50_secs = Quantile(event_lags_, 0.5);
  s.lag.event_p95_secs = Quantile(event_lags_, 0.95);
  s.queue = queue_;
  if (!errors_.empty()) s.last_error = errors_.back();
  s.recent_errors = errors_;
  s.started_at = started_at_;
  return s;
}

}  // namespace trailhound::sources
