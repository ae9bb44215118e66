// Cross-checks the signer against botocore: tests/tools/sigv4_botocore_reference.py
// generates requests from a fixed seed (odd paths, queries, headers, bodies, session
// tokens; sqs, sts and s3 with signed and unsigned payloads; presigned URLs), signs them
// with botocore at a frozen time and prints each stage. We sign the very request botocore
// signed, at the same time, and compare every stage.
// What the generator deliberately leaves out (botocore quirks that are not SigV4, e.g. a
// Date header or empty query pieces) is listed, with reasons, in its docstring.
// Needs python3 with botocore; fails (never skips) without them.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "aws/sigv4.h"

namespace trailhound::aws {
namespace {

constexpr size_t kMinHeaderCases = 200;
constexpr size_t kMinPresignCases = 40;

struct CommandOutput {
  std::string out;
  int exit_code = -1;  // -1 when the command did not exit normally
};

CommandOutput RunCommand(const std::string& command) {
  CommandOutput result;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[65536];
  size_t n = 0;
  while ((n = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.out.append(buffer, n);
  const int status = pclose(pipe);
  if (status != -1 && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  return result;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string FromHex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

HttpHeaders ToHeaders(const nlohmann::json& pairs) {
  HttpHeaders headers;
  for (const nlohmann::json& pair : pairs) {
    headers.push_back({pair.at(0).get<std::string>(), pair.at(1).get<std::string>()});
  }
  return headers;
}

// (lower-case name, value) sorted by name; repeated names keep their order.
std::vector<std::pair<std::string, std::string>> Normalized(const HttpHeaders& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const HttpHeader& header : headers) out.emplace_back(Lower(header.name), header.value);
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

bool HasHeader(const HttpHeaders& headers, std::string_view name) {
  return std::any_of(headers.begin(), headers.end(),
                     [&](const HttpHeader& h) { return Lower(h.name) == name; });
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

// A URL as (everything before '?', sorted decoded query parameters): two presigned URLs
// are the same request when these match, whatever the order and encoding of parameters.
std::pair<std::string, std::vector<std::pair<std::string, std::string>>> SplitUrl(
    std::string_view url) {
  const size_t question = url.find('?');
  std::vector<std::pair<std::string, std::string>> params;
  std::string_view query =
      question == std::string_view::npos ? std::string_view() : url.substr(question + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view piece = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const size_t eq = piece.find('=');
    params.emplace_back(PercentDecode(piece.substr(0, eq)),
                        eq == std::string_view::npos ? "" : PercentDecode(piece.substr(eq + 1)));
  }
  std::sort(params.begin(), params.end());
  return {std::string(url.substr(0, question)), params};
}

// Returns "header" or "presign" after checking one case.
std::string CheckCase(const nlohmann::json& c) {
  const nlohmann::json& r = c.at("request");
  HttpRequest request;
  request.method = r.at("method").get<std::string>();
  request.url = r.at("url").get<std::string>();
  request.headers = ToHeaders(r.at("headers"));
  request.body = FromHex(r.at("body_hex").get<std::string>());

  Credentials credentials;
  credentials.access_key_id = c.at("access_key_id").get<std::string>();
  credentials.secret_access_key = Secret(c.at("secret_access_key").get<std::string>());
  credentials.session_token = Secret(c.at("session_token").get<std::string>());

  const bool s3 = c.at("s3").get<bool>();
  SigningOptions options;
  options.region = c.at("region").get<std::string>();
  options.service = c.at("service").get<std::string>();
  options.time =
      std::chrono::system_clock::time_point(std::chrono::seconds(c.at("timestamp").get<int64_t>()));
  options.normalize_path = !s3;
  options.double_encode_path = !s3;
  options.payload =
      c.at("unsigned_payload").get<bool>() ? PayloadSigning::kUnsigned : PayloadSigning::kSignBody;

  const std::string kind = c.at("kind").get<std::string>();
  if (kind == "header") {
    options.add_content_sha256_header = s3;
    const bool had_host = HasHeader(request.headers, "host");
    Result<SignatureStages> stages = SignRequest(request, credentials, options);
    EXPECT_TRUE(stages.ok()) << stages.status().ToString();
    if (!stages.ok()) return kind;
    EXPECT_EQ(stages->canonical_request, c.at("canonical_request").get<std::string>());
    EXPECT_EQ(stages->string_to_sign, c.at("string_to_sign").get<std::string>());
    EXPECT_EQ(stages->signature, c.at("signature").get<std::string>());
    EXPECT_EQ(stages->authorization, c.at("authorization").get<std::string>());
    // botocore leaves Host to its HTTP client; we add it to the request when absent.
    HttpHeaders ours = request.headers;
    if (!had_host) {
      const auto host = std::find_if(ours.begin(), ours.end(),
                                     [](const HttpHeader& h) { return Lower(h.name) == "host"; });
      EXPECT_NE(host, ours.end()) << "SignRequest added no Host header";
      if (host != ours.end()) ours.erase(host);
    }
    EXPECT_EQ(Normalized(ours), Normalized(ToHeaders(c.at("signed_headers"))));
  } else {
    SignatureStages stages;
    Result<std::string> url = PresignUrl(request, credentials, options,
                                         std::chrono::seconds(c.at("expires").get<int>()), &stages);
    EXPECT_TRUE(url.ok()) << url.status().ToString();
    if (!url.ok()) return kind;
    EXPECT_EQ(stages.canonical_request, c.at("canonical_request").get<std::string>());
    EXPECT_EQ(stages.string_to_sign, c.at("string_to_sign").get<std::string>());
    EXPECT_EQ(stages.signature, c.at("signature").get<std::string>());
    // botocore re-encodes the whole query and orders the parameters differently.
    EXPECT_EQ(SplitUrl(*url), SplitUrl(c.at("signed_url").get<std::string>()));
  }
  return kind;
}

TEST(SigV4Botocore, EveryStageMatchesBotocoreOnGeneratedRequests) {
  const std::filesystem::path script = std::filesystem::path(TRAILHOUND_SOURCE_DIR) / "tests" /
                                       "tools" / "sigv4_botocore_reference.py";
  ASSERT_TRUE(std::filesystem::exists(script)) << "Missing the reference generator " << script;
  const std::string command = "python3 '" + script.string() + "'";
  const CommandOutput output = RunCommand(command);
  ASSERT_EQ(output.exit_code, 0)
      << "`" << command << "` failed (exit code " << output.exit_code
      << "). This test needs python3 with botocore installed; see the message above.";

  size_t header_cases = 0;
  size_t presign_cases = 0;
  std::string_view rest = output.out;
  while (!rest.empty()) {
    const size_t end = rest.find('\n');
    const std::string_view line = rest.substr(0, end);
    rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    if (line.empty()) continue;
    const nlohmann::json c = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(c.is_discarded()) << "Not a JSON line from the generator: " << line;
    SCOPED_TRACE("botocore case " + std::to_string(c.value("id", -1)) + ": " + c.value("kind", "") +
                 " " + c.at("request").value("method", "") + " " +
                 c.at("request").value("url", ""));
    if (CheckCase(c) == "header") {
      ++header_cases;
    } else {
      ++presign_cases;
    }
  }
  EXPECT_GE(header_cases, kMinHeaderCases);
  EXPECT_GE(presign_cases, kMinPresignCases);
  std::printf(
      "[          ] checked %zu header-signed and %zu presigned requests against botocore\n",
      header_cases, presign_cases);
}

}  // namespace
}  // namespace trailhound::aws
