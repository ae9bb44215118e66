// QueryGenerator: seeded random queries over the fields and values that occur in a set of
// CloudTrail events, for differential tests (tests/integration/differential/): exact values
// with random case changes, phrases, wildcards (prefix, suffix, infix, '?'), field:*,
// NOT/-, AND/OR/parentheses, field groups, nested and array fields, numeric and text
// comparisons and ranges, _time ranges, free text, and pipe stages (stats with every
// aggregate and 0-2 by-fields, sort, head, fields, timechart). The same seed and events give
// the same queries. Every query it returns parses with query::ParseQuery.
// Thread safety: a plain value; Generate is not const (it advances the random state).
#pragma once

#include <cstdint>
#include <map>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace trailhound::testing {

// What the generator knows about one field path.
struct GeneratorField {
  std::vector<std::string> keys;            // the path's object keys
  std::string name;                         // as written in a query (keys escaped, joined by '.')
  uint64_t events = 0;                      // sampled events in which it has a non-null value
  std::map<std::string, uint64_t> strings;  // string values → events (at most kMaxValues)
  std::map<std::string, uint64_t> numbers;  // numbers (JSON text) → events
  uint64_t booleans = 0;                    // booleans seen
  uint64_t objects = 0;                     // objects seen
  static constexpr size_t kMaxValues = 256;
};

struct QueryGeneratorOptions {
  uint64_t seed = 1;
  // Values for _source (the event sources of the data).
  std::vector<std::string> sources;
  // The data's time range (ms since the epoch), for _time terms.
  int64_t min_time_ms = 0;
  int64_t max_time_ms = 0;
};

class QueryGenerator {
 public:
  // Learns the fields and values of `events` (verbatim JSON objects; invalid ones are skipped).
  QueryGenerator(std::span<const std::string> events, QueryGeneratorOptions options);

  // `count` random queries. kInternal naming the query if one does not parse (a bug here).
  Result<std::vector<std::string>> Generate(size_t count);

  // Hand-written queries: the examples of docs/query-language.md and DESIGN.md, and some
  // for the CloudTrail data (nested fields, arrays, numbers).
  static std::vector<std::string> HandWritten();

  const std::map<std::string, GeneratorField>& fields() const { return fields_; }

 private:
  // Random helpers.
  uint64_t Below(uint64_t n);  // uniform in [0, n); REQUIRES: n > 0
  bool Chance(double p);
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

  // Picks a field that has string values (weighted towards common ones), etc.
  const GeneratorField* PickField(bool (*accept)(const GeneratorField&));
  std::string PickString(const GeneratorField& field, bool common);
  std::string PickNumber(const GeneratorField& field);
  std::string RandomCase(std::string_view text);

  std::string Filter(int depth);
  std::string Clause();
  std::string Term();
  std::string FreeText();
  std::string Stages();
  std::string StatsStages(bool timechart);
  std::string EventStages();
  std::string FieldsStages();
  std::string GroupField();
  std::string TimeText(int64_t millis);

  QueryGeneratorOptions options_;
  std::mt19937_64 rng_;
  std::map<std::string, GeneratorField> fields_;  // by name
  std::vector<const GeneratorField*> string_fields_, number_fields_, group_fields_;
  std::vector<const GeneratorField*> all_fields_;
};

// Query text helpers, exposed for tests: a value written so that the parser reads it back as
// exactly `value` (escaping what is special), as a phrase, and a key path as a field name.
std::string QueryValue(std::string_view value);
std::string QueryPhrase(std::string_view value);
std::string QueryFieldName(const std::vector<std::string>& keys);

}  // namespace trailhound::testing
