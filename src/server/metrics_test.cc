#include "server/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <sstream>

namespace trailhound::server {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

sources::SourceStatusSnapshot Source(std::string name) {
  sources::SourceStatusSnapshot s;
  s.name = std::move(name);
  s.state = sources::SourceState::kRunning;
  s.epm = 1520;
  s.epm_series.assign(60, 0);
  s.counters.messages_received = 812;
  s.counters.messages_deleted = 809;
  s.counters.messages_left = 3;
  s.counters.messages_ignored = 1;
  s.counters.messages_unrecognized = 2;
  s.counters.objects_fetched = 1610;
  s.counters.objects_skipped = 12;
  s.counters.objects_failed = 5;
  s.counters.bytes_fetched = 18'000'000'000'000'000'001ull;  // beyond a double's precision
  s.counters.events_stored = 211034;
  s.counters.events_duplicate = 310;
  s.counters.visibility_extensions = 4;
  s.counters.errors = {{"AccessDenied", 2}, {"SlowDown", 7}};
  s.lag.message_p50_secs = 1.5;
  s.lag.message_p95_secs = 4.25;
  s.lag.event_p50_secs = 301.5;
  s.lag.event_p95_secs = 612;
  s.queue = sources::QueueDepth{3, 8, 1, {}};
  return s;
}

store::StoreStats Store() {
  store::StoreStats stats;
  stats.events = 1000;
  stats.segments = 4;
  stats.segment_bytes = 123456;
  stats.appended = 900;
  stats.duplicates = 12;
  return stats;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

// The value of the sample line `name{labels}`, or "" when there is none.
std::string Value(const std::string& text, const std::string& series) {
  for (const std::string& line : Lines(text)) {
    if (line.starts_with(series + " ")) return line.substr(series.size() + 1);
  }
  return "";
}

TEST(PrometheusMetrics, EveryLineFollowsTheTextFormat) {
  sources::SourceStatusSnapshot odd = Source("we\"ird\\na\nme");
  std::string text = PrometheusMetrics({Source("cloudtrail-main"), odd}, Store());
  ASSERT_FALSE(text.empty());
  EXPECT_EQ(text.back(), '\n');
  const std::regex help(R"(# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+)");
  const std::regex type(R"(# TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge))");
  const std::regex label(R"([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")");
  const std::regex sample(
      R"(([a-zA-Z_:][a-zA-Z0-9_:]*)(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*\})? (-?[0-9.e+]+|NaN|\+Inf|-Inf))");
  std::set<std::string> typed;
  std::string family;
  for (const std::string& line : Lines(text)) {
    if (line.starts_with("# HELP")) {
      EXPECT_TRUE(std::regex_match(line, help)) << line;
    } else if (line.starts_with("# TYPE")) {
      EXPECT_TRUE(std::regex_match(line, type)) << line;
      family = line.substr(7, line.find(' ', 7) - 7);
      EXPECT_TRUE(typed.insert(family).second) << "TYPE twice for " << family;
    } else {
      std::smatch m;
      ASSERT_TRUE(std::regex_match(line, m, sample)) << line;
      EXPECT_EQ(m[1].str(), family) << "sample outside its family: " << line;
    }
  }
}

TEST(PrometheusMetrics, CountersPerSource) {
  std::string text = PrometheusMetrics({Source("cloudtrail-main")}, Store());
  const std::map<std::string, std::string> expected = {
      {"trailhound_source_messages_received_total", "812"},
      {"trailhound_source_messages_deleted_total", "809"},
      {"trailhound_source_messages_left_total", "3"},
      {"trailhound_source_messages_ignored_total", "1"},
      {"trailhound_source_messages_unrecognized_total", "2"},
      {"trailhound_source_objects_fetched_total", "1610"},
      {"trailhound_source_objects_skipped_total", "12"},
      {"trailhound_source_objects_failed_total", "5"},
      {"trailhound_source_bytes_fetched_total", "18000000000000000001"},
      {"trailhound_source_events_stored_total", "211034"},
      {"trailhound_source_events_duplicate_total", "310"},
      {"trailhound_source_visibility_extensions_total", "4"},
  };
  for (const auto& [name, value] : expected) {
    EXPECT_THAT(text, HasSubstr("# TYPE " + name + " counter\n"));
    EXPECT_EQ(Value(text, name + "{source=\"cloudtrail-main\"}"), value) << name;
  }
}

TEST(PrometheusMetrics, ErrorsByCode) {
  std::string text = PrometheusMetrics({Source("main")}, Store());
  EXPECT_THAT(text, HasSubstr("# TYPE trailhound_source_errors_total counter\n"));
  EXPECT_EQ(Value(text, R"(trailhound_source_errors_total{source="main",code="AccessDenied"})"),
            "2");
  EXPECT_EQ(Value(text, R"(trailhound_source_errors_total{source="main",code="SlowDown"})"), "7");
}

TEST(PrometheusMetrics, StateIsOneHot) {
  sources::SourceStatusSnapshot s = Source("main");
  s.state = sources::SourceState::kDegraded;
  std::string text = PrometheusMetrics({s}, Store());
  for (const char* state : {"Starting", "Running", "Degraded", "Error", "Stopped"}) {
    EXPECT_EQ(Value(text, "trailhound_source_state{source=\"main\",state=\"" + std::string(state) +
                              "\"}"),
              std::string(state) == "Degraded" ? "1" : "0")
        << state;
  }
}

TEST(PrometheusMetrics, GaugesForEpmQueueAndLag) {
  std::string text = PrometheusMetrics({Source("main")}, Store());
  EXPECT_EQ(Value(text, R"(trailhound_source_events_per_minute{source="main"})"), "1520");
  EXPECT_EQ(Value(text, R"(trailhound_source_queue_messages{source="main",kind="visible"})"), "3");
  EXPECT_EQ(Value(text, R"(trailhound_source_queue_messages{source="main",kind="in_flight"})"),
            "8");
  EXPECT_EQ(Value(text, R"(trailhound_source_queue_messages{source="main",kind="delayed"})"), "1");
  EXPECT_EQ(
      Value(text, R"(trailhound_source_lag_seconds{source="main",kind="message",quantile="0.5"})"),
      "1.5");
  EXPECT_EQ(
      Value(text, R"(trailhound_source_lag_seconds{source="main",kind="message",quantile="0.95"})"),
      "4.25");
  EXPECT_EQ(
      Value(text, R"(trailhound_source_lag_seconds{source="main",kind="event",quantile="0.5"})"),
      "301.5");
  EXPECT_EQ(
      Value(text, R"(trailhound_source_lag_seconds{source="main",kind="event",quantile="0.95"})"),
      "612");
}

TEST(PrometheusMetrics, UnknownQueueDepthAndLagAreLeftOut) {
  sources::SourceStatusSnapshot s = Source("main");
  s.queue.reset();
  s.lag = {};
  std::string text = PrometheusMetrics({s}, Store());
  EXPECT_THAT(text, HasSubstr("# TYPE trailhound_source_queue_messages gauge\n"));
  EXPECT_THAT(text, Not(HasSubstr("trailhound_source_queue_messages{")));
  EXPECT_THAT(text, Not(HasSubstr("trailhound_source_lag_seconds{")));
}

TEST(PrometheusMetrics, StoreStatistics) {
  std::string text = PrometheusMetrics({}, Store());
  EXPECT_EQ(Value(text, "trailhound_store_events"), "1000");
  EXPECT_EQ(Value(text, "trailhound_store_segments"), "4");
  EXPECT_EQ(Value(text, "trailhound_store_bytes"), "123456");
  EXPECT_EQ(Value(text, "trailhound_store_appended_total"), "900");
  EXPECT_EQ(Value(text, "trailhound_store_duplicates_total"), "12");
  EXPECT_THAT(text, HasSubstr("# TYPE trailhound_store_events gauge\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE trailhound_store_appended_total counter\n"));
  // Without sources the families are still described, with no samples.
  EXPECT_THAT(text, HasSubstr("# TYPE trailhound_source_events_stored_total counter\n"));
  EXPECT_THAT(text, Not(HasSubstr("trailhound_source_events_stored_total{")));
}

TEST(PrometheusMetrics, LabelValuesAreEscaped) {
  EXPECT_EQ(EscapeLabelValue(R"(a\b"c)"
                             "\n"
                             "d"),
            R"(a\\b\"c\nd)");
  std::string text = PrometheusMetrics({Source("x\"y")}, Store());
  EXPECT_EQ(Value(text, R"(trailhound_source_events_stored_total{source="x\"y"})"), "211034");
}

TEST(PrometheusMetrics, CounterNamesEndInTotal) {
  std::string text = PrometheusMetrics({Source("main")}, Store());
  for (const std::string& line : Lines(text)) {
    if (!line.starts_with("# TYPE ") || !line.ends_with(" counter")) continue;
    std::string name = line.substr(7, line.size() - 7 - 8);
    EXPECT_TRUE(name.ends_with("_total")) << name;
    EXPECT_TRUE(name.starts_with("trailhound_")) << name;
  }
}

}  // namespace
}  // namespace trailhound::server
