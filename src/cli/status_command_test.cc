#include "cli/status_command.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "server/sources_api.h"
#include "testing/local_http_server.h"

namespace trailhound::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

std::vector<sources::SourceStatusSnapshot> Snapshots() {
  sources::SourceStatusSnapshot running;
  running.name = "cloudtrail-main";
  running.state = sources::SourceState::kRunning;
  running.epm = 1520;
  sources::SourceStatusSnapshot degraded;
  degraded.name = "org-trail";
  degraded.state = sources::SourceState::kDegraded;
  degraded.epm = 0;
  degraded.last_error = sources::SourceError{
      "PermissionDenied: Failed to GetObject s3://org-trail-logs/AWSLogs/x.json.gz: Access "
      "Denied (AccessDenied, HTTP 403, request id 4442587FB7D0A2F9)",
      "Allow s3:GetObject on arn:aws:s3:::org-trail-logs/* in the collector's IAM policy, and "
      "check that the bucket policy does not deny it. For SSE-KMS encrypted logs also allow "
      "kms:Decrypt on the trail's KMS key.",
      {}};
  return {running, degraded};
}

nlohmann::json SourcesDocument() { return nlohmann::json::parse(server::SourcesJson(Snapshots())); }

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(StatusTable, OneLinePerSourceWithTheHintWrappedBelow) {
  std::string table = FormatSourcesTable(SourcesDocument(), 100);
  std::vector<std::string> lines = Lines(table);
  ASSERT_GE(lines.size(), 5u) << table;
  EXPECT_THAT(lines[0], StartsWith("NAME             STATUS     EPM  LAST ERROR"));
  EXPECT_THAT(lines[1], StartsWith("cloudtrail-main  Running   1520  -")) << table;
  EXPECT_THAT(lines[2], StartsWith("org-trail        Degraded     0  PermissionDenied:")) << table;
  EXPECT_THAT(table, HasSubstr("hint: Allow s3:GetObject on arn:aws:s3:::org-trail-logs/*"));
  const size_t column = lines[0].find("LAST ERROR");
  bool in_hint = false;
  for (size_t i = 3; i < lines.size(); ++i) {
    EXPECT_LE(lines[i].size(), 100u) << lines[i];
    in_hint = in_hint || lines[i].substr(column).starts_with("hint: ");
    // Error lines under the column, hint lines under the hint's first word.
    const size_t expected =
        in_hint && !lines[i].substr(column).starts_with("hint: ") ? column + 6 : column;
    EXPECT_EQ(lines[i].find_first_not_of(' '), expected) << lines[i];
  }
  EXPECT_TRUE(in_hint) << table;
  EXPECT_THAT(table, HasSubstr("kms:Decrypt"));
}

TEST(StatusTable, ANarrowTerminalPutsTheErrorOnItsOwnLines) {
  std::string table = FormatSourcesTable(SourcesDocument(), 50);
  for (const std::string& line : Lines(table)) {
    EXPECT_LE(line.size(), 50u) << line;
    EXPECT_FALSE(line.ends_with(' ')) << line;
  }
  EXPECT_THAT(table, HasSubstr("\n    PermissionDenied:"));
  EXPECT_THAT(table, HasSubstr("\n    hint: Allow"));
}

TEST(StatusTable, NoSourcesSaysWhere) {
  EXPECT_THAT(FormatSourcesTable(nlohmann::json::array(), 100), HasSubstr("trailhound run"));
}

TEST(StatusTable, FractionalEpmHasOneDecimal) {
  nlohmann::json doc = SourcesDocument();
  doc[0]["epm"] = 12.34;
  EXPECT_THAT(FormatSourcesTable(doc, 100), HasSubstr(" 12.3 "));
}

TEST(FetchSources, ReadsTheSourcesOfARunningServer) {
  testing::LocalHttpServer server;
  server.server().Get("/api/sources", [](const httplib::Request&, httplib::Response& response) {
    response.set_content(server::SourcesJson(Snapshots()), "application/json");
  });
  ASSERT_TRUE(server.Start().ok());
  auto sources = FetchSources("http://127.0.0.1:" + std::to_string(server.port()), 5);
  ASSERT_TRUE(sources.ok()) << sources.status().ToString();
  ASSERT_EQ(sources->size(), 2u);
  EXPECT_EQ((*sources)[1]["status"], "Degraded");
  // Without a scheme, and with a trailing slash.
  EXPECT_TRUE(FetchSources("127.0.0.1:" + std::to_string(server.port()) + "/", 5).ok());
}

TEST(FetchSources, FollowsAPathPrefix) {
  testing::LocalHttpServer server;
  server.server().Get("/trailhound/api/sources",
                      [](const httplib::Request&, httplib::Response& response) {
                        response.set_content("[]", "application/json");
                      });
  ASSERT_TRUE(server.Start().ok());
  auto sources =
      FetchSources("http://127.0.0.1:" + std::to_string(server.port()) + "/trailhound", 5);
  ASSERT_TRUE(sources.ok()) << sources.status().ToString();
  EXPECT_TRUE(sources->empty());
}

TEST(FetchSources, AnUnreachableServerIsUnavailableAndSaysWhatToCheck) {
  int port = 0;
  {
    testing::LocalHttpServer server;  // a port that was free a moment ago, now closed
    ASSERT_TRUE(server.Start().ok());
    port = server.port();
  }
  auto sources = FetchSources("http://127.0.0.1:" + std::to_string(port), 2);
  ASSERT_FALSE(sources.ok());
  EXPECT_EQ(sources.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(sources.status().message(),
              HasSubstr("Cannot reach http://127.0.0.1:" + std::to_string(port) + "/api/sources"));
  EXPECT_THAT(sources.status().message(), HasSubstr("trailhound run"));
}

TEST(FetchSources, AnotherServerIsNotMistakenForTrailhound) {
  testing::LocalHttpServer server;
  server.server().Get("/api/sources", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("{\"hello\": 1}", "application/json");
  });
  ASSERT_TRUE(server.Start().ok());
  const std::string base = "http://127.0.0.1:" + std::to_string(server.port());
  auto wrong_shape = FetchSources(base, 5);
  ASSERT_FALSE(wrong_shape.ok());
  EXPECT_EQ(wrong_shape.status().code(), StatusCode::kFailedPrecondition);
  auto not_found = FetchSources(base + "/elsewhere", 5);
  ASSERT_FALSE(not_found.ok());
  EXPECT_THAT(not_found.status().message(), HasSubstr("HTTP 404"));
}

TEST(FetchSources, RejectsUrlsThatAreNotHttp) {
  auto sources = FetchSources("ftp://example.com", 1);
  ASSERT_FALSE(sources.ok());
  EXPECT_EQ(sources.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace trailhound::cli
