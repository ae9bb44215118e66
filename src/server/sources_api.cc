#include "server/sources_api.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "query/time_value.h"

namespace trailhound::server {

namespace {

using nlohmann::json;

json Iso(std::chrono::system_clock::time_point t) {
  return query::FormatTimeMillis(
      std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count());
}

json OrNull(const std::optional<double>& value) { return value ? json(*value) : json(nullptr); }

json Counters(const sources::SourceCounters& c) {
  return {{"messages_received", c.messages_received},
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
          {"visibility_extensions", c.visibility_extensions}};
}

json Lag(const sources::LagSummary& lag) {
  return {{"message_p50_secs", OrNull(lag.message_p50_secs)},
          {"message_p95_secs", OrNull(lag.message_p95_secs)},
          {"event_p50_secs", OrNull(lag.event_p50_secs)},
          {"event_p95_secs", OrNull(lag.event_p95_secs)}};
}

json Queue(const std::optional<sources::QueueDepth>& queue) {
  if (!queue) return nullptr;
  return {{"visible", queue->visible},
          {"in_flight", queue->in_flight},
          {"delayed", queue->delayed},
          {"measured_at", Iso(queue->measured_at)}};
}

json Source(const sources::SourceStatusSnapshot& s) {
  const auto& error = s.last_error;
  json recent = json::array();
  for (const auto& e : s.recent_errors) {
    recent.push_back({{"message", e.message},
                      {"hint", e.hint.empty() ? json(nullptr) : json(e.hint)},
                      {"at", Iso(e.at)}});
  }
  return {
      {"name", s.name},
      {"status", std::string(sources::SourceStateName(s.state))},
      {"epm", s.epm},
      {"last_error", error ? json(error->message) : json(nullptr)},
      {"hint", error && !error->hint.empty() ? json(error->hint) : json(nullptr)},
      {"last_error_at", error ? Iso(error->at) : json(nullptr)},
      {"epm_series", s.epm_series},
      {"counters", Counters(s.counters)},
      {"errors", s.counters.errors},
      {"lag", Lag(s.lag)},
      {"queue", Queue(s.queue)},
      {"recent_errors", std::move(recent)},
      {"started_at", Iso(s.started_at)},
  };
}

}  // namespace

std::string SourcesJson(const std::vector<sources::SourceStatusSnapshot>& all) {
  json out = json::array();
  for (const auto& s : all) out.push_back(Source(s));
  // Messages may quote S3 keys or AWS text that is not valid UTF-8: replace, never throw.
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string DoctorReportJson(const sources::DoctorReport& report) {
  json checks = json::array();
  for (const auto& check : report.checks) {
    checks.push_back({{"id", check.id},
                      {"title", check.title},
                      {"result", std::string(sources::CheckResultName(check.result))},
                      {"detail", check.detail},
                      {"fix", check.fix}});
  }
  json out = {{"source", report.source}, {"ok", report.ok()}, {"checks", std::move(checks)}};
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string SourceDetailJson(const sources::SourceStatusSnapshot& source,
                             const SourceSettingsList& settings) {
  json out = Source(source);
  json config = json::object();
  for (const auto& [key, value] : settings) config[key] = value;
  out["config"] = std::move(config);
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace trailhound::server
