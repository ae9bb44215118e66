// Issue 3: "SQLite as the oracle". Every CloudTrail record of the corpora plus 200,000
// simulated ones go into the embedded store (through the real reader and normalizer, some
// batches twice, flushed part-way so that segments and the memtable are both searched, with
// small blocks so that block pruning works) and, each distinct event once, into the SQLite
// oracle; then every hand-written and generated query, over two time ranges, must give the
// same total, events, columns and rows from store::Search and SqliteOracle::Run. The oracle
// loads and answers on a worker thread while the store works on the test's thread.
// Doubles are compared exactly: both sides read the same JSON text. To reproduce a mismatch,
// run the printed query against the same seed; the seed and the query count are constants.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <future>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "core/temp_dir.h"
#include "differential_dataset.h"
#include "differential_runner.h"
#include "store/search.h"
#include "store/store.h"
#include "testing/query_generator.h"

namespace trailhound::differential {
namespace {

constexpr uint64_t kSeed = 20250103;
constexpr uint64_t kSimulatedEvents = 200'000;
constexpr size_t kGeneratedQueries = 150;

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

TEST(StoreVsSqlite, SameResultsForGeneratedQueries) {
  const auto started = std::chrono::steady_clock::now();
  TempDir dir;
  ASSERT_FALSE(dir.path().empty());
  store::StoreOptions store_options;
  store_options.data_dir = dir.path();
  store_options.background = false;             // flushes happen where the test says
  store_options.segment.rows_per_block = 1024;  // many blocks per segment: pruning matters
  store_options.max_memtable_events = 10'000'000;
  auto opened = store::Store::Open(store_options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store::Store& store = **opened;
  auto made = testing::SqliteOracle::Create();
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  testing::SqliteOracle& oracle = **made;

  // The oracle is loaded and queried on its own thread while the store works on this one.
  SerialWorker worker;
  std::deque<std::future<Status>> oracle_adds;
  auto drain = [&oracle_adds](size_t keep) -> Status {
    while (oracle_adds.size() > keep) {
      const Status s = oracle_adds.front().get();
      oracle_adds.pop_front();
      if (!s.ok()) return s;
    }
    return Status::OK();
  };
  uint64_t appended = 0, duplicates = 0;
  double store_append_secs = 0, oracle_load_secs = 0;
  // `again`: a batch the store has had before; the oracle is loaded with each event once (it
  // would skip them too, but flattening them first costs time).
  auto add = [&](std::span<const Event> batch, bool again = false) -> Status {
    const auto append_begin = std::chrono::steady_clock::now();
    TH_ASSIGN_OR_RETURN(const store::AppendResult r, store.Append(batch));
    store_append_secs += SecondsSince(append_begin);
    appended += r.stored;
    duplicates += r.duplicates;
    if (again) return Status::OK();
    auto events = std::make_shared<const std::vector<testing::OracleEvent>>(ToOracleEvents(batch));
    oracle_adds.push_back(worker.Submit([&oracle, &oracle_load_secs, events]() {
      const auto begin = std::chrono::steady_clock::now();
      const Status s = oracle.Add(*events).status();
      oracle_load_secs += SecondsSince(begin);  // only this worker thread writes it
      return s;
    }));
    return drain(16);  // bounds the batches waiting for the oracle
  };

  // The corpora first (their duplicate eventIDs are deduplicated by both sides).
  const std::vector<Event> corpus = LoadCorpora();
  ASSERT_GT(corpus.size(), 500u);
  std::vector<std::string> sample;
  for (const Event& e : corpus) sample.push_back(e.raw);
  ASSERT_TRUE(add(corpus).ok());

  // The simulated events: every 5th batch twice; flushes at a third and at two thirds, so
  // that the searches see several segments per day and a memtable.
  sources::simulate::SimulatorOptions sim;
  sim.seed = kSeed;
  sim.events = kSimulatedEvents;
  sim.span_secs = 3 * 86400;  // three UTC days: segments per day
  sim.gzip_level = 1;         // the files are still gzip; compressing them is not under test
  uint64_t simulated = 0;
  size_t batches = 0;
  int flushes = 0;
  const Status simulated_ok =
      ForEachSimulatedBatch(sim, 4000, [&](std::vector<Event>& batch) -> Status {
        for (size_t i = 0; i < batch.size(); i += 40) sample.push_back(batch[i].raw);
        TH_RETURN_IF_ERROR(add(batch));
        if (++batches % 5 == 0) TH_RETURN_IF_ERROR(add(batch, true));  // re-delivered
        simulated += batch.size();
        if (flushes < 2 && simulated >= (flushes + 1) * kSimulatedEvents / 3) {
          TH_RETURN_IF_ERROR(store.Flush());
          ++flushes;
        }
        return Status::OK();
      });
  ASSERT_TRUE(simulated_ok.ok()) << simulated_ok.ToString();
  ASSERT_EQ(simulated, kSimulatedEvents);
  ASSERT_TRUE(add(corpus, true).ok());  // the corpora again: all duplicates
  const Status oracle_loaded = drain(0);
  ASSERT_TRUE(oracle_loaded.ok()) << oracle_loaded.ToString();
  const store::StoreStats stats = store.stats();
  EXPECT_EQ(stats.events, oracle.size());
  EXPECT_EQ(appended, oracle.size());
  EXPECT_GT(duplicates, 0u);
  EXPECT_GE(stats.segments, 2u);
  EXPECT_GT(stats.memtable_events, 0u);
  const double load_secs = SecondsSince(started);

  testing::QueryGeneratorOptions options;
  options.seed = kSeed;
  options.sources = {"cloudtrail-main", "cloudtrail-org", "corpus-panther", "corpus-awsdocs",
                     "corpus-logfiles"};
  options.min_time_ms = sim.start_unix_secs * 1000;
  options.max_time_ms = (sim.start_unix_secs + sim.span_secs) * 1000;
  testing::QueryGenerator generator(sample, options);
  Result<std::vector<std::string>> generated = generator.Generate(kGeneratedQueries);
  ASSERT_TRUE(generated.ok()) << generated.status().ToString();
  std::vector<std::string> queries = testing::QueryGenerator::HandWritten();
  queries.insert(queries.end(), generated->begin(), generated->end());

  const EngineSearch search = [&store](const query::Query& q, int64_t from, int64_t to,
                                       size_t limit) {
    store::SearchOptions search_options;
    search_options.from_ms = from;
    search_options.to_ms = to;
    search_options.pipeline.event_limit = limit;
    return store::Search(store, q, search_options);
  };
  // Time ranges: the whole range for every 10th query, else a 3-hour window or the last six
  // hours (open-ended); then a narrow one: an hour, 2 hours and 47 minutes with odd edges
  // across a day boundary, or the corpora's fallback instant (many events at one _time: the
  // order of ties). Narrow ranges keep the run short and make the store prune.
  const int64_t start = options.min_time_ms;
  const int64_t hour = 3'600'000;
  const std::vector<TimeRange> wide = {{start + 30 * hour, start + 33 * hour},
                                       {start + 66 * hour, std::numeric_limits<int64_t>::max()}};
  const std::vector<TimeRange> narrow = {
      {start + 5 * hour, start + 6 * hour},
      {start + 46 * hour + 1234, start + 48 * hour + 47 * 60'000},
      {kCorpusFallbackMs, kCorpusFallbackMs + 1}};
  const auto ranges_of = [&](size_t i) {
    return std::vector<TimeRange>{i % 10 == 0 ? TimeRange{} : wide[i % wide.size()],
                                  narrow[i % narrow.size()]};
  };
  const DifferentialReport report =
      RunDifferential(queries, ranges_of, oracle, worker, search, kSeed);
  std::printf(
      "store vs sqlite (seed %llu): %llu events (%llu simulated + %zu corpus records, %llu "
      "duplicates skipped), %zu queries (%zu generated), %zu runs, %zu mismatches, %zu/%zu "
      "filter queries match, %zu non-empty row results, %zu skipped; load %.1f s (store appends "
      "%.1f s, oracle loading %.1f s on its thread), then in parallel store searches %.1f s and "
      "oracle runs %.1f s; total %.1f s\n",
      static_cast<unsigned long long>(kSeed), static_cast<unsigned long long>(oracle.size()),
      static_cast<unsigned long long>(kSimulatedEvents), corpus.size(),
      static_cast<unsigned long long>(duplicates), queries.size(), generated->size(), report.runs,
      report.mismatches, report.filter_queries_matching, report.filter_queries,
      report.rows_nonempty, report.skipped, load_secs, store_append_secs, oracle_load_secs,
      report.engine_secs, report.oracle_secs, SecondsSince(started));
  EXPECT_EQ(report.mismatches, 0u);
  EXPECT_GE(queries.size(), 100u);
  // Most filters match something, so the test cannot pass by returning nothing.
  EXPECT_GE(report.filter_queries_matching * 10, report.filter_queries * 6);
  EXPECT_GE(report.rows_nonempty, 50u);
}

}  // namespace
}  // namespace trailhound::differential
