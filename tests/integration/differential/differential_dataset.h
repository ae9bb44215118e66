// The dataset of the differential tests (store vs SQLite, reference pipeline vs SQLite):
// every CloudTrail record of ../shared/corpora and simulated delivery files, read by the real
// CloudTrailReader and CloudTrailNormalizer, as Events and as the oracle's OracleEvents.
#pragma once

#include <gtest/gtest.h>
#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <functional>
#include <span>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "codecs/cloudtrail_reader.h"
#include "core/event.h"
#include "sources/simulate/cloudtrail_simulator.h"
#include "testing/sqlite_oracle.h"
#include "transforms/normalize/cloudtrail_normalizer.h"

namespace trailhound::differential {

inline const std::string kCorpora = std::string(TRAILHOUND_SHARED_DIR) + "/corpora/";
// _time of corpus records without a usable eventTime: 2024-01-01T00:00:00Z.
inline constexpr int64_t kCorpusFallbackMs = 1704067200000;

inline std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// Reads one CloudTrail object (a {"Records":[...]} file, gzip or not) and normalizes each
// record it delivers. Errors of the object (the deliberately broken file) keep the records
// delivered before them, as the product does.
inline void ReadObject(std::string_view bytes, const std::string& name, const std::string& source,
                       int64_t fallback_ms, transforms::CloudTrailNormalizer& normalizer,
                       std::vector<Event>* out) {
  const Status s = codecs::ReadCloudTrailObject(
      bytes, name, codecs::CloudTrailReaderOptions{},
      [&](const codecs::CloudTrailRecord& record) -> Status {
        Result<Event> e = normalizer.Normalize(record.json, source, fallback_ms);
        if (e.ok()) out->push_back(std::move(*e));
        return Status::OK();
      });
  (void)s;
}

// The end of the JSON object or array that starts at `begin`, or npos.
inline size_t ValueEnd(std::string_view text, size_t begin) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = begin; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

// The "event" member of each JSON line of a corpus file, as one Records document: its
// verbatim text (checked by parsing it), else its minified text.
inline std::string JsonlAsRecords(const std::string& path) {
  std::ifstream in(path);
  std::string records = "{\"Records\":[";
  std::string line;
  simdjson::dom::parser parser, check;
  bool first = true;
  while (std::getline(in, line)) {
    simdjson::dom::element row, event, again;
    if (parser.parse(line).get(row) != simdjson::SUCCESS ||
        row["event"].get(event) != simdjson::SUCCESS) {
      ADD_FAILURE() << "bad line in " << path;
      continue;
    }
    const std::string minified = simdjson::minify(event);
    std::string raw = minified;
    const size_t at = line.find("\"event\": {");
    const size_t end = at == std::string::npos ? at : ValueEnd(line, at + 9);
    if (end != std::string::npos) {
      const std::string candidate = line.substr(at + 9, end - at - 9);
      if (check.parse(candidate).get(again) == simdjson::SUCCESS &&
          simdjson::minify(again) == minified) {
        raw = candidate;
      }
    }
    records += (first ? "" : ",") + raw;
    first = false;
  }
  return records + "]}";
}

// Every CloudTrail record of the corpora, in a fixed order.
inline std::vector<Event> LoadCorpora() {
  transforms::CloudTrailNormalizer normalizer;
  std::vector<Event> events;
  for (const auto& [file, source] : std::vector<std::pair<std::string, std::string>>{
           {"panther-cloudtrail/tests.jsonl", "corpus-panther"},
           {"panther-cloudtrail/scenarios.jsonl", "corpus-panther"},
           {"aws-docs-cloudtrail-examples/events.jsonl", "corpus-awsdocs"}}) {
    ReadObject(JsonlAsRecords(kCorpora + file), file, source, kCorpusFallbackMs, normalizer,
               &events);
  }
  std::vector<std::string> logfiles;
  for (const auto& entry : std::filesystem::directory_iterator(
           kCorpora + "cloudtrail-logfiles-aws-processing-library/files")) {
    logfiles.push_back(entry.path().string());
  }
  std::sort(logfiles.begin(), logfiles.end());
  for (const std::string& path : logfiles) {
    ReadObject(ReadFile(path), path, "corpus-logfiles", kCorpusFallbackMs, normalizer, &events);
  }
  return events;
}

// Simulated CloudTrail files → reader → normalizer, handed on in batches of about
// `batch_size` events (whole files). Source names tell the two simulated accounts apart.
inline Status ForEachSimulatedBatch(const sources::simulate::SimulatorOptions& options,
                                    size_t batch_size,
                                    const std::function<Status(std::vector<Event>&)>& batch_fn) {
  TH_ASSIGN_OR_RETURN(auto simulator, sources::simulate::CloudTrailSimulator::Create(options));
  transforms::CloudTrailNormalizer normalizer;
  std::vector<Event> batch;
  TH_RETURN_IF_ERROR(simulator.ForEachFile([&](sources::simulate::SimulatedFile& file) -> Status {
    const std::string source =
        file.account_id == options.accounts.front() ? "cloudtrail-main" : "cloudtrail-org";
    ReadObject(file.body, file.key, source, file.window_start_secs * 1000, normalizer, &batch);
    if (batch.size() < batch_size) return Status::OK();
    const Status handed = batch_fn(batch);
    batch.clear();
    return handed;
  }));
  if (!batch.empty()) TH_RETURN_IF_ERROR(batch_fn(batch));
  return Status::OK();
}

inline std::vector<testing::OracleEvent> ToOracleEvents(std::span<const Event> events) {
  std::vector<testing::OracleEvent> out;
  out.reserve(events.size());
  for (const Event& e : events) {
    out.push_back({e._time, e._source, std::string(CategoryName(e._category)), e.raw});
  }
  return out;
}

}  // namespace trailhound::differential
