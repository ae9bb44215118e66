#include "server/sources_api.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace trailhound::server {
namespace {

using nlohmann::json;
using std::chrono::system_clock;

const system_clock::time_point kStart{std::chrono::seconds(1735729200)};  // 2025-01-01T11:00Z

sources::SourceStatusSnapshot Idle() {
  sources::SourceStatusSnapshot s;
  s.name = "cloudtrail-main";
  s.state = sources::SourceState::kStarting;
  s.epm_series.assign(60, 0);
  s.started_at = kStart;
  return s;
}

sources::SourceStatusSnapshot Busy() {
  sources::SourceStatusSnapshot s = Idle();
  s.state = sources::SourceState::kDegraded;
  s.epm = 1520;
  s.epm_series.back() = 1520;
  s.counters.messages_received = 812;
  s.counters.messages_deleted = 809;
  s.counters.objects_fetched = 1610;
  s.counters.bytes_fetched = 48211234;
  s.counters.events_stored = 211034;
  s.counters.events_duplicate = 310;
  s.counters.visibility_extensions = 4;
  s.counters.errors = {{"AccessDenied", 2}};
  s.lag.message_p50_secs = 1.25;
  s.lag.message_p95_secs = 4.75;
  s.queue = sources::QueueDepth{3, 8, 0, kStart + std::chrono::hours(1)};
  sources::SourceError first{"NotFound: gone", "", kStart + std::chrono::minutes(1)};
  sources::SourceError last{"PermissionDenied: Failed to GetObject s3://b/k: Access Denied",
                            "Allow s3:GetObject on arn:aws:s3:::b/*",
                            kStart + std::chrono::minutes(2)};
  s.recent_errors = {first, last};
  s.last_error = last;
  return s;
}

TEST(SourcesJson, NoSourcesIsAnEmptyArray) { EXPECT_EQ(SourcesJson({}), "[]"); }

TEST(SourcesJson, AnIdleSourceHasEveryKeyWithNullsForWhatIsUnknown) {
  json doc = json::parse(SourcesJson({Idle()}));
  ASSERT_TRUE(doc.is_array());
  ASSERT_EQ(doc.size(), 1u);
  const json& s = doc[0];
  for (const char* key :
       {"name", "status", "epm", "last_error", "hint", "last_error_at", "epm_series", "counters",
        "errors", "lag", "queue", "recent_errors", "started_at"}) {
    EXPECT_TRUE(s.contains(key)) << key;
  }
  EXPECT_EQ(s["name"], "cloudtrail-main");
  EXPECT_EQ(s["status"], "Starting");
  EXPECT_EQ(s["epm"], 0);
  EXPECT_TRUE(s["last_error"].is_null());
  EXPECT_TRUE(s["hint"].is_null());
  EXPECT_TRUE(s["last_error_at"].is_null());
  EXPECT_TRUE(s["queue"].is_null());
  EXPECT_EQ(s["epm_series"].size(), 60u);
  EXPECT_TRUE(s["errors"].is_object());
  EXPECT_TRUE(s["errors"].empty());
  EXPECT_TRUE(s["recent_errors"].is_array());
  EXPECT_TRUE(s["recent_errors"].empty());
  for (const char* lag :
       {"message_p50_secs", "message_p95_secs", "event_p50_secs", "event_p95_secs"}) {
    EXPECT_TRUE(s["lag"][lag].is_null()) << lag;
  }
  EXPECT_EQ(s["counters"].size(), 12u);
  EXPECT_EQ(s["started_at"], "2025-01-01T11:00:00.000Z");
}

TEST(SourcesJson, ABusySourceReportsItsCountersLagQueueAndLastError) {
  json s = json::parse(SourcesJson({Busy()}))[0];
  EXPECT_EQ(s["status"], "Degraded");
  EXPECT_EQ(s["epm"], 1520);
  EXPECT_EQ(s["epm_series"][59], 1520);
  EXPECT_EQ(s["last_error"], "PermissionDenied: Failed to GetObject s3://b/k: Access Denied");
  EXPECT_EQ(s["hint"], "Allow s3:GetObject on arn:aws:s3:::b/*");
  EXPECT_EQ(s["last_error_at"], "2025-01-01T11:02:00.000Z");
  EXPECT_EQ(s["counters"]["messages_received"], 812);
  EXPECT_EQ(s["counters"]["bytes_fetched"], 48211234);
  EXPECT_EQ(s["counters"]["events_stored"], 211034);
  EXPECT_EQ(s["counters"]["visibility_extensions"], 4);
  EXPECT_EQ(s["errors"], json({{"AccessDenied", 2}}));
  EXPECT_EQ(s["lag"]["message_p50_secs"], 1.25);
  EXPECT_EQ(s["lag"]["message_p95_secs"], 4.75);
  EXPECT_TRUE(s["lag"]["event_p50_secs"].is_null());
  EXPECT_EQ(s["queue"], json({{"visible", 3},
                              {"in_flight", 8},
                              {"delayed", 0},
                              {"measured_at", "2025-01-01T12:00:00.000Z"}}));
  ASSERT_EQ(s["recent_errors"].size(), 2u);
  EXPECT_EQ(s["recent_errors"][0]["message"], "NotFound: gone");
  EXPECT_TRUE(s["recent_errors"][0]["hint"].is_null());
  EXPECT_EQ(s["recent_errors"][0]["at"], "2025-01-01T11:01:00.000Z");
  EXPECT_EQ(s["recent_errors"][1]["hint"], "Allow s3:GetObject on arn:aws:s3:::b/*");
}

TEST(SourcesJson, AnErrorWithoutAHintHasANullHint) {
  sources::SourceStatusSnapshot s = Idle();
  s.last_error = sources::SourceError{"Internal: a bug", "", kStart};
  json doc = json::parse(SourcesJson({s}))[0];
  EXPECT_EQ(doc["last_error"], "Internal: a bug");
  EXPECT_TRUE(doc["hint"].is_null());
}

TEST(SourcesJson, EverySourceInOrder) {
  sources::SourceStatusSnapshot second = Idle();
  second.name = "cloudtrail-audit";
  second.state = sources::SourceState::kStopped;
  json doc = json::parse(SourcesJson({Busy(), second}));
  ASSERT_EQ(doc.size(), 2u);
  EXPECT_EQ(doc[0]["name"], "cloudtrail-main");
  EXPECT_EQ(doc[1]["name"], "cloudtrail-audit");
  EXPECT_EQ(doc[1]["status"], "Stopped");
}

TEST(SourcesJson, InvalidUtf8InAMessageIsReplacedNotThrown) {
  sources::SourceStatusSnapshot s = Idle();
  s.last_error = sources::SourceError{"NotFound: s3://b/caf\xE9.json.gz is gone", "", kStart};
  std::string text;
  ASSERT_NO_THROW(text = SourcesJson({s}));
  json doc = json::parse(text)[0];
  EXPECT_EQ(doc["last_error"], "NotFound: s3://b/caf\xEF\xBF\xBD.json.gz is gone");
}

TEST(SourcesJson, QuotesAndControlCharactersAreEscaped) {
  sources::SourceStatusSnapshot s = Idle();
  s.name = "a\"b";
  s.last_error = sources::SourceError{"line1\nline2\t\"x\"", "", kStart};
  json doc = json::parse(SourcesJson({s}))[0];
  EXPECT_EQ(doc["name"], "a\"b");
  EXPECT_EQ(doc["last_error"], "line1\nline2\t\"x\"");
}

TEST(SourceDetailJson, TheSourcePlusItsSettings) {
  json detail =
      json::parse(SourceDetailJson(Busy(), {{"queue_url", "https://sqs.example/1/q"},
                                            {"credentials.secret_access_key", "<redacted>"}}));
  json listed = json::parse(SourcesJson({Busy()}))[0];
  json config = detail["config"];
  detail.erase("config");
  EXPECT_EQ(detail, listed);
  EXPECT_EQ(config, json({{"queue_url", "https://sqs.example/1/q"},
                          {"credentials.secret_access_key", "<redacted>"}}));
}

}  // namespace
}  // namespace trailhound::server
