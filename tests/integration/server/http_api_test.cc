// The HTTP API over a real store on a real socket (docs/API.md), and the CLI end to end:
// simulate → ingest → search in every format.
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "core/temp_dir.h"
#include "server/http_server.h"
#include "server/search_api.h"
#include "store/store.h"
#include "testing/command.h"

namespace trailhound {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr int64_t kT0 = 1'714'521'600'000;  // 2024-05-01T00:00:00Z

store::StoredEvent MakeEvent(int n, const std::string& name, const std::string& user) {
  store::StoredEvent event;
  event.time = kT0 + n * 60'000LL;
  event.source = "cloudtrail-main";
  event.category = EventCategory::kCloudServiceActivity;
  event.raw = json{
      {"eventID", "id-" + std::to_string(n)},
      {"eventName", name},
      {"userIdentity", {{"arn", user}}},
      {"n", n}}.dump();
  event.key = store::MakeDedupKey("111122223333", "id-" + std::to_string(n), event.raw);
  return event;
}

class HttpApi : public ::testing::Test {
 protected:
  void SetUp() override {
    store::StoreOptions options;
    options.data_dir = dir_.path();
    options.background = false;
    auto opened = store::Store::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(*opened);
    std::vector<store::StoredEvent> events;
    for (int i = 0; i < 120; ++i) {
      events.push_back(MakeEvent(i, i % 3 == 0 ? "ConsoleLogin" : "GetObject",
                                 i % 2 == 0 ? "arn:aws:iam::111122223333:user/alice"
                                            : "arn:aws:iam::111122223333:user/bob"));
    }
    ASSERT_TRUE(store_->Append(std::span<const store::StoredEvent>(events)).ok());
    server::HttpServerOptions server_options;
    server_options.listen = "127.0.0.1:0";
    server_ = std::make_unique<server::HttpServer>(store_.get(), server_options);
    auto port = server_->Start();
    ASSERT_TRUE(port.ok()) << port.status().ToString();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
  }

  httplib::Result Get(const std::string& path, const httplib::Params& params) {
    return client_->Get(path, params, httplib::Headers{});
  }

  TempDir dir_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<server::HttpServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(HttpApi, SearchReturnsTotalAndNewestEventsFirst) {
  auto response = Get("/api/search", {{"q", "eventName:consolelogin"}, {"limit", "5"}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(response->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response->get_header_value("X-Frame-Options"), "DENY");
  json body = json::parse(response->body);
  EXPECT_EQ(body["total"], 40);
  ASSERT_EQ(body["events"].size(), 5u);
  EXPECT_EQ(body["events"][0]["n"], 117);
  EXPECT_EQ(body["events"][0]["_time"], "2024-05-01T01:57:00.000Z");
  EXPECT_EQ(body["events"][0]["_source"], "cloudtrail-main");
  EXPECT_EQ(body["events"][0]["_category"], "Cloud Service Activity");
  EXPECT_EQ(body["events"][4]["n"], 105);
}

TEST_F(HttpApi, TimeRangeNarrowsTheSearch) {
  auto response = Get(
      "/api/search", {{"q", ""}, {"from", "2024-05-01T00:10:00Z"}, {"to", "2024-05-01T00:20:00Z"}});
  ASSERT_TRUE(response);
  EXPECT_EQ(json::parse(response->body)["total"], 10);
}

TEST_F(HttpApi, StatsQueriesReturnRows) {
  auto response = Get("/api/search", {{"q", "| stats count() by userIdentity.arn | sort -count"}});
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;
  json body = json::parse(response->body);
  EXPECT_EQ(body["columns"], json({"userIdentity.arn", "count"}));
  ASSERT_EQ(body["rows"].size(), 2u);
  EXPECT_EQ(body["rows"][0]["count"], 60);
}

TEST_F(HttpApi, ABadQueryIs400WithThePosition) {
  auto response = Get("/api/search", {{"q", "eventName:"}});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 400);
  json body = json::parse(response->body);
  EXPECT_EQ(body["position"], 10);
  EXPECT_EQ(body["error"], "expected a value after 'eventName:' at position 10");
}

TEST_F(HttpApi, BadParametersAre400WithoutAPosition) {
  for (const auto& params :
       {httplib::Params{{"q", ""}, {"limit", "0"}}, httplib::Params{{"q", ""}, {"limit", "x"}},
        httplib::Params{{"q", ""}, {"from", "yesterday"}}}) {
    auto response = Get("/api/search", params);
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 400);
    EXPECT_EQ(json::parse(response->body)["position"], -1);
  }
}

TEST_F(HttpApi, HistogramCountsTheFilterPerBucket) {
  auto response = Get("/api/histogram", {{"q", "eventName:GetObject | head 1"},
                                         {"from", "2024-05-01T00:00:00Z"},
                                         {"to", "2024-05-01T02:00:00Z"},
                                         {"buckets", "4"}});
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;
  json body = json::parse(response->body);
  EXPECT_EQ(body["span_ms"], 1'800'000);
  EXPECT_EQ(body["total"], 80);
  ASSERT_EQ(body["rows"].size(), 4u);
  int64_t sum = 0;
  for (const auto& row : body["rows"]) sum += row["count"].get<int64_t>();
  EXPECT_EQ(sum, 80);
  EXPECT_EQ(body["rows"][0]["_time"], "2024-05-01T00:00:00.000Z");
}

TEST_F(HttpApi, UnknownPathsAre404Json) {
  auto response = Get("/api/nothing", {});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(json::parse(response->body)["error"], "not found");
}

TEST_F(HttpApi, OffsetPagesThroughTheNewestEvents) {
  auto first = Get("/api/search", {{"q", "eventName:ConsoleLogin"}, {"limit", "5"}});
  auto second =
      Get("/api/search", {{"q", "eventName:ConsoleLogin"}, {"limit", "5"}, {"offset", "5"}});
  ASSERT_TRUE(first && second);
  json a = json::parse(first->body);
  json b = json::parse(second->body);
  EXPECT_EQ(b["total"], 40);
  ASSERT_EQ(b["events"].size(), 5u);
  EXPECT_EQ(a["events"][4]["n"], 105);
  EXPECT_EQ(b["events"][0]["n"], 102);  // the next ConsoleLogin, no gap, no overlap
  auto beyond = Get("/api/search", {{"q", ""}, {"limit", "10"}, {"offset", "115"}});
  ASSERT_TRUE(beyond);
  EXPECT_EQ(json::parse(beyond->body)["events"].size(), 5u);
  auto too_far = Get("/api/search", {{"q", ""}, {"limit", "10"}, {"offset", "99995"}});
  ASSERT_TRUE(too_far);
  EXPECT_EQ(too_far->status, 400);
}

TEST_F(HttpApi, ExportsCsvAndNdjsonAsDownloads) {
  auto csv = Get("/api/search", {{"q", "eventName:ConsoleLogin"}, {"format", "csv"}});
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(csv->get_header_value("Content-Disposition"),
            "attachment; filename=\"trailhound-search.csv\"");
  // Every match (export limit), header first.
  EXPECT_EQ(std::count(csv->body.begin(), csv->body.end(), '\n'), 41);
  EXPECT_TRUE(csv->body.starts_with("time,eventName,eventSource,user,"));
  auto ndjson =
      Get("/api/search", {{"q", "eventName:ConsoleLogin"}, {"format", "ndjson"}, {"limit", "3"}});
  ASSERT_TRUE(ndjson);
  EXPECT_EQ(ndjson->get_header_value("Content-Type"), "application/x-ndjson");
  EXPECT_EQ(std::count(ndjson->body.begin(), ndjson->body.end(), '\n'), 3);
  EXPECT_EQ(json::parse(ndjson->body.substr(0, ndjson->body.find('\n')))["n"], 117);
  auto bad = Get("/api/search", {{"q", ""}, {"format", "table"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(HttpApi, FieldsCountsTopValuesOfTheFilter) {
  auto response = Get("/api/fields", {{"q", "eventName:GetObject | stats count()"},
                                      {"fields", "userIdentity.arn,eventName,_source,absent"}});
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;
  json body = json::parse(response->body);
  EXPECT_EQ(body["sampled"], 80);  // the pipe stage is ignored: the filter's events
  EXPECT_EQ(body["total"], 80);
  ASSERT_EQ(body["fields"].size(), 4u);
  const json& users = body["fields"][0];
  EXPECT_EQ(users["field"], "userIdentity.arn");
  EXPECT_EQ(users["present"], 80);
  EXPECT_EQ(users["distinct"], 2);
  // i % 3 != 0: alice (even i) 40, bob (odd i) 40; ties by value.
  EXPECT_EQ(users["values"][0],
            json({{"value", "arn:aws:iam::111122223333:user/alice"}, {"count", 40}}));
  EXPECT_EQ(body["fields"][1]["values"], json::array({{{"value", "GetObject"}, {"count", 80}}}));
  EXPECT_EQ(body["fields"][2]["values"][0]["value"], "cloudtrail-main");
  EXPECT_EQ(body["fields"][3]["present"], 0);
  auto sampled = Get("/api/fields", {{"q", ""}, {"sample", "10"}});
  ASSERT_TRUE(sampled);
  json small = json::parse(sampled->body);
  EXPECT_EQ(small["sampled"], 10);
  EXPECT_EQ(small["total"], 120);
  EXPECT_EQ(small["fields"].size(), server::DefaultSidebarFields().size());
  auto bad = Get("/api/fields", {{"q", ""}, {"fields", "a,,b"}});
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
}

TEST_F(HttpApi, ServesTheEmbeddedUi) {
  auto index = Get("/", {});
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index->body.find("<title>"), std::string::npos);
  EXPECT_NE(index->get_header_value("Content-Security-Policy").find("script-src 'self'"),
            std::string::npos);
  auto deep = Get("/search", {});  // a UI address reloaded: the index again
  ASSERT_TRUE(deep);
  EXPECT_EQ(deep->body, index->body);
  auto missing = Get("/js/nothing.js", {});
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

// An empty store in a temp dir, for the tests that start a server of their own.
struct EmptyStore {
  EmptyStore() {
    store::StoreOptions options;
    options.data_dir = dir.path();
    options.background = false;
    auto opened = store::Store::Open(options);
    EXPECT_TRUE(opened.ok()) << opened.status().ToString();
    if (opened.ok()) store = std::move(*opened);
  }
  TempDir dir;
  std::unique_ptr<store::Store> store;  // nullptr when it could not be opened
};

TEST_F(HttpApi, UnknownSourceIs404) {
  auto response = Get("/api/sources/nope", {});
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 404);
  EXPECT_EQ(json::parse(response->body)["error"], "no source named 'nope'");
}

TEST(HttpAccess, ATokenProtectsTheApiButNotTheUiOrHealth) {
  EmptyStore empty;
  ASSERT_NE(empty.store, nullptr);
  server::HttpServerOptions server_options;
  server_options.listen = "127.0.0.1:0";
  server_options.token = Secret("correct-horse-battery-staple");
  server::HttpServer server(empty.store.get(), server_options);
  auto port = server.Start();
  ASSERT_TRUE(port.ok()) << port.status().ToString();
  httplib::Client client("127.0.0.1", *port);

  auto refused = client.Get("/api/search?q=");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 401);
  EXPECT_EQ(refused->get_header_value("WWW-Authenticate"), "Bearer");
  EXPECT_EQ(client.Get("/metrics")->status, 401);
  EXPECT_EQ(client.Get("/api/health")->status, 200);
  EXPECT_EQ(client.Get("/")->status, 200);
  EXPECT_EQ(client.Get("/api/search?q=", {{"Authorization", "Bearer wrong"}})->status, 401);
  EXPECT_EQ(
      client.Get("/api/search?q=", {{"Authorization", "Bearer correct-horse-battery-staple"}})
          ->status,
      200);
  EXPECT_EQ(json::parse(client.Get("/api/session")->body),
            json({{"auth_required", true}, {"authenticated", false}}));

  // Logging in: the CSRF header is required, a wrong token is refused, the cookie works.
  const std::string login = R"({"token":"correct-horse-battery-staple"})";
  EXPECT_EQ(client.Post("/api/session", login, "application/json")->status, 403);
  httplib::Headers csrf = {{"X-Trailhound-Request", "1"}};
  EXPECT_EQ(client.Post("/api/session", csrf, R"({"token":"nope"})", "application/json")->status,
            401);
  httplib::Headers foreign = {{"X-Trailhound-Request", "1"}, {"Origin", "http://evil.example"}};
  EXPECT_EQ(client.Post("/api/session", foreign, login, "application/json")->status, 403);
  auto ok = client.Post("/api/session", csrf, login, "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 204);
  std::string cookie = ok->get_header_value("Set-Cookie");
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
  EXPECT_EQ(cookie.find("correct-horse"), std::string::npos);  // not the token itself
  std::string pair = cookie.substr(0, cookie.find(';'));
  EXPECT_EQ(client.Get("/api/search?q=", {{"Cookie", pair}})->status, 200);
  EXPECT_EQ(json::parse(client.Get("/api/session", {{"Cookie", pair}})->body)["authenticated"],
            true);
  EXPECT_EQ(client.Get("/api/search?q=", {{"Cookie", "trailhound_session=forged"}})->status, 401);
}

TEST(HttpSourceTest, PostRunsTheChecklistWithTheCsrfHeader) {
  EmptyStore empty;
  ASSERT_NE(empty.store, nullptr);
  server::HttpServerOptions server_options;
  server_options.listen = "127.0.0.1:0";
  int runs = 0;
  server_options.test_source =
      [&runs](const std::string& name) -> std::optional<sources::DoctorReport> {
    if (name != "cloudtrail-main") return std::nullopt;
    ++runs;
    sources::DoctorReport report{name, {}};
    report.checks.push_back({"credentials", "Credentials are valid", sources::CheckResult::kPass,
                             "arn:aws:iam::1:user/x", ""});
    report.checks.push_back({"object", "The object it names is readable",
                             sources::CheckResult::kFail, "AccessDenied", "Allow s3:GetObject"});
    return report;
  };
  server::HttpServer server(empty.store.get(), server_options);
  auto port = server.Start();
  ASSERT_TRUE(port.ok());
  httplib::Client client("127.0.0.1", *port);
  EXPECT_EQ(client.Post("/api/sources/cloudtrail-main/test", "", "application/json")->status, 403);
  EXPECT_EQ(runs, 0);
  httplib::Headers csrf = {{"X-Trailhound-Request", "1"}};
  auto response = client.Post("/api/sources/cloudtrail-main/test", csrf, "", "application/json");
  ASSERT_TRUE(response);
  ASSERT_EQ(response->status, 200) << response->body;
  json body = json::parse(response->body);
  EXPECT_EQ(body["ok"], false);
  EXPECT_EQ(body["checks"][1]["result"], "fail");
  EXPECT_EQ(body["checks"][1]["fix"], "Allow s3:GetObject");
  EXPECT_EQ(client.Post("/api/sources/other/test", csrf, "", "application/json")->status, 404);
  EXPECT_EQ(runs, 1);
}

TEST(HttpAccess, RefusesToListenBeyondLoopbackWithoutAToken) {
  EmptyStore empty;
  ASSERT_NE(empty.store, nullptr);
  server::HttpServerOptions server_options;
  server_options.listen = "0.0.0.0:0";
  server::HttpServer server(empty.store.get(), server_options);
  auto port = server.Start();
  ASSERT_FALSE(port.ok());
  EXPECT_EQ(port.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(port.status().message().find("token"), std::string::npos);
}

// ---- the CLI ----

using testing::CommandRun;
using testing::RunCommand;

TEST(Cli, SimulateIngestAndSearchInEveryFormat) {
  TempDir dir;
  const std::string bin = TRAILHOUND_BINARY;
  const std::string logs = dir.path() + "/logs";
  const std::string data = dir.path() + "/data";
  CommandRun simulate = RunCommand(bin + " simulate --events 2000 --seed 7 --out " + logs);
  ASSERT_EQ(simulate.status, 0) << simulate.out;
  CommandRun ingest = RunCommand(bin + " ingest " + logs + " --data-dir " + data);
  ASSERT_EQ(ingest.status, 0) << ingest.out;
  EXPECT_NE(ingest.out.find("2000 events stored"), std::string::npos) << ingest.out;
  CommandRun again = RunCommand(bin + " ingest " + logs + " --data-dir " + data);
  ASSERT_EQ(again.status, 0) << again.out;
  EXPECT_NE(again.out.find("0 events stored, 2000 duplicates skipped"), std::string::npos)
      << again.out;

  CommandRun ndjson =
      RunCommand(bin + " search '' --limit 5000 --format ndjson --data-dir " + data);
  ASSERT_EQ(ndjson.status, 0) << ndjson.out;
  EXPECT_EQ(std::count(ndjson.out.begin(), ndjson.out.end(), '\n'), 2000);
  json first = json::parse(ndjson.out.substr(0, ndjson.out.find('\n')));
  EXPECT_TRUE(first.contains("eventID"));
  EXPECT_EQ(first["_source"], "local");

  CommandRun stats = RunCommand(
      bin + " search '| stats count() by recipientAccountId' --format json --data-dir " + data);
  ASSERT_EQ(stats.status, 0) << stats.out;
  json rows = json::parse(stats.out)["rows"];
  int64_t total = 0;
  for (const auto& row : rows) total += row["count"].get<int64_t>();
  EXPECT_EQ(total, 2000);

  CommandRun csv = RunCommand(
      bin + " search 'eventName:ConsoleLogin' --limit 3 --format csv --data-dir " + data);
  ASSERT_EQ(csv.status, 0) << csv.out;
  EXPECT_EQ(
      csv.out.rfind("time,eventName,eventSource,user,sourceIPAddress,awsRegion,errorCode\r\n", 0),
      0u)
      << csv.out;

  CommandRun table = RunCommand(bin + " search 'errorCode:*' --limit 3 --data-dir " + data);
  ASSERT_EQ(table.status, 0) << table.out;
  EXPECT_NE(table.out.find("matching events"), std::string::npos) << table.out;

  CommandRun bad = RunCommand(bin + " search 'eventName:' --data-dir " + data);
  EXPECT_EQ(bad.status, 1);
  EXPECT_NE(bad.out.find("at position 10"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("          ^"), std::string::npos) << bad.out;

  CommandRun missing = RunCommand(bin + " search '' --data-dir " + dir.path() + "/nothing");
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.out.find("no store"), std::string::npos) << missing.out;
}

}  // namespace
}  // namespace trailhound
