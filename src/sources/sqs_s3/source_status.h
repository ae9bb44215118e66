// SourceStatus: what one event source tells its operator (DESIGN.md "Every failure is
// explained"): a state (Starting, Running, Degraded, Error, Stopped), events per minute
// (events stored in the last 60 s) with a per-minute series for the last hour, counters,
// lags, queue depth, and the last error with a hint that names the fix (hints.h).
// The pipeline reports named telemetry events (On...), once per batch, never per event;
// readers take a consistent Snapshot. Thread safety: every method may be called from any
// thread. Errors are counted by StatusCode name and AWS error code — bounded label sets.
// Memory is bounded whatever the uptime: fixed rings for EPM and the series, the newest
// 1000 lag samples, 20 recent errors, 50 error keys.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "sources/sqs_s3/hints.h"

namespace trailhound::sources {

enum class SourceState : uint8_t { kStarting, kRunning, kDegraded, kError, kStopped };

// "Starting", "Running", "Degraded", "Error", "Stopped".
std::string_view SourceStateName(SourceState state);

struct SourceCounters {
  uint64_t messages_received = 0;
  uint64_t messages_deleted = 0;       // after every object was stored (or not a log)
  uint64_t messages_left = 0;          // not deleted after a failure: SQS re-delivers them
  uint64_t messages_ignored = 0;       // s3:TestEvent, validation messages, confirmations
  uint64_t messages_unrecognized = 0;  // unknown shapes, left for the DLQ
  uint64_t objects_fetched = 0;
  uint64_t objects_skipped = 0;  // digests and keys that are not CloudTrail logs
  uint64_t objects_failed = 0;
  uint64_t bytes_fetched = 0;  // compressed bytes read from S3
  uint64_t events_stored = 0;
  uint64_t events_duplicate = 0;
  uint64_t visibility_extensions = 0;
  std::map<std::string, uint64_t> errors;  // by "<StatusCode name>" or "<AWS error code>"
};

struct LagSummary {
  // now − SentTimestamp of received messages (delivery lag of the queue), seconds.
  std::optional<double> message_p50_secs, message_p95_secs;
  // now − eventTime of stored events (end-to-end lag, CloudTrail's ~5 min included), seconds.
  std::optional<double> event_p50_secs, event_p95_secs;
};

struct QueueDepth {
  int64_t visible = 0;    // ApproximateNumberOfMessages
  int64_t in_flight = 0;  // ApproximateNumberOfMessagesNotVisible
  int64_t delayed = 0;    // ApproximateNumberOfMessagesDelayed
  std::chrono::system_clock::time_point measured_at;
};

struct SourceError {
  std::string message;  // Status::ToString(); never a secret
  std::string hint;     // what to do about it
  std::chrono::system_clock::time_point at;
};

struct SourceStatusSnapshot {
  std::string name;
  SourceState state = SourceState::kStarting;
  double epm = 0;                    // events stored in the last 60 s (to the second)
  std::vector<uint64_t> epm_series;  // events stored per minute, the last 60 minutes, oldest first
  SourceCounters counters;
  LagSummary lag;
  std::optional<QueueDepth> queue;
  std::optional<SourceError> last_error;
  std::vector<SourceError> recent_errors;  // newest last, at most 20
  std::chrono::system_clock::time_point started_at;
};

class SourceStatus {
 public:
  SourceStatus(std::string name, Clock* clock);

  // ---- telemetry events ----
  // A ReceiveMessage call succeeded with `count` messages; `sent` are their SentTimestamps.
  void OnReceived(size_t count, std::span<const std::chrono::system_clock::time_point> sent);
  void OnDeleted(size_t count);
  void OnLeft(size_t count);
  void OnIgnored(size_t count);
  void OnUnrecognized(size_t count);
  void OnObjectFetched(uint64_t bytes);
  void OnObjectSkipped();
  // Events of one batch are durable; `event_times_ms` (eventTime, ms since the epoch) feed
  // the event lag — a batch may pass all of them; at most 32 per batch are sampled.
  void OnStored(uint64_t stored, uint64_t duplicates, std::span<const int64_t> event_times_ms);
  void OnVisibilityExtended(size_t count);
  // A failure: counted (by AWS error code, else StatusCode name; after 50 distinct keys
  // under "other"), remembered as the last error with `hint`. `polling` failures (the
  // queue cannot be read) put the source in Error until a receive succeeds; others in
  // Degraded for 5 minutes.
  void OnError(const Status& status, const Hint& hint, bool polling);
  void OnObjectFailed(const Status& status, const Hint& hint);  // OnError + objects_failed
  void SetQueueDepth(QueueDepth depth);
  void SetStopped();

  SourceStatusSnapshot Snapshot() const;

 private:
  // The newest `capacity` values; older ones are overwritten.
  struct SampleRing {
    explicit SampleRing(size_t max_values) : capacity(max_values) {}
    void Add(double value);
    const size_t capacity;
    std::vector<double> values;
    size_t next = 0;  // where the next value goes once the ring is full
  };

  // State rules: Stopped after SetStopped(); Error while the last receive failed; Starting
  // until the first successful receive; Degraded while an error happened in the last 5
  // minutes; Running otherwise.
  SourceState StateLocked() const;
  void OnErrorLocked(const Status& status, const Hint& hint, bool polling);
  // Clears the seconds / minutes that passed since the last call.
  void RollLocked(int64_t now_ms) const;

  const std::string name_;
  Clock* const clock_;
  const std::chrono::system_clock::time_point started_at_;
  mutable std::mutex mu_;
  SourceCounters counters_;
  // Events stored per second of the last 60 s and per minute of the last hour: rings indexed
  // by (second or minute since the epoch) modulo their size; fixed size whatever the uptime.
  mutable std::vector<uint64_t> seconds_;  // 60 entries
  mutable std::vector<uint64_t> minutes_;  // 60 entries
  mutable int64_t current_second_ = 0;
  SampleRing message_lags_, event_lags_;  // seconds, the newest 1000 of each
  std::optional<QueueDepth> queue_;
  std::vector<SourceError> errors_;  // newest last, at most 20
  bool received_once_ = false;
  bool last_receive_failed_ = false;
  bool stopped_ = false;
  std::chrono::system_clock::time_point last_error_at_;
};

}  // namespace trailhound::sources
