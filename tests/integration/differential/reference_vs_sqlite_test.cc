// The reference evaluator — FilterMatcher plus Pipeline, fed every event in load order —
// against the SQLite oracle, on the corpora plus 20,000 simulated events and the generated
// queries. It checks the written semantics without the store: when store_vs_sqlite_test
// fails and this passes, the store (planning, pruning, segments) is at fault.
#include <gtest/gtest.h>
#include <simdjson.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "differential_dataset.h"
#include "differential_runner.h"
#include "query/matcher.h"
#include "query/pipeline.h"
#include "testing/query_generator.h"

namespace trailhound::differential {
namespace {

constexpr uint64_t kSeed = 20250101;

TEST(ReferenceVsSqlite, SameResultsForGeneratedQueries) {
  const auto started = std::chrono::steady_clock::now();
  auto made = testing::SqliteOracle::Create();
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  testing::SqliteOracle& oracle = **made;

  // The events the reference sees: distinct by (recipientAccountId, eventID), else raw.
  std::vector<Event> events;
  std::set<std::string> keys;
  auto add = [&](std::vector<Event>& batch) -> Status {
    const std::vector<testing::OracleEvent> converted = ToOracleEvents(batch);
    TH_RETURN_IF_ERROR(oracle.Add(converted).status());
    for (Event& e : batch) {
      const std::string key = e.event_id.empty()
                                  ? "raw\x1f" + e.raw
                                  : "id\x1f" + e.recipient_account_id + "\x1f" + e.event_id;
      if (keys.insert(key).second) events.push_back(std::move(e));
    }
    return Status::OK();
  };
  std::vector<Event> corpus = LoadCorpora();
  ASSERT_GT(corpus.size(), 500u);
  std::vector<std::string> sample;
  for (const Event& e : corpus) sample.push_back(e.raw);
  std::vector<Event> corpus_copy = corpus;
  ASSERT_TRUE(add(corpus_copy).ok());

  sources::simulate::SimulatorOptions sim;
  sim.seed = kSeed;
  sim.events = 20000;
  sim.span_secs = 2 * 86400;
  sim.gzip_level = 1;
  size_t batches = 0;
  ASSERT_TRUE(ForEachSimulatedBatch(sim, 2000, [&](std::vector<Event>& batch) -> Status {
                for (size_t i = 0; i < batch.size(); i += 10) sample.push_back(batch[i].raw);
                std::vector<Event> again = batch;
                TH_RETURN_IF_ERROR(add(batch));
                if (++batches % 4 == 0) TH_RETURN_IF_ERROR(add(again));  // duplicates
                return Status::OK();
              }).ok());
  ASSERT_EQ(oracle.size(), events.size());

  testing::QueryGeneratorOptions options;
  options.seed = kSeed;
  options.sources = {"cloudtrail-main", "cloudtrail-org", "corpus-panther", "corpus-awsdocs"};
  options.min_time_ms = sim.start_unix_secs * 1000;
  options.max_time_ms = (sim.start_unix_secs + sim.span_secs) * 1000;
  testing::QueryGenerator generator(sample, options);
  Result<std::vector<std::string>> generated = generator.Generate(150);
  ASSERT_TRUE(generated.ok()) << generated.status().ToString();
  std::vector<std::string> queries = testing::QueryGenerator::HandWritten();
  queries.insert(queries.end(), generated->begin(), generated->end());

  simdjson::dom::parser parser;
  const EngineSearch reference = [&](const query::Query& q, int64_t from, int64_t to,
                                     size_t limit) -> Result<query::QueryResult> {
    TH_ASSIGN_OR_RETURN(const query::FilterMatcher matcher,
                        query::FilterMatcher::Compile(q.filter));
    query::PipelineOptions pipeline_options;
    pipeline_options.event_limit = limit;
    TH_ASSIGN_OR_RETURN(auto pipeline, query::Pipeline::Create(q.stages, pipeline_options));
    for (const Event& e : events) {
      if (e._time < from || e._time >= to) continue;
      simdjson::dom::element root;
      if (parser.parse(e.raw).get(root) != simdjson::SUCCESS) {
        return Status::Corruption("unparsable event");
      }
      const query::VirtualFields virtuals{e._time, e._source, CategoryName(e._category)};
      if (!matcher.Matches(root, e.raw, virtuals)) continue;
      TH_RETURN_IF_ERROR(pipeline->Add(root, e.raw, virtuals));
    }
    return pipeline->Finish();
  };

  const int64_t start = options.min_time_ms;
  const int64_t hour = 3600'000;
  const std::vector<TimeRange> ranges = {{start + 6 * hour, start + 30 * hour},
                                         {start + 20 * hour, start + 22 * hour + 1234},
                                         {kCorpusFallbackMs, kCorpusFallbackMs + 1}};
  SerialWorker worker;
  const DifferentialReport report = RunDifferential(
      queries,
      [&ranges](size_t i) {
        return std::vector<TimeRange>{TimeRange{}, ranges[i % ranges.size()]};
      },
      oracle, worker, reference, kSeed);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::printf(
      "reference vs sqlite: %zu events, %zu queries, %zu runs, %zu mismatches, "
      "%zu/%zu filter queries match, %zu non-empty row results, %zu skipped, %.1f s (reference "
      "%.1f s, oracle %.1f s)\n",
      events.size(), queries.size(), report.runs, report.mismatches, report.filter_queries_matching,
      report.filter_queries, report.rows_nonempty, report.skipped, secs, report.engine_secs,
      report.oracle_secs);
  EXPECT_EQ(report.mismatches, 0u);
  EXPECT_GE(report.filter_queries_matching * 10, report.filter_queries * 6);
}

}  // namespace
}  // namespace trailhound::differential
