#include "server/metrics.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <optional>

namespace trailhound::server {

namespace {

using sources::SourceCounters;
using sources::SourceState;
using sources::SourceStatusSnapshot;

// Appends families and samples to one text.
class Exposition {
 public:
  void Family(std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(out_), "# HELP {} {}\n# TYPE {} {}\n", name, help, name,
                   type);
  }
  void Sample(std::string_view name, std::string_view labels, uint64_t value) {
    Name(name, labels);
    fmt::format_to(std::back_inserter(out_), "{}\n", value);
  }
  void Sample(std::string_view name, std::string_view labels, int64_t value) {
    Name(name, labels);
    fmt::format_to(std::back_inserter(out_), "{}\n", value);
  }
  void Sample(std::string_view name, std::string_view labels, double value) {
    Name(name, labels);
    if (std::isnan(value)) {
      out_ += "NaN\n";
    } else if (std::isinf(value)) {
      out_ += value > 0 ? "+Inf\n" : "-Inf\n";
    } else {
      fmt::format_to(std::back_inserter(out_), "{}\n", value);
    }
  }
  std::string Take() { return std::move(out_); }

 private:
  void Name(std::string_view name, std::string_view labels) {
    out_ += name;
    if (!labels.empty()) {
      out_ += '{';
      out_ += labels;
      out_ += '}';
    }
    out_ += ' ';
  }
  std::string out_;
};

std::string SourceLabel(const SourceStatusSnapshot& s) {
  return "source=\"" + EscapeLabelValue(s.name) + "\"";
}

struct CounterFamily {
  const char* name;
  const char* help;
  uint64_t SourceCounters::*member;
};

constexpr CounterFamily kCounters[] = {
    {"trailhound_source_messages_received_total", "SQS messages received.",
     &SourceCounters::messages_received},
    {"trailhound_source_messages_deleted_total",
     "SQS messages deleted after every object they name was stored (or was not a log).",
     &SourceCounters::messages_deleted},
    {"trailhound_source_messages_left_total",
     "SQS messages left in the queue after a failure, for SQS to re-deliver.",
     &SourceCounters::messages_left},
    {"trailhound_source_messages_ignored_total",
     "SQS messages acknowledged without objects (s3:TestEvent, confirmations).",
     &SourceCounters::messages_ignored},
    {"trailhound_source_messages_unrecognized_total",
     "SQS messages of an unknown shape, left for the dead-letter queue.",
     &SourceCounters::messages_unrecognized},
    {"trailhound_source_objects_fetched_total", "S3 objects fetched.",
     &SourceCounters::objects_fetched},
    {"trailhound_source_objects_skipped_total", "S3 objects skipped: digests and non-log keys.",
     &SourceCounters::objects_skipped},
    {"trailhound_source_objects_failed_total", "S3 objects that failed to fetch, decode or store.",
     &SourceCounters::objects_failed},
    {"trailhound_source_bytes_fetched_total", "Compressed bytes read from S3.",
     &SourceCounters::bytes_fetched},
    {"trailhound_source_events_stored_total", "Events stored durably.",
     &SourceCounters::events_stored},
    {"trailhound_source_events_duplicate_total", "Events skipped because they were stored before.",
     &SourceCounters::events_duplicate},
    {"trailhound_source_visibility_extensions_total",
     "Visibility timeouts extended for messages still in progress.",
     &SourceCounters::visibility_extensions},
};

constexpr SourceState kStates[] = {SourceState::kStarting, SourceState::kRunning,
                                   SourceState::kDegraded, SourceState::kError,
                                   SourceState::kStopped};

void SourceFamilies(const std::vector<SourceStatusSnapshot>& all, Exposition& out) {
  for (const CounterFamily& counter : kCounters) {
    out.Family(counter.name, "counter", counter.help);
    for (const auto& s : all) out.Sample(counter.name, SourceLabel(s), s.counters.*counter.member);
  }

  constexpr const char* kErrors = "trailhound_source_errors_total";
  out.Family(kErrors, "counter",
             "Errors by AWS error code, else by status code (at most 50 codes per source, then "
             "\"other\").");
  for (const auto& s : all) {
    for (const auto& [code, n] : s.counters.errors) {
      out.Sample(kErrors, SourceLabel(s) + ",code=\"" + EscapeLabelValue(code) + "\"", n);
    }
  }

  constexpr const char* kState = "trailhound_source_state";
  out.Family(kState, "gauge",
             "1 for the source's current state (Starting, Running, Degraded, Error, Stopped), "
             "0 for the others.");
  for (const auto& s : all) {
    for (SourceState state : kStates) {
      out.Sample(kState,
                 SourceLabel(s) + ",state=\"" + std::string(sources::SourceStateName(state)) + "\"",
                 uint64_t{s.state == state ? 1u : 0u});
    }
  }

  constexpr const char* kEpm = "trailhound_source_events_per_minute";
  out.Family(kEpm, "gauge", "Events stored in the last 60 seconds.");
  for (const auto& s : all) out.Sample(kEpm, SourceLabel(s), s.epm);

  constexpr const char* kQueue = "trailhound_source_queue_messages";
  out.Family(kQueue, "gauge",
             "Approximate messages in the source's queue (GetQueueAttributes, once a minute).");
  for (const auto& s : all) {
    if (!s.queue) continue;
    const std::string kind = SourceLabel(s) + ",kind=";
    out.Sample(kQueue, kind + "\"visible\"", s.queue->visible);
    out.Sample(kQueue, kind + "\"in_flight\"", s.queue->in_flight);
    out.Sample(kQueue, kind + "\"delayed\"", s.queue->delayed);
  }

  constexpr const char* kLag = "trailhound_source_lag_seconds";
  out.Family(kLag, "gauge",
             "Lag quantiles over recent samples: message = now - SentTimestamp at receive, "
             "event = now - eventTime at store.");
  for (const auto& s : all) {
    auto lag = [&](const char* kind, const char* quantile, const std::optional<double>& value) {
      if (!value) return;
      out.Sample(kLag, SourceLabel(s) + ",kind=\"" + kind + "\",quantile=\"" + quantile + "\"",
                 *value);
    };
    lag("message", "0.5", s.lag.message_p50_secs);
    lag("message", "0.95", s.lag.message_p95_secs);
    lag("event", "0.5", s.lag.event_p50_secs);
    lag("event", "0.95", s.lag.event_p95_secs);
  }
}

void StoreFamilies(const store::StoreStats& store, Exposition& out) {
  struct Family {
    const char* name;
    const char* type;
    const char* help;
    uint64_t value;
  };
  const Family families[] = {
      {"trailhound_store_events", "gauge", "Events in the store (segments and memtable).",
       store.events},
      {"trailhound_store_segments", "gauge", "Segment files.", store.segments},
      {"trailhound_store_bytes", "gauge", "Bytes of segment files.", store.segment_bytes},
      {"trailhound_store_memtable_events", "gauge", "Events not yet flushed to a segment.",
       store.memtable_events},
      {"trailhound_store_appended_total", "counter", "Events appended since the store opened.",
       store.appended},
      {"trailhound_store_duplicates_total", "counter",
       "Duplicate events skipped since the store opened.", store.duplicates},
      {"trailhound_store_flushes_total", "counter", "Memtable flushes since the store opened.",
       store.flushes},
      {"trailhound_store_merges_total", "counter", "Segment merges since the store opened.",
       store.merges},
      {"trailhound_store_segments_expired_total", "counter",
       "Segments deleted by retention since the store opened.", store.segments_expired},
  };
  for (const Family& family : families) {
    out.Family(family.name, family.type, family.help);
    out.Sample(family.name, "", family.value);
  }
}

}  // namespace

std::string EscapeLabelValue(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string PrometheusMetrics(const std::vector<sources::SourceStatusSnapshot>& sources,
                              const store::StoreStats& store) {
  Exposition out;
  SourceFamilies(sources, out);
  StoreFamilies(store, out);
  return out.Take();
}

}  // namespace trailhound::server
