// The embedded store against a brute-force scan of the same events, in one run:
//   ScanBaseline/<q>   every event's raw JSON parsed and matched by the reference FilterMatcher
//                      from memory (no disk, no decompression): what a store without indexes
//                      and pruning costs at best
//   StoreSearch/<q>    store::Search over flushed segments (zstd blocks on disk, Bloom and
//                      n-gram block filters, time pruning)
//   StoreAppend        Append (dedup + WAL group commit + fdatasync) of 5,000-event batches,
//                      then Flush to segments; items = events
// Queries: a rare event name, a common error code, a free-text word, a nested field, stats by
// eventSource, and a 1-hour time window. Counters: rows_examined, blocks_scanned/blocks_total,
// and for StoreAppend bytes_per_event on disk vs raw_bytes_per_event.
// The events are simulated (seeded), 200,000 by default ($TRAILHOUND_BENCH_EVENTS).
// Run: cmake -DTRAILHOUND_BENCH=ON ... && build/bench/store_bench
#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "codecs/cloudtrail_reader.h"
#include "query/matcher.h"
#include "query/parser.h"
#include "query/pipeline.h"
#include "sources/simulate/cloudtrail_simulator.h"
#include "store/search.h"
#include "store/store.h"
#include "transforms/normalize/cloudtrail_normalizer.h"

namespace trailhound::store {
namespace {

namespace fs = std::filesystem;

const char* const kQueries[] = {
    "eventName:DeleteTrail",          "errorCode:AccessDenied",
    "\"ThrottlingException\"",        "requestParameters.bucketName:*logs*",
    "| stats count() by eventSource", "_time:[2025-01-01T06:00:00Z TO 2025-01-01T07:00:00Z}",
};

struct Dataset {
  std::vector<StoredEvent> events;
  uint64_t raw_bytes = 0;
  std::string dir;
  std::unique_ptr<Store> store;  // holds every event, flushed
};

std::string FreshDir() {
  std::string pattern = (fs::temp_directory_path() / "store-bench-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) std::abort();
  return pattern;
}

std::vector<StoredEvent> Simulate() {
  sources::simulate::SimulatorOptions options;
  const char* env = std::getenv("TRAILHOUND_BENCH_EVENTS");
  options.events = env != nullptr ? std::strtoull(env, nullptr, 10) : 200'000;
  auto simulator = sources::simulate::CloudTrailSimulator::Create(options);
  if (!simulator.ok()) std::abort();
  transforms::CloudTrailNormalizer normalizer;
  std::vector<StoredEvent> events;
  Status status = simulator->ForEachFile([&](sources::simulate::SimulatedFile& file) {
    return codecs::ReadCloudTrailObject(
        file.body, file.key, {}, [&](const codecs::CloudTrailRecord& record) -> Status {
          TH_ASSIGN_OR_RETURN(Event event, normalizer.Normalize(record.json, "bench", 0));
          events.push_back(StoredEvent::FromEvent(event));
          return Status::OK();
        });
  });
  if (!status.ok()) std::abort();
  return events;
}

Dataset& Data() {
  static Dataset data = [] {
    Dataset d;
    d.events = Simulate();
    for (const auto& e : d.events) d.raw_bytes += e.raw.size();
    d.dir = FreshDir();
    StoreOptions options;
    options.data_dir = d.dir;
    options.background = false;
    auto store = Store::Open(options);
    if (!store.ok()) std::abort();
    for (size_t i = 0; i < d.events.size(); i += 5000) {
      size_t n = std::min<size_t>(5000, d.events.size() - i);
      if (!(*store)->Append(std::span<const StoredEvent>(d.events).subspan(i, n)).ok())
        std::abort();
    }
    if (!(*store)->Flush().ok()) std::abort();
    d.store = std::move(*store);
    return d;
  }();
  return data;
}

void ScanBaseline(benchmark::State& state) {
  Dataset& data = Data();
  auto query = query::ParseQuery(kQueries[state.range(0)]);
  auto matcher = query::FilterMatcher::Compile(query->filter);
  simdjson::dom::parser parser;
  uint64_t total = 0;
  for (auto _ : state) {
    auto pipeline = query::Pipeline::Create(query->stages);
    for (const StoredEvent& event : data.events) {
      simdjson::dom::element root;
      if (parser.parse(event.raw.data(), event.raw.size()).get(root)) std::abort();
      query::VirtualFields virtuals;
      virtuals.time_millis = event.time;
      virtuals.source = event.source;
      virtuals.category = CategoryName(event.category);
      if (matcher->Matches(root, event.raw, virtuals)) {
        if (!(*pipeline)->Add(root, event.raw, virtuals).ok()) std::abort();
      }
    }
    auto result = (*pipeline)->Finish();
    total = result->total;
  }
  state.SetLabel(kQueries[state.range(0)]);
  state.counters["matches"] = static_cast<double>(total);
  state.counters["rows_examined"] = static_cast<double>(data.events.size());
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data.events.size()));
}

void StoreSearch(benchmark::State& state) {
  Dataset& data = Data();
  auto query = query::ParseQuery(kQueries[state.range(0)]);
  SearchStats stats;
  uint64_t total = 0;
  for (auto _ : state) {
    auto result = Search(*data.store, *query, {}, &stats);
    if (!result.ok()) {
      state.SkipWithError(result.status().ToString().c_str());
      return;
    }
    total = result->total;
  }
  state.SetLabel(kQueries[state.range(0)]);
  state.counters["matches"] = static_cast<double>(total);
  state.counters["rows_examined"] = static_cast<double>(stats.rows_examined);
  state.counters["blocks_scanned"] = static_cast<double>(stats.blocks_scanned);
  state.counters["blocks_total"] = static_cast<double>(stats.blocks_total);
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data.events.size()));
}

void StoreAppend(benchmark::State& state) {
  Dataset& data = Data();
  uint64_t segment_bytes = 0;
  for (auto _ : state) {
    std::string dir = FreshDir();
    StoreOptions options;
    options.data_dir = dir;
    options.background = false;
    auto store = Store::Open(options);
    for (size_t i = 0; i < data.events.size(); i += 5000) {
      size_t n = std::min<size_t>(5000, data.events.size() - i);
      if (!(*store)->Append(std::span<const StoredEvent>(data.events).subspan(i, n)).ok()) {
        std::abort();
      }
    }
    if (!(*store)->Flush().ok()) std::abort();
    segment_bytes = (*store)->stats().segment_bytes;
    store->reset();
    fs::remove_all(dir);
  }
  double n = static_cast<double>(data.events.size());
  state.counters["bytes_per_event"] = static_cast<double>(segment_bytes) / n;
  state.counters["raw_bytes_per_event"] = static_cast<double>(data.raw_bytes) / n;
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(data.events.size()));
}

BENCHMARK(ScanBaseline)->DenseRange(0, std::size(kQueries) - 1)->Unit(benchmark::kMillisecond);
BENCHMARK(StoreSearch)->DenseRange(0, std::size(kQueries) - 1)->Unit(benchmark::kMillisecond);
BENCHMARK(StoreAppend)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace trailhound::store

BENCHMARK_MAIN();
