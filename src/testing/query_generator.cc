#include "testing/query_generator.h"

#include <simdjson.h>

#include <algorithm>
#include <ctime>
#include <set>

#include "query/parser.h"

namespace trailhound::testing {
namespace {

// Fields that group well (few distinct values) and that the docs and DESIGN.md name.
const std::vector<std::string> kPreferredGroups = {
    "eventName",
    "eventSource",
    "awsRegion",
    "errorCode",
    "eventType",
    "userIdentity.type",
    "recipientAccountId",
    "resources.type",
    "readOnly",
    "userIdentity.sessionContext.sessionIssuer.userName",
    "tlsDetails.tlsVersion",
    "responseElements.ConsoleLogin",
    "userIdentity.arn",
    "eventVersion"};

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Splits UTF-8 text into characters (a stray byte is one character).
std::vector<std::string> Characters(std::string_view text) {
  std::vector<std::string> out;
  for (size_t i = 0; i < text.size();) {
    size_t n = 1;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0xF0) {
      n = 4;
    } else if (c >= 0xE0) {
      n = 3;
    } else if (c >= 0xC0) {
      n = 2;
    }
    n = std::min(n, text.size() - i);
    out.emplace_back(text.substr(i, n));
    i += n;
  }
  return out;
}

// One character of a value or pattern, escaped when the query syntax would read it otherwise.
std::string EscapeChar(std::string_view c) {
  static constexpr std::string_view kSpecial = " \t\r\n()\"|[]{}\\*?<>=:";
  if (c.size() == 1 &&
      (kSpecial.find(c[0]) != std::string_view::npos || static_cast<unsigned char>(c[0]) < 0x20)) {
    return "\\" + std::string(c);
  }
  return std::string(c);
}

void Walk(simdjson::dom::element e, std::vector<std::string>& keys,
          std::map<std::string, GeneratorField>& fields, std::set<std::string>& seen) {
  switch (e.type()) {
    case simdjson::dom::element_type::ARRAY:
      if (simdjson::dom::array array; e.get_array().get(array) == simdjson::SUCCESS) {
        for (simdjson::dom::element item : array) Walk(item, keys, fields, seen);
      }
      return;
    case simdjson::dom::element_type::NULL_VALUE:
      return;
    default:
      break;
  }
  GeneratorField* field = nullptr;
  if (!keys.empty()) {
    const std::string name = QueryFieldName(keys);
    field = &fields[name];
    if (field->name.empty()) {
      field->name = name;
      field->keys = keys;
    }
    if (seen.insert(name).second) ++field->events;
  }
  auto add = [](std::map<std::string, uint64_t>& values, std::string text) {
    const auto it = values.find(text);
    if (it != values.end()) {
      ++it->second;
    } else if (values.size() < GeneratorField::kMaxValues) {
      values.emplace(std::move(text), 1);
    }
  };
  switch (e.type()) {
    case simdjson::dom::element_type::OBJECT:
      if (field) ++field->objects;
      if (simdjson::dom::object object; e.get_object().get(object) == simdjson::SUCCESS) {
        for (simdjson::dom::key_value_pair member : object) {
          keys.emplace_back(member.key);
          Walk(member.value, keys, fields, seen);
          keys.pop_back();
        }
      }
      return;
    case simdjson::dom::element_type::STRING:
      if (field) add(field->strings, std::string(e.get_string().value_unsafe()));
      return;
    case simdjson::dom::element_type::INT64:
      if (field) add(field->numbers, std::to_string(e.get_int64().value_unsafe()));
      return;
    case simdjson::dom::element_type::UINT64:
      if (field) add(field->numbers, std::to_string(e.get_uint64().value_unsafe()));
      return;
    case simdjson::dom::element_type::DOUBLE:
      if (field) add(field->numbers, simdjson::to_string(e));
      return;
    case simdjson::dom::element_type::BOOL:
      if (field) ++field->booleans;
      return;
    default:
      return;
  }
}

}  // namespace

std::string QueryValue(std::string_view value) {
  if (value.empty()) return "\"\"";
  std::string upper;
  for (char c : value) upper.push_back((c >= 'a' && c <= 'z') ? static_cast<char>(c - 32) : c);
  std::string out;
  if (upper == "AND" || upper == "OR" || upper == "NOT" || upper == "TO") out = "\\";
  for (const std::string& c : Characters(value)) out += EscapeChar(c);
  return out;
}

std::string QueryPhrase(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

std::string QueryFieldName(const std::vector<std::string>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size(); ++i) {
    if (i > 0) out.push_back('.');
    for (const std::string& c : Characters(keys[i])) {
      out += (c.size() == 1 && !IsWordChar(c[0])) ? "\\" + c : c;
    }
  }
  return out;
}

QueryGenerator::QueryGenerator(std::span<const std::string> events, QueryGeneratorOptions options)
    : options_(std::move(options)), rng_(options_.seed) {
  simdjson::dom::parser parser;
  for (const std::string& raw : events) {
    simdjson::dom::element root;
    if (parser.parse(raw).get(root) != simdjson::SUCCESS) continue;
    std::vector<std::string> keys;
    std::set<std::string> seen;
    Walk(root, keys, fields_, seen);
  }
  for (const auto& [name, field] : fields_) {
    // Virtual field names are not JSON paths.
    if (name == "_time" || name == "_source" || name == "_category") continue;
    all_fields_.push_back(&field);
    if (!field.strings.empty()) string_fields_.push_back(&field);
    if (!field.numbers.empty()) number_fields_.push_back(&field);
    const bool preferred =
        std::find(kPreferredGroups.begin(), kPreferredGroups.end(), name) != kPreferredGroups.end();
    if (preferred || (field.events >= 20 && field.strings.size() + field.numbers.size() <= 30 &&
                      field.objects == 0)) {
      group_fields_.push_back(&field);
    }
  }
}

uint64_t QueryGenerator::Below(uint64_t n) { return rng_() % n; }

bool QueryGenerator::Chance(double p) {
  return static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0) < p;
}

const GeneratorField* QueryGenerator::PickField(bool (*accept)(const GeneratorField&)) {
  std::vector<const GeneratorField*> candidates;
  uint64_t total = 0;
  for (const GeneratorField* f : all_fields_) {
    if (!accept(*f)) continue;
    candidates.push_back(f);
    total += f->events;
  }
  if (candidates.empty()) return nullptr;
  // Mostly weighted by how many events have the field, so that most queries match something
  // and the common fields of the big simulated data get most of the terms; rare fields (the
  // corpora's odd shapes) the rest of the time.
  if (total > 0 && Chance(0.75)) {
    uint64_t at = Below(total);
    for (const GeneratorField* f : candidates) {
      if (at < f->events) return f;
      at -= f->events;
    }
  }
  return Pick(candidates);
}

std::string QueryGenerator::PickString(const GeneratorField& field, bool common) {
  if (common) {
    // Weighted by how many events have the value.
    uint64_t total = 0;
    for (const auto& [v, n] : field.strings) total += n;
    uint64_t at = Below(total);
    for (const auto& [v, n] : field.strings) {
      if (at < n) return v;
      at -= n;
    }
  }
  auto it = field.strings.begin();
  std::advance(it, static_cast<long>(Below(field.strings.size())));
  return it->first;
}

std::string QueryGenerator::PickNumber(const GeneratorField& field) {
  auto it = field.numbers.begin();
  std::advance(it, static_cast<long>(Below(field.numbers.size())));
  return it->first;
}

std::string QueryGenerator::RandomCase(std::string_view text) {
  std::string out(text);
  const double p = Chance(0.5) ? 0.0 : 0.4;
  for (char& c : out) {
    if (!Chance(p)) continue;
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 32);
    } else if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c + 32);
    }
  }
  return out;
}

std::string QueryGenerator::TimeText(int64_t millis) {
  const time_t secs = static_cast<time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string QueryGenerator::Term() {
  static const auto has_strings = +[](const GeneratorField& f) { return !f.strings.empty(); };
  static const auto has_numbers = +[](const GeneratorField& f) { return !f.numbers.empty(); };
  static const auto any = +[](const GeneratorField&) { return true; };
  switch (Below(14)) {
    case 0:
    case 1:
    case 2: {  // exact, random case
      const GeneratorField* f = PickField(has_strings);
      return f->name + ":" + QueryValue(RandomCase(PickString(*f, Chance(0.8))));
    }
    case 3: {  // phrase
      const GeneratorField* f = PickField(has_strings);
      return f->name + ":" + QueryPhrase(RandomCase(PickString(*f, true)));
    }
    case 4:
    case 5: {  // wildcard: prefix, suffix, infix or '?'
      const GeneratorField* f = PickField(has_strings);
      const std::vector<std::string> chars = Characters(RandomCase(PickString(*f, true)));
      if (chars.size() < 2) return f->name + ":*";
      auto literal = [&chars](size_t from, size_t to) {
        std::string out;
        for (size_t i = from; i < to; ++i) out += EscapeChar(chars[i]);
        return out;
      };
      const size_t n = chars.size();
      switch (Below(4)) {
        case 0:
          return f->name + ":" + literal(0, 1 + Below(n - 1)) + "*";
        case 1:
          return f->name + ":*" + literal(1 + Below(n - 1), n);
        case 2: {
          const size_t from = Below(n - 1);
          return f->name + ":*" + literal(from, from + 1 + Below(std::min<size_t>(n - from, 6))) +
                 "*";
        }
        default: {
          const size_t at = Below(n);
          return f->name + ":" + literal(0, at) + "?" + literal(at + 1, n);
        }
      }
    }
    case 6: {  // exists, or a group of two values
      const GeneratorField* f = PickField(any);
      if (Chance(0.5) || f->strings.size() < 2) return f->name + ":*";
      return f->name + ":(" + QueryValue(PickString(*f, true)) + " OR " +
             QueryValue(PickString(*f, false)) + ")";
    }
    case 7:
    case 8: {  // numeric comparison or range (numbers and numeric strings)
      const GeneratorField* f = PickField(has_numbers);
      if (f == nullptr || Chance(0.3)) {
        const char* kVersions[] = {"1.05", "1.08", "1.09", "1.1"};
        return std::string("eventVersion:") + (Chance(0.5) ? ">=" : "<") + kVersions[Below(4)];
      }
      const std::string a = PickNumber(*f);
      const std::string b = PickNumber(*f);
      switch (Below(4)) {
        case 0:
          return f->name + ":" + a;
        case 1:
          return f->name + ":" + (Chance(0.5) ? ">" : "<=") + a;
        case 2:
          return f->name + " >= " + a;
        default:
          return f->name + ":" + (Chance(0.5) ? "[" : "{") + a + " TO " +
                 (Chance(0.3) ? std::string("*") : b) + (Chance(0.5) ? "]" : "}");
      }
    }
    case 9: {  // text range or comparison
      if (Chance(0.5)) {
        const int64_t span = std::max<int64_t>(options_.max_time_ms - options_.min_time_ms, 1);
        return "eventTime:>=" + TimeText(options_.min_time_ms +
                                         static_cast<int64_t>(Below(static_cast<uint64_t>(span))));
      }
      const GeneratorField* f = PickField(has_strings);
      std::string a = PickString(*f, true), b = PickString(*f, true);
      if (b < a) std::swap(a, b);
      return f->name + ":[" + QueryPhrase(a) + " TO " + QueryPhrase(b) + "]";
    }
    case 10: {  // _time
      const int64_t span = std::max<int64_t>(options_.max_time_ms - options_.min_time_ms, 1);
      const int64_t a =
          options_.min_time_ms + static_cast<int64_t>(Below(static_cast<uint64_t>(span)));
      const int64_t b = a + static_cast<int64_t>(Below(static_cast<uint64_t>(span / 4 + 1)));
      if (Chance(0.3)) return "_time:>=" + TimeText(a);
      return "_time:[" + TimeText(a) + " TO " + TimeText(b) + "}";
    }
    case 11:
      if (!options_.sources.empty() && Chance(0.7)) {
        return "_source:" + QueryValue(RandomCase(Pick(options_.sources)));
      }
      return "_category:\"Cloud Service Activity\"";
    default:
      return FreeText();
  }
}

std::string QueryGenerator::FreeText() {
  static const auto has_strings = +[](const GeneratorField& f) { return !f.strings.empty(); };
  const GeneratorField* f = PickField(has_strings);
  const std::string value = PickString(*f, true);
  // A word of the value (letters, digits, '_'), else the whole value as a phrase.
  std::vector<std::string> words;
  std::string word;
  for (char c : value + " ") {
    if (IsWordChar(c)) {
      word.push_back(c);
    } else {
      if (word.size() >= 3) words.push_back(word);
      word.clear();
    }
  }
  if (words.empty() || Chance(0.25)) return QueryPhrase(RandomCase(value));
  const std::string w = RandomCase(Pick(words));
  if (Chance(0.3) && w.size() >= 4) return w.substr(0, 2) + "*" + w.substr(w.size() - 1);
  return w;
}

std::string QueryGenerator::Clause() {
  std::string c = Term();
  if (Chance(0.15)) c = (Chance(0.5) ? "NOT " : "-") + c;
  return c;
}

std::string QueryGenerator::Filter(int depth) {
  const size_t n = 1 + Below(depth == 0 ? 3 : 2);
  std::string out;
  for (size_t i = 0; i < n; ++i) {
    if (i > 0) {
      const uint64_t op = Below(3);
      out += op == 0 ? " AND " : (op == 1 ? " OR " : " ");
    }
    if (depth < 2 && Chance(0.2)) {
      out += (Chance(0.2) ? "-(" : "(") + Filter(depth + 1) + ")";
    } else {
      out += Clause();
    }
  }
  return out;
}

std::string QueryGenerator::GroupField() {
  if (Chance(0.08)) return "_source";
  return Pick(group_fields_)->name;
}

std::string QueryGenerator::StatsStages(bool timechart) {
  static const auto any = +[](const GeneratorField&) { return true; };
  static const auto has_numbers = +[](const GeneratorField& f) { return !f.numbers.empty(); };
  std::vector<std::string> columns, sortable, aggs;
  std::set<std::string> names;
  std::string out;
  std::vector<std::string> by;
  if (timechart) {
    static const char* kSpans[] = {"30m", "1h", "6h", "1d", "90s", "2h"};
    out = std::string(" | timechart span=") + kSpans[Below(6)];
    columns.push_back("_time");
    sortable.push_back("_time");
    if (Chance(0.6)) by.push_back(GroupField());
  } else {
    out = Chance(0.3) ? " | STATS" : " | stats";
    const size_t n = Below(3);
    for (size_t i = 0; i < n; ++i) {
      const std::string f = GroupField();
      if (std::find(by.begin(), by.end(), f) == by.end()) by.push_back(f);
    }
  }
  for (const std::string& f : by) {
    names.insert(f);
    sortable.push_back(f);
  }
  const size_t n_aggs = 1 + Below(3);
  for (size_t i = 0; i < n_aggs; ++i) {
    std::string agg, name, canonical;
    const GeneratorField* f = PickField(any);
    switch (Below(8)) {
      case 0:
        agg = Chance(0.5) ? "count()" : "count";
        name = "count";
        break;
      case 1:
        agg = "count(" + f->name + ")";
        break;
      case 2: {
        static const char* kDistinct[] = {"count_distinct", "dc", "distinct_count"};
        agg = std::string(kDistinct[Below(3)]) + "(" + f->name + ")";
        canonical = "count_distinct(" + f->name + ")";
        break;
      }
      case 3:
      case 4: {
        const GeneratorField* num = PickField(has_numbers);
        const std::string field =
            num && Chance(0.6) ? num->name : (Chance(0.5) ? "eventTime" : f->name);
        agg = std::string(Chance(0.5) ? "min" : "max") + "(" + field + ")";
        break;
      }
      case 5:
        agg = "values(" + GroupField() + ")";
        break;
      default:
        agg = "count()";
        name = "count";
        break;
    }
    // Aggregates of a field get a name when they are to be sorted on, or at random.
    if (name.empty() || names.count(name)) {
      if (name.empty() && !Chance(0.6)) {
        name = canonical.empty() ? agg : canonical;  // unnamed: its column is function(field)
      } else {
        name = "a" + std::to_string(i);
        agg += " as " + name;
      }
    }
    if (names.count(name)) continue;
    names.insert(name);
    if (name.find('(') == std::string::npos) sortable.push_back(name);
    aggs.push_back(agg);
  }
  out += " " + aggs[0];
  for (size_t i = 1; i < aggs.size(); ++i) out += (Chance(0.5) ? ", " : " ") + aggs[i];
  if (!by.empty()) {
    out += " by " + by[0];
    for (size_t i = 1; i < by.size(); ++i) out += ", " + by[i];
  }
  if (Chance(0.6) && !sortable.empty()) {
    out += " | sort ";
    const size_t keys = 1 + Below(std::min<size_t>(2, sortable.size()));
    std::set<std::string> used;
    for (size_t i = 0; i < keys; ++i) {
      const std::string& k = Pick(sortable);
      if (!used.insert(k).second) continue;
      out += (used.size() > 1 ? ", " : "") + std::string(Chance(0.5) ? "-" : "") + k;
    }
  }
  if (Chance(0.5)) out += " | head " + std::to_string(1 + Below(30));
  if (Chance(0.15) && !sortable.empty()) out += " | fields " + Pick(sortable);
  return out;
}

std::string QueryGenerator::EventStages() {
  static const auto any = +[](const GeneratorField&) { return true; };
  std::string out;
  if (Chance(0.7)) {
    out += " | sort ";
    const size_t keys = 1 + Below(2);
    for (size_t i = 0; i < keys; ++i) {
      static const std::vector<std::string> kVirtual = {"_time", "_source", "eventTime"};
      const std::string k = Chance(0.3) ? Pick(kVirtual) : PickField(any)->name;
      out += (i > 0 ? ", " : "") + std::string(Chance(0.5) ? "-" : "") + k;
    }
  }
  if (out.empty() || Chance(0.7)) out += " | head " + std::to_string(1 + Below(150));
  if (Chance(0.25)) out += " | stats count() by " + GroupField();
  return out;
}

std::string QueryGenerator::FieldsStages() {
  static const auto any = +[](const GeneratorField&) { return true; };
  std::vector<std::string> cols;
  const size_t n = 1 + Below(4);
  for (size_t i = 0; i < n; ++i) {
    static const std::vector<std::string> kVirtual = {"_time", "_source", "_category"};
    const std::string c = Chance(0.2) ? Pick(kVirtual) : PickField(any)->name;
    if (std::find(cols.begin(), cols.end(), c) == cols.end()) cols.push_back(c);
  }
  std::string out = Chance(0.3) ? " | sort -" + PickField(any)->name : "";
  out += " | fields " + cols[0];
  for (size_t i = 1; i < cols.size(); ++i) out += ", " + cols[i];
  if (Chance(0.4)) out += " | sort " + std::string(Chance(0.5) ? "-" : "") + Pick(cols);
  if (Chance(0.4)) out += " | head " + std::to_string(1 + Below(40));
  return out;
}

std::string QueryGenerator::Stages() {
  switch (Below(10)) {
    case 0:
    case 1:
    case 2:
      return StatsStages(false);
    case 3:
      return StatsStages(true);
    case 4:
    case 5:
      return EventStages();
    case 6:
      return FieldsStages();
    default:
      return "";
  }
}

Result<std::vector<std::string>> QueryGenerator::Generate(size_t count) {
  std::vector<std::string> out;
  if (string_fields_.empty() || group_fields_.empty()) {
    return Status::InvalidArgument("the generator saw no fields to query");
  }
  while (out.size() < count) {
    std::string q;
    if (Chance(0.93)) q = Filter(0);
    q += Stages();
    if (q.empty()) continue;
    if (q.front() == ' ') q.erase(0, 1);
    const Result<query::Query> parsed = query::ParseQuery(q);
    if (!parsed.ok()) {
      return Status::Internal("generated query does not parse: '" + q +
                              "': " + parsed.status().message());
    }
    out.push_back(std::move(q));
  }
  return out;
}

std::vector<std::string> QueryGenerator::HandWritten() {
  return {
      // docs/query-language.md and DESIGN.md
      "eventName:ConsoleLogin AND responseElements.ConsoleLogin:Failure",
      "userIdentity.type:Root -eventType:AwsServiceEvent",
      "sourceIPAddress:203.0.113.* OR errorCode:AccessDenied*",
      "\"AccessDenied\"",
      "errorCode:* | stats count() by eventName, userIdentity.arn | sort -count | head 20",
      "eventSource:s3.amazonaws.com | timechart span=1h count() by eventName",
      "",
      "| stats count()",
      "userAgent:\"aws-cli/2.0 Python\"",
      "errorCode:AccessDenied*",
      "awsRegion:us-\?\?\?\?-1",
      "errorCode:*",
      "bytes:[100 TO 200]",
      "eventTime:{2024-05-01 TO *]",
      "bytes:>=100",
      "bytes:<5 OR bytes>=100 OR bytes >= 100",
      "AccessDenied",
      "Access*Denied",
      "\"Access Denied\"",
      "eventName:(CreateUser OR DeleteUser)",
      "userIdentity.arn:arn:aws:iam::111122223333:root",
      "sourceIPAddress:2001:db8::*",
      "x:-5",
      "eventName: ConsoleLogin",
      "-(eventName:ConsoleLogin OR eventName:GetObject)",
      "eventName:consolelogin and NOT userIdentity.type:IAMUser",
      "resources.type:AWS::S3::Bucket",
      "requestParameters.host:s3.us-west-2.amazonaws.com",
      "eventVersion:>=1.05",
      "eventTime:>=2024-05-01T00:00:00Z",
      "requestParameters.bucketName:[* TO *]",
      "readOnly:true",
      "NOT errorCode:*",
      "requestParameters:*",
      "-errorCode:AccessDenied",
      "resources.type:AWS::S3::Object resources.ARN:*acme-data-lake*",
      "-resources.type:AWS::S3::Object",
      "bytes:(>=100 AND <200)",
      "path:C:\\\\Windows\\\\*",
      "_time:>=2025-01-01T12:00:00Z",
      "| stats count_distinct(userIdentity.arn) as users by eventName | sort -users",
      // The CloudTrail data: nested fields, arrays, numbers, booleans.
      "requestParameters.bucketName:acme-data-lake",
      "userIdentity.sessionContext.sessionIssuer.userName:ReadOnly",
      "userIdentity.sessionContext.attributes.mfaAuthenticated:false",
      "responseElements.ConsoleLogin:*",
      "additionalEventData.bytesTransferredOut:>500000",
      "additionalEventData.bytesTransferredIn:[100000 TO 200000}",
      "requestParameters.durationSeconds:3600",
      "requestParameters.instancesSet.items.minCount:1",
      "readOnly:false managementEvent:true",
      "eventVersion:1.08 OR eventVersion:1.10",
      "eventVersion:1.1",
      "recipientAccountId:444455556666 | stats count() by awsRegion, eventSource",
      "| stats count(), dc(userIdentity.arn), min(eventTime), max(eventTime) by awsRegion",
      "| stats values(awsRegion), count(errorCode) as errors by eventName | sort -errors | head 5",
      "| stats min(additionalEventData.bytesTransferredOut) as lo, "
      "max(additionalEventData.bytesTransferredOut) as hi by requestParameters.bucketName",
      "| stats count() by resources.type, readOnly",
      "| timechart span=6h count() by errorCode",
      "| timechart span=1d dc(sourceIPAddress) as ips",
      "| sort -additionalEventData.bytesTransferredOut | head 15",
      "| sort userIdentity.arn, -_time | head 30",
      "| sort resources.ARN | head 25",
      "| head 500 | stats count() by eventName",
      "eventName:ConsoleLogin | fields _time, userIdentity.arn, responseElements.ConsoleLogin, "
      "additionalEventData.MFAUsed",
      "resources.type:* | fields resources.ARN, resources.type | head 20",
      "| fields userIdentity | head 5",
      "| stats count() by userIdentity.sessionContext | sort -count | head 3",
      "acme*lake \"aws-sdk\"",
      "\"AssumeRoleSession\" OR errorMessage:*authorized*",
      "_source:corpus-panther | stats count() by eventName | sort -count | head 10",
  };
}

}  // namespace trailhound::testing
