// Checks the signer against both AWS SigV4 test suites in
// shared/corpora/sigv4-test-suite (see SOURCE.md there) stage by stage, plus the S3 rules
// and edge cases the suites do not cover.
#include "aws/sigv4.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace trailhound::aws {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;
using std::chrono::system_clock;

// The suites as vendored; a moved or emptied corpus must fail, not pass vacuously.
constexpr size_t kExpectedV4Cases = 38;
constexpr size_t kExpected2015Cases = 31;

const fs::path& CorpusDir() {
  static const fs::path dir = fs::path(TRAILHOUND_SHARED_DIR) / "corpora" / "sigv4-test-suite";
  return dir;
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream content;
  content << in.rdbuf();
  return content.str();
}

// The file's content; an empty string and a test failure when it is missing.
std::string ReadExpected(const fs::path& path) {
  std::optional<std::string> content = ReadFile(path);
  if (!content) {
    ADD_FAILURE() << "Missing test vector " << path;
    return "";
  }
  return *content;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// How a .req/request.txt continuation line (one starting with whitespace) is read.
enum class Continuation {
  // Part of the previous header's value, joined by the line break (obs-fold). The current
  // aws-c-auth suite expects "value1 value2 value3", as botocore produces.
  kFoldIntoValue,
  // Another value of the previous header. The 2015 suite was generated this way and
  // expects "value1,value2,value3".
  kRepeatHeader,
};

struct ParsedRequest {
  std::string method;
  std::string target;  // path and query, exactly as on the request line
  HttpHeaders headers;
  std::string body;
};

// Parses "METHOD target HTTP/1.1\nName:value\n...\n\nbody". The target may contain
// spaces (the get-space cases), so it runs up to the last space of the request line.
ParsedRequest ParseHttpRequest(std::string_view text, Continuation continuation) {
  ParsedRequest request;
  auto next_line = [&text]() {
    const size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    return line;
  };
  const std::string_view request_line = next_line();
  const size_t first_space = request_line.find(' ');
  const size_t last_space = request_line.rfind(' ');
  request.method = request_line.substr(0, first_space);
  request.target = request_line.substr(first_space + 1, last_space - first_space - 1);
  while (!text.empty()) {
    const std::string_view line = next_line();
    if (line.empty()) {
      request.body = text;
      break;
    }
    if ((line.front() == ' ' || line.front() == '\t') && !request.headers.empty()) {
      if (continuation == Continuation::kFoldIntoValue) {
        request.headers.back().value += '\n';
        request.headers.back().value += line;
      } else {
        request.headers.push_back({request.headers.back().name, std::string(TrimView(line))});
      }
      continue;
    }
    const size_t colon = line.find(':');
    request.headers.push_back(
        {std::string(line.substr(0, colon)), std::string(line.substr(colon + 1))});
  }
  return request;
}

std::string HeaderValue(const HttpHeaders& headers, std::string_view name) {
  for (const HttpHeader& header : headers) {
    if (Lower(header.name) == Lower(name)) return header.value;
  }
  return "";
}

// Headers as (lower-case name, trimmed value), sorted by name; repeated names keep their
// order. Header order on the wire carries no meaning.
std::vector<std::pair<std::string, std::string>> Normalized(const HttpHeaders& headers) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const HttpHeader& header : headers) {
    out.emplace_back(Lower(header.name), std::string(TrimView(header.value)));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

HttpRequest ToHttpRequest(const ParsedRequest& parsed) {
  HttpRequest request;
  request.method = parsed.method;
  request.url =
      "https://" + std::string(TrimView(HeaderValue(parsed.headers, "host"))) + parsed.target;
  request.headers = parsed.headers;
  request.body = parsed.body;
  return request;
}

system_clock::time_point ParseIsoTime(const std::string& text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  EXPECT_EQ(
      std::sscanf(text.c_str(), "%d-%d-%dT%d:%d:%dZ", &year, &month, &day, &hour, &minute, &second),
      6)
      << text;
  const std::chrono::sys_days date = std::chrono::year(year) / month / day;
  return date + std::chrono::hours(hour) + std::chrono::minutes(minute) + seconds(second);
}

system_clock::time_point SuiteTime() { return ParseIsoTime("2015-08-30T12:36:00Z"); }

Credentials SuiteCredentials(std::string token = "") {
  Credentials credentials;
  credentials.access_key_id = "AKIDEXAMPLE";
  credentials.secret_access_key = Secret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  credentials.session_token = Secret(std::move(token));
  return credentials;
}

std::vector<fs::path> SortedCaseDirs(const fs::path& root, bool recursive) {
  std::vector<fs::path> dirs;
  std::error_code error;
  if (recursive) {
    for (auto it = fs::recursive_directory_iterator(root, error);
         !error && it != fs::recursive_directory_iterator(); it.increment(error)) {
      if (it->path().extension() == ".req") dirs.push_back(it->path().parent_path());
    }
  } else {
    for (auto it = fs::directory_iterator(root, error); !error && it != fs::directory_iterator();
         it.increment(error)) {
      if (it->is_directory()) dirs.push_back(it->path());
    }
  }
  std::sort(dirs.begin(), dirs.end());
  return dirs;
}

// ---------------------------------------------------------------------------------------
// Suite 1: aws-c-auth's aws-signing-test-suite/v4 (header and query signing).

void CheckAwsSigningCase(const fs::path& dir) {
  const std::optional<std::string> context_text = ReadFile(dir / "context.json");
  ASSERT_TRUE(context_text.has_value()) << "Missing " << dir / "context.json";
  const nlohmann::json context = nlohmann::json::parse(*context_text);
  const nlohmann::json& creds = context.at("credentials");

  Credentials credentials = SuiteCredentials(creds.value("token", ""));
  credentials.access_key_id = creds.at("access_key_id").get<std::string>();
  credentials.secret_access_key = Secret(creds.at("secret_access_key").get<std::string>());

  SigningOptions options;
  options.region = context.at("region").get<std::string>();
  options.service = context.at("service").get<std::string>();
  options.time = ParseIsoTime(context.at("timestamp").get<std::string>());
  options.normalize_path = context.at("normalize").get<bool>();
  options.double_encode_path = true;  // the suite's "service" is not S3
  // sign_body: the suite adds and signs x-amz-content-sha256 (header signing only).
  options.add_content_sha256_header = context.at("sign_body").get<bool>();
  options.omit_session_token = context.value("omit_session_token", false);

  const ParsedRequest parsed =
      ParseHttpRequest(ReadExpected(dir / "request.txt"), Continuation::kFoldIntoValue);
  const HttpRequest unsigned_request = ToHttpRequest(parsed);

  {
    SCOPED_TRACE("header signing");
    HttpRequest request = unsigned_request;
    Result<SignatureStages> stages = SignRequest(request, credentials, options);
    ASSERT_TRUE(stages.ok()) << stages.status().ToString();
    EXPECT_EQ(stages->canonical_request, ReadExpected(dir / "header-canonical-request.txt"));
    EXPECT_EQ(stages->string_to_sign, ReadExpected(dir / "header-string-to-sign.txt"));
    EXPECT_EQ(stages->signature, ReadExpected(dir / "header-signature.txt"));

    const ParsedRequest expected = ParseHttpRequest(ReadExpected(dir / "header-signed-request.txt"),
                                                    Continuation::kFoldIntoValue);
    EXPECT_EQ(stages->authorization, TrimView(HeaderValue(expected.headers, "authorization")));
    EXPECT_EQ(request.method, expected.method);
    EXPECT_EQ(request.url, "https://example.amazonaws.com" + expected.target);
    EXPECT_EQ(Normalized(request.headers), Normalized(expected.headers));
    EXPECT_EQ(request.body, expected.body);
  }
  {
    SCOPED_TRACE("query signing");
    SignatureStages stages;
    Result<std::string> url =
        PresignUrl(unsigned_request, credentials, options,
                   seconds(context.at("expiration_in_seconds").get<int>()), &stages);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    EXPECT_EQ(stages.canonical_request, ReadExpected(dir / "query-canonical-request.txt"));
    EXPECT_EQ(stages.string_to_sign, ReadExpected(dir / "query-string-to-sign.txt"));
    EXPECT_EQ(stages.signature, ReadExpected(dir / "query-signature.txt"));
    EXPECT_TRUE(stages.authorization.empty());

    const ParsedRequest expected = ParseHttpRequest(ReadExpected(dir / "query-signed-request.txt"),
                                                    Continuation::kFoldIntoValue);
    EXPECT_EQ(*url, "https://example.amazonaws.com" + expected.target);
    // A presigned request is sent with its own headers, unchanged.
    EXPECT_EQ(Normalized(unsigned_request.headers), Normalized(expected.headers));
  }
}

TEST(SigV4AwsSigningTestSuite, EveryV4CaseMatchesStageByStage) {
  const fs::path root = CorpusDir() / "aws-signing-test-suite" / "v4";
  const std::vector<fs::path> cases = SortedCaseDirs(root, /*recursive=*/false);
  for (const fs::path& dir : cases) {
    SCOPED_TRACE("case " + dir.filename().string());
    CheckAwsSigningCase(dir);
  }
  EXPECT_GE(cases.size(), kExpectedV4Cases) << "The v4 suite is incomplete or moved: " << root;
  std::printf("[          ] checked %zu aws-signing-test-suite v4 cases\n", cases.size());
}

// ---------------------------------------------------------------------------------------
// Suite 2: the original 2015 aws-sig-v4-test-suite (.req/.creq/.sts/.authz/.sreq).

void Check2015Case(const fs::path& dir) {
  const std::string name = dir.filename().string();
  const fs::path base = dir / name;
  const ParsedRequest parsed =
      ParseHttpRequest(ReadExpected(base.string() + ".req"), Continuation::kRepeatHeader);
  const ParsedRequest expected =
      ParseHttpRequest(ReadExpected(base.string() + ".sreq"), Continuation::kRepeatHeader);

  // post-sts-token/readme.txt: both cases sign with a session token; in
  // post-sts-header-after it is added to the request only after signing.
  const std::string token = HeaderValue(expected.headers, "x-amz-security-token");
  const Credentials credentials = SuiteCredentials(token);
  SigningOptions options;
  options.region = "us-east-1";
  options.service = "service";
  options.time = SuiteTime();
  options.omit_session_token = name == "post-sts-header-after";

  HttpRequest request = ToHttpRequest(parsed);
  Result<SignatureStages> stages = SignRequest(request, credentials, options);
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  EXPECT_EQ(stages->canonical_request, ReadExpected(base.string() + ".creq"));
  EXPECT_EQ(stages->string_to_sign, ReadExpected(base.string() + ".sts"));
  const std::string authorization = ReadExpected(base.string() + ".authz");
  EXPECT_EQ(stages->authorization, authorization);
  const size_t at = authorization.rfind("Signature=");
  ASSERT_NE(at, std::string::npos) << authorization;
  EXPECT_EQ(stages->signature, authorization.substr(at + 10));

  EXPECT_EQ(request.method, expected.method);
  EXPECT_EQ(request.url, "https://example.amazonaws.com" + expected.target);
  EXPECT_EQ(Normalized(request.headers), Normalized(expected.headers));
  EXPECT_EQ(request.body, expected.body);
}

TEST(SigV4AwsTestSuite2015, EveryCaseIncludingSubfoldersMatchesStageByStage) {
  const fs::path root = CorpusDir() / "aws-sig-v4-test-suite-2015";
  const std::vector<fs::path> cases = SortedCaseDirs(root, /*recursive=*/true);
  bool saw_normalize_path = false;
  bool saw_sts_token = false;
  for (const fs::path& dir : cases) {
    const std::string relative = fs::relative(dir, root).string();
    SCOPED_TRACE("case " + relative);
    saw_normalize_path |= relative.starts_with("normalize-path/");
    saw_sts_token |= relative.starts_with("post-sts-token/");
    Check2015Case(dir);
  }
  EXPECT_GE(cases.size(), kExpected2015Cases) << "The 2015 suite is incomplete or moved: " << root;
  EXPECT_TRUE(saw_normalize_path);
  EXPECT_TRUE(saw_sts_token);
  std::printf("[          ] checked %zu aws-sig-v4-test-suite-2015 cases\n", cases.size());
}

// ---------------------------------------------------------------------------------------
// What the suites do not cover.

SigningOptions ServiceOptions() {
  SigningOptions options;
  options.region = "us-east-1";
  options.service = "service";
  options.time = SuiteTime();
  return options;
}

SigningOptions S3Options(PayloadSigning payload) {
  SigningOptions options = ServiceOptions();
  options.service = "s3";
  options.normalize_path = false;
  options.double_encode_path = false;
  options.payload = payload;
  options.add_content_sha256_header = true;
  return options;
}

// The canonical request's line `index` (0: method, 1: path, 2: query, ...).
std::string CanonicalLine(const std::string& canonical_request, size_t index) {
  std::istringstream in(canonical_request);
  std::string line;
  for (size_t i = 0; i <= index; ++i) std::getline(in, line);
  return line;
}

Result<SignatureStages> Sign(std::string url, const SigningOptions& options,
                             HttpHeaders headers = {}) {
  HttpRequest request;
  request.url = std::move(url);
  request.headers = std::move(headers);
  return SignRequest(request, SuiteCredentials(), options);
}

TEST(UriEncode, KeepsOnlyUnreservedBytesAndOptionallySlash) {
  EXPECT_EQ(UriEncode("AZaz09-_.~", false), "AZaz09-_.~");
  EXPECT_EQ(UriEncode("a b+c%d/e=f&g", false), "a%20b%2Bc%25d%2Fe%3Df%26g");
  EXPECT_EQ(UriEncode("a b/c", true), "a%20b/c");
  EXPECT_EQ(UriEncode("\xE1\x88\xB4", false), "%E1%88%B4");
  EXPECT_EQ(UriEncode("", true), "");
}

TEST(SignRequest, S3SignsThePathAsGivenAndUnsignedPayloadHeader) {
  HttpRequest request;
  request.url = "https://bucket.s3.us-east-1.amazonaws.com/a//b/../c%20d/./e%2Bf";
  Result<SignatureStages> stages =
      SignRequest(request, SuiteCredentials(), S3Options(PayloadSigning::kUnsigned));
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  EXPECT_EQ(CanonicalLine(stages->canonical_request, 1), "/a//b/../c%20d/./e%2Bf");
  EXPECT_TRUE(stages->canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
  EXPECT_EQ(stages->signed_headers, "host;x-amz-content-sha256;x-amz-date");
  EXPECT_EQ(HeaderValue(request.headers, "x-amz-content-sha256"), "UNSIGNED-PAYLOAD");
  EXPECT_EQ(HeaderValue(request.headers, "host"), "bucket.s3.us-east-1.amazonaws.com");
}

TEST(SignRequest, S3SignedPayloadIsTheBodyHashInHeaderAndCanonicalRequest) {
  HttpRequest request;
  request.method = "PUT";
  request.url = "https://s3.amazonaws.com/bucket/key";
  request.body = "Param1=value1";
  request.headers = {{"X-Amz-Content-SHA256", "stale"}};
  Result<SignatureStages> stages =
      SignRequest(request, SuiteCredentials(), S3Options(PayloadSigning::kSignBody));
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  const std::string hash = "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e";
  EXPECT_TRUE(stages->canonical_request.ends_with("\n" + hash));
  EXPECT_EQ(Normalized(request.headers)[2],
            std::make_pair(std::string("x-amz-content-sha256"), hash));
  EXPECT_EQ(
      std::count_if(request.headers.begin(), request.headers.end(),
                    [](const HttpHeader& h) { return Lower(h.name) == "x-amz-content-sha256"; }),
      1);
}

TEST(SignRequest, OtherServicesNormalizeAndDoubleEncodeThePath) {
  Result<SignatureStages> stages =
      Sign("https://sqs.us-east-1.amazonaws.com//a/./b/../c%20d/e+f/", ServiceOptions());
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  EXPECT_EQ(CanonicalLine(stages->canonical_request, 1), "/a/c%2520d/e%2Bf/");
}

TEST(SignRequest, EmptyPathSignsAsSlash) {
  Result<SignatureStages> stages = Sign("https://sts.amazonaws.com", ServiceOptions());
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  EXPECT_EQ(CanonicalLine(stages->canonical_request, 1), "/");
  stages = Sign("https://sts.amazonaws.com?Action=GetCallerIdentity",
                S3Options(PayloadSigning::kUnsigned));
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  EXPECT_EQ(CanonicalLine(stages->canonical_request, 1), "/");
}

TEST(SignRequest, QueryIsDecodedReencodedAndSortedByKeyThenValue) {
  Result<SignatureStages> stages =
      Sign("https://h/?b=2&a=&a=1&=x&acl&&q=a+b%2Bc%2f&u=%E1%88%B4&bad=%zz%", ServiceOptions());
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  EXPECT_EQ(CanonicalLine(stages->canonical_request, 2),
            "=x&a=&a=1&acl=&b=2&bad=%25zz%25&q=a%20b%2Bc%2F&u=%E1%88%B4");
}

TEST(SignRequest, HostOmitsDefaultPortsAndKeepsOthers) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"http://Example.COM:80/", "example.com"},
      {"https://example.com:443/", "example.com"},
      {"http://example.com:443/", "example.com:443"},
      {"https://localhost:4566/", "localhost:4566"},
      {"http://user:pw@127.0.0.1:9000/x", "127.0.0.1:9000"},
      {"http://[::1]:9000/", "[::1]:9000"},
      {"https://[FE80::1]/", "[fe80::1]"},
  };
  for (const auto& [url, host] : cases) {
    SCOPED_TRACE(url);
    Result<SignatureStages> stages = Sign(url, ServiceOptions());
    ASSERT_TRUE(stages.ok()) << stages.status().ToString();
    EXPECT_NE(stages->canonical_request.find("\nhost:" + host + "\n"), std::string::npos)
        << stages->canonical_request;
  }
}

TEST(SignRequest, GivenHostHeaderIsSignedInsteadOfTheUrlHost) {
  HttpRequest request;
  request.url = "http://127.0.0.1:9324/queue";
  request.headers = {{"HOST", "  sqs.us-east-1.localhost:9324 "}};
  Result<SignatureStages> stages = SignRequest(request, SuiteCredentials(), ServiceOptions());
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  EXPECT_NE(stages->canonical_request.find("\nhost:sqs.us-east-1.localhost:9324\n"),
            std::string::npos);
  EXPECT_EQ(request.headers.size(), 3u);  // HOST, X-Amz-Date, Authorization
}

TEST(SignRequest, HopByHopAndClientHeadersAreNotSigned) {
  Result<SignatureStages> stages = Sign("https://h/", ServiceOptions(),
                                        {{"User-Agent", "trailhound"},
                                         {"Expect", "100-continue"},
                                         {"Connection", "close"},
                                         {"X-Amzn-Trace-Id", "Root=1"},
                                         {"Transfer-Encoding", "chunked"},
                                         {"X-Custom", "v"}});
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  EXPECT_EQ(stages->signed_headers, "host;x-amz-date;x-custom");
}

TEST(SignRequest, SigningAgainReplacesAuthorizationDateAndToken) {
  HttpRequest request;
  request.url = "https://sqs.us-east-1.amazonaws.com/";
  const Credentials credentials = SuiteCredentials("token");
  SigningOptions options = ServiceOptions();
  ASSERT_TRUE(SignRequest(request, credentials, options).ok());
  options.time += seconds(30);
  Result<SignatureStages> again = SignRequest(request, credentials, options);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(request.headers.size(), 4u);  // Host, token, date, Authorization: no duplicates
  EXPECT_EQ(HeaderValue(request.headers, "x-amz-date"), "20150830T123630Z");
  EXPECT_EQ(HeaderValue(request.headers, "authorization"), again->authorization);
}

TEST(SignRequest, CallerContentSha256HeaderIsThePayloadHash) {
  Result<SignatureStages> stages =
      Sign("https://h/", ServiceOptions(), {{"x-amz-content-sha256", "UNSIGNED-PAYLOAD"}});
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  EXPECT_TRUE(stages->canonical_request.ends_with("\nUNSIGNED-PAYLOAD"));
  EXPECT_EQ(stages->signed_headers, "host;x-amz-content-sha256;x-amz-date");
}

TEST(SignRequest, RejectsUnsignableRequestsWithoutTouchingThem) {
  for (const std::string url :
       {"sqs.us-east-1.amazonaws.com/", "https:///path", "https://h:80x/", "http://[::1/"}) {
    SCOPED_TRACE(url);
    HttpRequest request;
    request.url = url;
    Result<SignatureStages> stages = SignRequest(request, SuiteCredentials(), ServiceOptions());
    ASSERT_FALSE(stages.ok());
    EXPECT_EQ(stages.status().code(), StatusCode::kInvalidArgument);
    EXPECT_TRUE(request.headers.empty());
  }
  HttpRequest request;
  request.url = "https://h/";
  SigningOptions no_region = ServiceOptions();
  no_region.region.clear();
  EXPECT_EQ(SignRequest(request, SuiteCredentials(), no_region).status().code(),
            StatusCode::kInvalidArgument);
  Credentials no_secret = SuiteCredentials();
  no_secret.secret_access_key = Secret();
  EXPECT_EQ(SignRequest(request, no_secret, ServiceOptions()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(request.headers.empty());
}

TEST(SignRequest, ErrorsNameTheUrlWithoutCredentialsInIt) {
  HttpRequest request;
  request.url = "https://user:pw@h:x/p?X-Amz-Security-Token=tok#f";
  Result<SignatureStages> stages = SignRequest(request, SuiteCredentials("tok"), ServiceOptions());
  ASSERT_FALSE(stages.ok());
  EXPECT_EQ(stages.status().message(), "Cannot sign request to \"https://h:x/p\": bad port");
  request.url = "https://user:pw@h/p?X-Amz-Security-Token=tok";
  Result<std::string> url =
      PresignUrl(request, SuiteCredentials("tok"), ServiceOptions(), seconds(0));
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.status().message(),
            "Cannot presign \"https://h/p\" for 0 s: the expiry must be 1 s to 7 days");
}

TEST(PresignUrl, S3UrlIsUnsignedPayloadAndKeepsOriginalQueryFirst) {
  HttpRequest request;
  request.url = "https://bucket.s3.amazonaws.com/dir/a%20b.json.gz?versionId=3%2F4#frag";
  SignatureStages stages;
  Result<std::string> url = PresignUrl(request, SuiteCredentials("tok/en"),
                                       S3Options(PayloadSigning::kUnsigned), seconds(900), &stages);
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_TRUE(url->starts_with(
      "https://bucket.s3.amazonaws.com/dir/a%20b.json.gz?versionId=3%2F4&X-Amz-Algorithm="
      "AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fs3%2Faws4_request"
      "&X-Amz-Date=20150830T123600Z&X-Amz-SignedHeaders=host&X-Amz-Expires=900"
      "&X-Amz-Security-Token=tok%2Fen&X-Amz-Signature="))
      << *url;
  EXPECT_TRUE(url->ends_with(stages.signature + "#frag"));
  EXPECT_EQ(CanonicalLine(stages.canonical_request, 1), "/dir/a%20b.json.gz");
  EXPECT_TRUE(stages.canonical_request.ends_with("\nhost\nUNSIGNED-PAYLOAD"));
  EXPECT_NE(stages.canonical_request.find("&X-Amz-Security-Token=tok%2Fen&"), std::string::npos);
  EXPECT_TRUE(request.headers.empty());
}

TEST(PresignUrl, ExpiryMustBeOneSecondToSevenDays) {
  HttpRequest request;
  request.url = "https://h/";
  for (seconds expires : {seconds(0), seconds(-5), seconds(7 * 24 * 3600 + 1)}) {
    EXPECT_EQ(PresignUrl(request, SuiteCredentials(), ServiceOptions(), expires).status().code(),
              StatusCode::kInvalidArgument);
  }
  EXPECT_TRUE(PresignUrl(request, SuiteCredentials(), ServiceOptions(), seconds(1)).ok());
  EXPECT_TRUE(
      PresignUrl(request, SuiteCredentials(), ServiceOptions(), seconds(7 * 24 * 3600)).ok());
}

TEST(SignRequest, DatesAreFormattedInUtc) {
  SigningOptions options = ServiceOptions();
  options.time = std::chrono::sys_days(std::chrono::year(2004) / 2 / 29) + std::chrono::hours(23) +
                 std::chrono::minutes(5) + seconds(9) + std::chrono::milliseconds(999);
  HttpRequest request;
  request.url = "https://h/";
  Result<SignatureStages> stages = SignRequest(request, SuiteCredentials(), options);
  ASSERT_TRUE(stages.ok()) << stages.status().ToString();
  EXPECT_EQ(HeaderValue(request.headers, "x-amz-date"), "20040229T230509Z");
  EXPECT_EQ(stages->credential_scope, "20040229/us-east-1/service/aws4_request");
}

}  // namespace
}  // namespace trailhound::aws
