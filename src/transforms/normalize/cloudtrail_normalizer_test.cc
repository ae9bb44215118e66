#include "transforms/normalize/cloudtrail_normalizer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace trailhound::transforms {
namespace {

const std::string kCorpora = std::string(TRAILHOUND_SHARED_DIR) + "/corpora/";
constexpr int64_t kFallback = 1'700'000'000'123;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// The "event" object of every line of a corpus .jsonl file, as compact JSON text.
std::vector<std::string> EventsOfJsonl(const std::string& path) {
  std::vector<std::string> events;
  simdjson::dom::parser parser;
  std::istringstream lines(ReadFile(path));
  for (std::string line; std::getline(lines, line);) {
    if (line.empty()) continue;
    simdjson::dom::element event;
    EXPECT_EQ(parser.parse(line)["event"].get(event), simdjson::SUCCESS) << line;
    events.push_back(simdjson::to_string(event));
  }
  return events;
}

// Every element of the "Records" array of a CloudTrail log file, as compact JSON text.
std::vector<std::string> RecordsOfFile(const std::string& path) {
  std::vector<std::string> records;
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  EXPECT_EQ(parser.load(path)["Records"].get(array), simdjson::SUCCESS) << path;
  for (simdjson::dom::element record : array) records.push_back(simdjson::to_string(record));
  return records;
}

std::vector<std::string> PantherEvents() {
  return EventsOfJsonl(kCorpora + "panther-cloudtrail/tests.jsonl");
}
std::vector<std::string> DocsEvents() {
  return EventsOfJsonl(kCorpora + "aws-docs-cloudtrail-examples/events.jsonl");
}

Event MustNormalize(CloudTrailNormalizer& n, std::string_view json) {
  Result<Event> r = n.Normalize(json, "cloudtrail-main", kFallback);
  EXPECT_TRUE(r.ok()) << r.status().ToString() << "\n" << json;
  return r.ok() ? std::move(r).value() : Event{};
}

void ExpectAllCorpusRecordsNormalize(const std::vector<std::string>& records, size_t count) {
  ASSERT_EQ(records.size(), count);
  CloudTrailNormalizer n;
  for (const std::string& json : records) {
    Event e = MustNormalize(n, json);
    EXPECT_EQ(e.raw, json);
    EXPECT_EQ(e._source, "cloudtrail-main");
    EXPECT_EQ(e._category, EventCategory::kCloudServiceActivity);
    EXPECT_EQ(e.time_is_fallback, e._time == kFallback) << json;
  }
}

TEST(CloudTrailNormalizer, NormalizesEveryPantherEvent) {
  ExpectAllCorpusRecordsNormalize(PantherEvents(), 476);
}

TEST(CloudTrailNormalizer, NormalizesEveryAwsDocsEvent) {
  ExpectAllCorpusRecordsNormalize(DocsEvents(), 28);
}

TEST(CloudTrailNormalizer, NormalizesEveryRecordOfTheProcessingLibraryFiles) {
  std::vector<std::string> all;
  for (const auto& entry : std::filesystem::directory_iterator(
           kCorpora + "cloudtrail-logfiles-aws-processing-library/files")) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name == "SerializerTestFileBadJsonFormat.json") {
      continue;  // the .gz copy, and the deliberately invalid file (the reader rejects it)
    }
    for (std::string& r : RecordsOfFile(entry.path().string())) all.push_back(std::move(r));
  }
  ExpectAllCorpusRecordsNormalize(all, 35);
}

TEST(CloudTrailNormalizer, PantherEventTimesParseExceptPlaceholders) {
  CloudTrailNormalizer n;
  int fallbacks = 0;
  for (const std::string& json : PantherEvents()) {
    Event e = MustNormalize(n, json);
    if (e.time_is_fallback) {
      ++fallbacks;
      EXPECT_TRUE(e.event_time.empty() || e.event_time == "redacted" || e.event_time == "...")
          << e.event_time;
    }
  }
  EXPECT_GT(fallbacks, 0);  // the corpus has null, "redacted" and "..." eventTimes
}

TEST(CloudTrailNormalizer, ConsoleLoginTakesMfaFromMfaUsed) {
  const std::vector<std::string> docs = DocsEvents();
  CloudTrailNormalizer n;
  Event yes = MustNormalize(n, docs[1]);  // IAM user "anaya", MFAUsed "Yes"
  EXPECT_EQ(yes.event_name, "ConsoleLogin");
  EXPECT_EQ(yes.event_type, "AwsConsoleSignIn");
  EXPECT_EQ(yes.event_id, "fed06f42-cb12-4764-8c69-121063dc79b9");
  EXPECT_EQ(yes.user_identity.type, "IAMUser");
  EXPECT_EQ(yes.user_identity.user_name, "anaya");
  EXPECT_EQ(yes.user_identity.arn, "arn:aws:iam::111122223333:user/anaya");
  EXPECT_EQ(yes.source_ip_address, "192.0.2.0");
  EXPECT_EQ(yes.mfa_authenticated, true);
  EXPECT_EQ(yes._time, 1668097474000);  // 2022-11-10T16:24:34Z
  EXPECT_FALSE(yes.time_is_fallback);

  EXPECT_EQ(MustNormalize(n, docs[0]).mfa_authenticated, false);  // MFAUsed "No"
  Event root = MustNormalize(n, docs[6]);                         // Root, MFAUsed "YES"
  EXPECT_EQ(root.user_identity.type, "Root");
  EXPECT_EQ(root.user_identity.access_key_id, "");
  EXPECT_EQ(root.mfa_authenticated, true);
  // Not a ConsoleLogin: MFAUsed is ignored; no sessionContext attribute either.
  EXPECT_EQ(MustNormalize(n, docs[3]).event_name, "CheckMfa");
  EXPECT_EQ(MustNormalize(n, docs[3]).mfa_authenticated, std::nullopt);
}

TEST(CloudTrailNormalizer, MfaUsedWinsOverSessionAttributeOnlyForConsoleLogin) {
  CloudTrailNormalizer n;
  const char* kLogin = R"({"eventName":"ConsoleLogin","userIdentity":{"sessionContext":{
      "attributes":{"mfaAuthenticated":"false"}}},"additionalEventData":{"MFAUsed":"Yes"}})";
  EXPECT_EQ(MustNormalize(n, kLogin).mfa_authenticated, true);
  const char* kOther = R"({"additionalEventData":{"MFAUsed":"Yes"},"eventName":"GetObject",
      "userIdentity":{"sessionContext":{"attributes":{"mfaAuthenticated":"false"}}}})";
  EXPECT_EQ(MustNormalize(n, kOther).mfa_authenticated, false);
  const char* kLoginNoMfaUsed = R"({"additionalEventData":{},"eventName":"ConsoleLogin",
      "userIdentity":{"sessionContext":{"attributes":{"mfaAuthenticated":"true"}}}})";
  EXPECT_EQ(MustNormalize(n, kLoginNoMfaUsed).mfa_authenticated, true);
  EXPECT_EQ(
      MustNormalize(n, R"({"eventName":"ConsoleLogin","additionalEventData":{"MFAUsed":"maybe"}})")
          .mfa_authenticated,
      std::nullopt);
}

TEST(CloudTrailNormalizer, AssumedRoleHasSessionIssuerAndTlsDetails) {
  CloudTrailNormalizer n;
  Event e = MustNormalize(n, PantherEvents()[0]);  // AWS.SSM.MultipleSessions, "Sample Result"
  EXPECT_EQ(e.event_name, "StartSession");
  EXPECT_EQ(e.event_source, "ssm.amazonaws.com");
  EXPECT_EQ(e.event_version, "1.10");
  EXPECT_EQ(e.event_category, "Management");
  EXPECT_EQ(e.aws_region, "us-west-2");
  EXPECT_EQ(e.request_id, "8e6cef5f-2610-43fb-898b-48acd3aa6240");
  EXPECT_EQ(e.recipient_account_id, "111122223333");
  EXPECT_EQ(e.read_only, false);
  EXPECT_EQ(e.management_event, true);
  EXPECT_EQ(e.user_identity.type, "AssumedRole");
  EXPECT_EQ(e.user_identity.principal_id, "SAMPLE_PRINCIPAL_ID:bobson.dugnutt");
  EXPECT_EQ(e.user_identity.access_key_id, "SAMPLE_ACCESS_KEY_ID");
  EXPECT_EQ(e.user_identity.session_issuer_user_name, "SampleRole");
  EXPECT_EQ(e.user_identity.session_issuer_arn,
            "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/us-west-2/SampleRole");
  EXPECT_EQ(e.mfa_authenticated, false);  // sessionContext.attributes.mfaAuthenticated "false"
  EXPECT_EQ(e.tls_version, "TLSv1.2");
  EXPECT_EQ(e.event_time, "2025-02-19 20:13:49");
  EXPECT_EQ(e._time, 1739996029000);
}

TEST(CloudTrailNormalizer, ErrorEventHasErrorCodeAndMessage) {
  CloudTrailNormalizer n;
  Event e = MustNormalize(n, DocsEvents()[17]);  // UpdateTrail on a missing trail
  EXPECT_EQ(e.event_name, "UpdateTrail");
  EXPECT_EQ(e.error_code, "TrailNotFoundException");
  EXPECT_EQ(e.error_message, "Unknown trail: myTrail2 for the user: 123456789012");
  EXPECT_EQ(e.user_identity.user_name, "Alice");
  EXPECT_EQ(e.user_agent, "aws-cli/1.10.32 Python/2.7.9 Windows/7 botocore/1.4.22");
}

TEST(CloudTrailNormalizer, AllNullFieldsLeaveTypedFieldsEmptyAndKeepTheEvent) {
  const std::vector<std::string> records = RecordsOfFile(
      kCorpora + "cloudtrail-logfiles-aws-processing-library/files/SerializerAllFieldsNull.json");
  ASSERT_EQ(records.size(), 2u);
  CloudTrailNormalizer n;
  // Record 0 has every field null except eventVersion.
  Event e = MustNormalize(n, records[0]);
  EXPECT_EQ(e.raw, records[0]);
  EXPECT_EQ(e.event_version, "1.1");
  EXPECT_TRUE(e.time_is_fallback);
  EXPECT_EQ(e._time, kFallback);
  for (const std::string* field : {&e.event_time,
                                   &e.event_id,
                                   &e.event_name,
                                   &e.event_source,
                                   &e.event_type,
                                   &e.event_category,
                                   &e.aws_region,
                                   &e.source_ip_address,
                                   &e.user_agent,
                                   &e.error_code,
                                   &e.error_message,
                                   &e.recipient_account_id,
                                   &e.request_id,
                                   &e.shared_event_id,
                                   &e.vpc_endpoint_id,
                                   &e.tls_version,
                                   &e.user_identity.type,
                                   &e.user_identity.arn,
                                   &e.user_identity.account_id,
                                   &e.user_identity.principal_id,
                                   &e.user_identity.user_name,
                                   &e.user_identity.access_key_id,
                                   &e.user_identity.invoked_by,
                                   &e.user_identity.session_issuer_user_name,
                                   &e.user_identity.session_issuer_arn}) {
    EXPECT_EQ(*field, "");
  }
  EXPECT_EQ(e.read_only, std::nullopt);
  EXPECT_EQ(e.management_event, std::nullopt);
  EXPECT_EQ(e.mfa_authenticated, std::nullopt);
  // Record 1 is the control: every field set.
  Event control = MustNormalize(n, records[1]);
  EXPECT_EQ(control.user_identity.type, "userIdentityType2");
  EXPECT_EQ(control.user_identity.user_name, "userIdentityUserName2");
  EXPECT_EQ(control.error_code, "errorCode2");
  EXPECT_EQ(control.recipient_account_id, "recipientAccountId2");
  EXPECT_EQ(control._time, 1383264000000);  // 2013-11-01T00:00:00Z
}

TEST(CloudTrailNormalizer, WrongTypesKeepTheEventAndConvertOnlyScalars) {
  CloudTrailNormalizer n;
  Event e = MustNormalize(n, R"({
    "eventID": 12345, "eventName": {"nested": "x"}, "awsRegion": ["us-east-1"],
    "recipientAccountId": 123456789012, "errorCode": true, "eventSource": null,
    "readOnly": "TRUE", "managementEvent": 1, "userIdentity": "Root",
    "tlsDetails": ["TLSv1.2"], "additionalEventData": "MFAUsed", "eventTime": 1394140974,
    "sourceIPAddress": -1.5e3, "someNewField": {"deep": [1, {"x": null}]}})");
  EXPECT_EQ(e.event_id, "12345");
  EXPECT_EQ(e.event_name, "");
  EXPECT_EQ(e.aws_region, "");
  EXPECT_EQ(e.recipient_account_id, "123456789012");
  EXPECT_EQ(e.error_code, "true");
  EXPECT_EQ(e.event_source, "");
  EXPECT_EQ(e.read_only, true);
  EXPECT_EQ(e.management_event, std::nullopt);
  EXPECT_EQ(e.user_identity.type, "");
  EXPECT_EQ(e.tls_version, "");
  EXPECT_EQ(e.source_ip_address, "-1.5e3");
  EXPECT_EQ(e.event_time, "1394140974");  // a number is not taken as epoch time: fallback
  EXPECT_TRUE(e.time_is_fallback);
  EXPECT_EQ(e._time, kFallback);
}

TEST(CloudTrailNormalizer, NestedWrongTypesAreEmpty) {
  CloudTrailNormalizer n;
  Event e = MustNormalize(n, R"({"userIdentity": {"type": "AssumedRole", "arn": null,
      "sessionContext": {"sessionIssuer": "Role", "attributes": ["mfaAuthenticated"]}}})");
  EXPECT_EQ(e.user_identity.type, "AssumedRole");
  EXPECT_EQ(e.user_identity.arn, "");
  EXPECT_EQ(e.user_identity.session_issuer_arn, "");
  EXPECT_EQ(e.mfa_authenticated, std::nullopt);
}

TEST(CloudTrailNormalizer, RawIsByteIdenticalIncludingWhitespaceAndEscapes) {
  CloudTrailNormalizer n;
  const std::string json =
      "{ \"eventName\" : \"Put\\u004fbject\",\n\t\"userAgent\":\"a\\\"b\\\\c \\u00e9 \xc3\xa9\","
      " \"x\": 1.50E+2 }";
  Event e = MustNormalize(n, json);
  EXPECT_EQ(e.raw, json);
  EXPECT_EQ(e.event_name, "PutObject");  // typed fields are unescaped
  EXPECT_EQ(e.user_agent, "a\"b\\c \xc3\xa9 \xc3\xa9");
}

TEST(CloudTrailNormalizer, EventTimeFormsAndFallback) {
  CloudTrailNormalizer n;
  auto time_of = [&](std::string_view t) {
    Event e = MustNormalize(n, std::string(R"({"eventTime":")") + std::string(t) + "\"}");
    return std::make_pair(e._time, e.time_is_fallback);
  };
  EXPECT_EQ(time_of("2014-03-06T21:22:54Z"), std::make_pair(int64_t{1394140974000}, false));
  EXPECT_EQ(time_of("2014-03-06T21:22:54.250Z"), std::make_pair(int64_t{1394140974250}, false));
  EXPECT_EQ(time_of("2014-03-06T21:22:54+00:00"), std::make_pair(int64_t{1394140974000}, false));
  EXPECT_EQ(time_of("2024-02-29T12:00:00Z"), std::make_pair(int64_t{1709208000000}, false));
  EXPECT_EQ(time_of("1970-01-01T00:00:00Z"), std::make_pair(int64_t{0}, false));
  EXPECT_EQ(time_of("2100-01-01T00:00:00Z"), std::make_pair(int64_t{4102444800000}, false));
  EXPECT_EQ(time_of("2023-02-29T12:00:00Z"), std::make_pair(kFallback, true));
  EXPECT_EQ(time_of("yesterday"), std::make_pair(kFallback, true));
  Event missing = MustNormalize(n, "{}");
  EXPECT_TRUE(missing.time_is_fallback);
  EXPECT_EQ(missing._time, kFallback);
}

TEST(CloudTrailNormalizer, OnlyNonObjectsAreCorruption) {
  CloudTrailNormalizer n;
  for (const char* bad :
       {"", " ", "[]", "[{\"eventName\":\"x\"}]", "\"x\"", "42", "null", "true", "{",
        "{\"eventName\":", "{\"eventName\":\"x\"", "not json", "{\"eventName\":\"\xff\"}"}) {
    Result<Event> r = n.Normalize(bad, "s", 0);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), StatusCode::kCorruption) << bad;
    EXPECT_NE(r.status().message().find("'s'"), std::string::npos);
  }
  // The parser recovers after an error.
  EXPECT_EQ(MustNormalize(n, R"({"eventName":"x"})").event_name, "x");
}

TEST(CloudTrailNormalizer, EventsOwnTheirDataAfterTheParserIsReused) {
  CloudTrailNormalizer n;
  Event first = MustNormalize(n, R"({"eventName":"First","userAgent":"a-long-enough-user-agent"})");
  Event second = MustNormalize(n, R"({"eventName":"Second","userAgent":"another-long-agent-x"})");
  EXPECT_EQ(first.event_name, "First");
  EXPECT_EQ(first.user_agent, "a-long-enough-user-agent");
  EXPECT_EQ(second.event_name, "Second");
}

TEST(CloudTrailNormalizer, CategoryName) {
  EXPECT_EQ(CategoryName(EventCategory::kCloudServiceActivity), "Cloud Service Activity");
  EXPECT_EQ(CategoryName(EventCategory::kUnknown), "Unknown");
  EXPECT_EQ(CategoryName(static_cast<EventCategory>(200)), "Unknown");
}

// 10,000 mutated Panther events: never a crash; OK or kCorruption; and whenever the mutant is
// still a valid JSON object (checked by simdjson's DOM parser), it is never dropped.
TEST(CloudTrailNormalizer, MutatedRecordsAreOkOrCorruptionNeverACrash) {
  const std::vector<std::string> events = PantherEvents();
  std::mt19937_64 rng(20261126);
  static constexpr char kInteresting[] = "{}[]\":,\\ 0123456789.eE+-tfnul\x80\xff\x00";
  CloudTrailNormalizer n;
  simdjson::dom::parser oracle;
  int ok = 0, corrupt = 0, valid_objects = 0;
  for (int i = 0; i < 10000; ++i) {
    std::string m = events[rng() % events.size()];
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int k = 0; k < edits && !m.empty(); ++k) {
      const size_t at = rng() % m.size();
      const char c = (rng() % 2) ? kInteresting[rng() % (sizeof(kInteresting) - 1)]
                                 : static_cast<char>(rng() % 256);
      switch (rng() % 4) {
        case 0:
          m[at] = c;
          break;
        case 1:
          m.erase(at, 1);
          break;
        case 2:
          m.insert(at, 1, c);
          break;
        default:
          m.resize(at);
          break;
      }
    }
    Result<Event> r = n.Normalize(m, "fuzz", 7);
    simdjson::dom::object object;
    const bool valid_object = oracle.parse(m).get(object) == simdjson::SUCCESS;
    valid_objects += valid_object;
    if (r.ok()) {
      ++ok;
      EXPECT_EQ(r->raw, m);
    } else {
      ++corrupt;
      ASSERT_EQ(r.status().code(), StatusCode::kCorruption) << r.status().ToString();
      ASSERT_FALSE(valid_object) << "a valid JSON object was dropped: " << m;
    }
  }
  EXPECT_GT(ok, 0);
  EXPECT_GT(corrupt, 0);
  EXPECT_GT(valid_objects, 0);
}

}  // namespace
}  // namespace trailhound::transforms
