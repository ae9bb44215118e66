// Throughput of the normalize stage over the 476 Panther CloudTrail test events (realistic,
// varied shapes). Every benchmark reports items_per_second (records/s) and bytes_per_second
// over the same records, so the numbers compare directly:
//   SimdjsonIterateOnly   the baseline: copy into a padded buffer + ondemand iterate + get the
//                         root object, no field visited (simdjson's lazy floor)
//   Normalize             CloudTrailNormalizer::Normalize: all typed fields, raw copy, eventTime
// Run: cmake -DTRAILHOUND_BENCH=ON ... && build/bench/normalize_bench
#include <benchmark/benchmark.h>
#include <simdjson.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "transforms/normalize/cloudtrail_normalizer.h"

namespace trailhound::transforms {
namespace {

// The "event" objects of the Panther corpus, compact JSON, loaded once.
const std::vector<std::string>& Events() {
  static const std::vector<std::string> events = [] {
    std::vector<std::string> out;
    std::ifstream in(std::string(TRAILHOUND_SHARED_DIR) +
                     "/corpora/panther-cloudtrail/tests.jsonl");
    simdjson::dom::parser parser;
    for (std::string line; std::getline(in, line);) {
      simdjson::dom::element event;
      if (parser.parse(line)["event"].get(event) == simdjson::SUCCESS) {
        out.push_back(simdjson::to_string(event));
      }
    }
    if (out.empty()) std::fprintf(stderr, "no events found under TRAILHOUND_SHARED_DIR\n");
    return out;
  }();
  return events;
}

int64_t TotalBytes() {
  int64_t n = 0;
  for (const std::string& e : Events()) n += static_cast<int64_t>(e.size());
  return n;
}

void BM_SimdjsonIterateOnly(benchmark::State& state) {
  simdjson::ondemand::parser parser;
  std::string padded;
  for (auto _ : state) {
    for (const std::string& e : Events()) {
      if (padded.size() < e.size() + simdjson::SIMDJSON_PADDING) {
        padded.resize(e.size() + simdjson::SIMDJSON_PADDING);
      }
      std::memcpy(padded.data(), e.data(), e.size());
      simdjson::ondemand::document doc;
      simdjson::ondemand::object object;
      auto error = parser.iterate(padded.data(), e.size(), padded.size()).get(doc);
      if (!error) error = doc.get_object().get(object);
      benchmark::DoNotOptimize(error);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(Events().size()));
  state.SetBytesProcessed(state.iterations() * TotalBytes());
}
BENCHMARK(BM_SimdjsonIterateOnly);

void BM_Normalize(benchmark::State& state) {
  CloudTrailNormalizer normalizer;
  for (auto _ : state) {
    for (const std::string& e : Events()) {
      Result<Event> event = normalizer.Normalize(e, "cloudtrail-main", 0);
      benchmark::DoNotOptimize(event);
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(Events().size()));
  state.SetBytesProcessed(state.iterations() * TotalBytes());
}
BENCHMARK(BM_Normalize);

}  // namespace
}  // namespace trailhound::transforms

BENCHMARK_MAIN();
