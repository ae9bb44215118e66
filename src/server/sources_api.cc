#include "server/sources_api.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "query/time_value.h"

namespace trailhound::server {

namespace {

using nlohmann::json;

std::string Iso(std::chrono::system_clock::time_point t) {
  return query::FormatTimeMillis(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

json Optional(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

std::string Label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

}  // namespace

std::string SourcesJson(const std::vector<sources::SourceStatusSnapshot>& all) {
  json out = json::array();
  for (const auto& s : all) {
    const auto& c = s.counters;
    json source = {
        {"name", s.name},
        {"status", std::string(sources::SourceStateName(s.state))},
        {"epm", s.epm},
        {"last_error", s.last_error ? json(s.last_error->message) : json(nullptr)},
        {"hint",
         s.last_error && !s.last_error->hint.empty() ? json(s.last_error->hint) : json(nullptr)},
        {"last_error_at", s.last_error ? json(Iso(s.last_error->at)) : json(nullptr)},
        {"epm_series", s.epm_series},
        {"started_at", Iso(s.started_at)},
        {"counters",
         {{"messages_received", c.messages_received},
          {"messages_deleted", c.messages_deleted},
          {"messages_left", c.messages_left},
          {"messages_ignored", c.messages_ignored},
          {"messages_unrecognized", c.messages_unrecognized},
          {"objects_fetched", c.objects_fetched},
          {"objects_skipped", c.objects_skipped},
          {"objects_failed", c.objects_failed},
          {"bytes_fetched", c.bytes_fetched},
          {"events_stored", c.events_stored},
          {"events_duplicate", c.events_duplicate},
          {"visibility_extensions", c.visibility_extensions}}},
        {"errors", c.errors},
        {"lag",
         {{"message_p50_secs", Optional(s.lag.message_p50_secs)},
          {"message_p95_secs", Optional(s.lag.message_p95_secs)},
          {"event_p50_secs", Optional(s.lag.event_p50_secs)},
          {"event_p95_secs", Optional(s.lag.event_p95_secs)}}},
        {"queue", s.queue ? json{{"visible", s.queue->visible},
                                 {"in_flight", s.queue->in_flight},
                                 {"delayed", s.queue->delayed},
                                 {"measured_at", Iso(s.queue->measured_at)}}
                          : json(nullptr)},
    };
    json recent = json::array();
    for (const auto& e : s.recent_errors) {
      recent.push_back({{"message", e.message}, {"hint", e.hint}, {"at", Iso(e.at)}});
    }
    source["recent_errors"] = std::move(recent);
    out.push_back(std::move(source));
  }
  return out.dump();
}

std::string PrometheusMetrics(const std::vector<sources::SourceStatusSnapshot>& all,
                              const store::StoreStats& store) {
  std::string out;
  auto family = [&out](std::string_view name, std::string_view type, std::string_view help) {
    out += "# HELP " + std::string(name) + " " + std::string(help) + "\n# TYPE " +
           std::string(name) + " " + std::string(type) + "\n";
  };
  auto sample = [&out](std::string_view name, const std::string& labels, double value) {
    out += std::string(name) + (labels.empty() ? "" : "{" + labels + "}") + " " +
           nlohmann::json(value).dump() + "\n";
  };
  struct Counter {
    const char* name;
    const char* help;
    uint64_t sources::SourceCounters::*member;
  };
  static const Counter kCounters[] = {
      {"trailhound_source_messages_received_total", "SQS messages received.",
       &sources::SourceCounters::messages_received},
      {"trailhound_source_messages_deleted_total", "Messages deleted after a durable store.",
       &sources::SourceCounters::messages_deleted},
      {"trailhound_source_messages_left_total", "Messages left in the queue after a failure.",
       &sources::SourceCounters::messages_left},
      {"trailhound_source_messages_ignored_total", "Test events and other messages acknowledged.",
       &sources::SourceCounters::messages_ignored},
      {"trailhound_source_messages_unrecognized_total", "Messages of an unknown shape.",
       &sources::SourceCounters::messages_unrecognized},
      {"trailhound_source_objects_fetched_total", "S3 objects fetched.",
       &sources::SourceCounters::objects_fetched},
      {"trailhound_source_objects_skipped_total", "Digests and keys that are not logs.",
       &sources::SourceCounters::objects_skipped},
      {"trailhound_source_objects_failed_total", "Objects that failed to fetch, decode or store.",
       &sources::SourceCounters::objects_failed},
      {"trailhound_source_bytes_fetched_total", "Compressed bytes read from S3.",
       &sources::SourceCounters::bytes_fetched},
      {"trailhound_source_events_stored_total", "Events stored.",
       &sources::SourceCounters::events_stored},
      {"trailhound_source_events_duplicate_total", "Events skipped as already stored.",
       &sources::SourceCounters::events_duplicate},
  };
  for (const Counter& counter : kCounters) {
    family(counter.name, "counter", counter.help);
    for (const auto& s : all) {
      sample(counter.name, "source=\"" + Label(s.name) + "\"",
             static_cast<double>(s.counters.*counter.member));
    }
  }
  family("trailhound_source_errors_total", "counter", "Errors by AWS error code or status code.");
  for (const auto& s : all) {
    for (const auto& [code, n] : s.counters.errors) {
      sample("trailhound_source_errors_total",
             "source=\"" + Label(s.name) + "\",code=\"" + Label(code) + "\"",
             static_cast<double>(n));
    }
  }
  family("trailhound_source_state", "gauge", "1 for the source's current state.");
  for (const auto& s : all) {
    for (auto state : {sources::SourceState::kStarting, sources::SourceState::kRunning,
                       sources::SourceState::kDegraded, sources::SourceState::kError,
                       sources::SourceState::kStopped}) {
      sample("trailhound_source_state",
             "source=\"" + Label(s.name) + "\",state=\"" +
                 std::string(sources::SourceStateName(state)) + "\"",
             s.state == state ? 1 : 0);
    }
  }
  family("trailhound_source_events_per_minute", "gauge", "Events stored in the last 60 s.");
  for (const auto& s : all) {
    sample("trailhound_source_events_per_minute", "source=\"" + Label(s.name) + "\"", s.epm);
  }
  family("trailhound_source_queue_messages", "gauge", "Approximate messages in the queue.");
  for (const auto& s : all) {
    if (!s.queue) continue;
    const std::string source = "source=\"" + Label(s.name) + "\",kind=";
    sample("trailhound_source_queue_messages", source + "\"visible\"",
           static_cast<double>(s.queue->visible));
    sample("trailhound_source_queue_messages", source + "\"in_flight\"",
           static_cast<double>(s.queue->in_flight));
    sample("trailhound_source_queue_messages", source + "\"delayed\"",
           static_cast<double>(s.queue->delayed));
  }
  family("trailhound_source_lag_seconds", "gauge", "Message and event lag quantiles.");
  for (const auto& s : all) {
    const std::string source = "source=\"" + Label(s.name) + "\",";
    auto lag = [&](const char* kind, const char* q, const std::optional<double>& v) {
      if (v) {
        sample("trailhound_source_lag_seconds",
               source + "kind=\"" + kind + "\",quantile=\"" + q + "\"", *v);
      }
    };
    lag("message", "0.5", s.lag.message_p50_secs);
    lag("message", "0.95", s.lag.message_p95_secs);
    lag("event", "0.5", s.lag.event_p50_secs);
    lag("event", "0.95", s.lag.event_p95_secs);
  }
  family("trailhound_store_events", "gauge", "Events in the store.");
  sample("trailhound_store_events", "", static_cast<double>(store.events));
  family("trailhound_store_segments", "gauge", "Segment files.");
  sample("trailhound_store_segments", "", static_cast<double>(store.segments));
  family("trailhound_store_bytes", "gauge", "Bytes of segment files.");
  sample("trailhound_store_bytes", "", static_cast<double>(store.segment_bytes));
  family("trailhound_store_appended_total", "counter", "Events appended since start.");
  sample("trailhound_store_appended_total", "", static_cast<double>(store.appended));
  family("trailhound_store_duplicates_total", "counter", "Duplicates skipped since start.");
  sample("trailhound_store_duplicates_total", "", static_cast<double>(store.duplicates));
  return out;
}

}  // namespace trailhound::server
