// Running queries through an engine and the SQLite oracle and comparing the results, for the
// differential tests: which totals must be exact, the first difference between two results
// (with the query, range and seed in the failure), and a worker thread for the oracle.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <limits>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "query/ast.h"
#include "query/parser.h"
#include "query/pipeline.h"
#include "testing/sqlite_oracle.h"

namespace trailhound::differential {

// Whether the store must report the exact number of matching events. Not when older events
// can no longer change the result and the store may stop reading (docs "Events mode"):
// without sort, stats or timechart, or with a `head` before any of them (`fields` without
// stats only picks the values shown).
inline bool TotalIsExact(const std::vector<query::Stage>& stages) {
  for (const query::Stage& stage : stages) {
    if (std::holds_alternative<query::SortStage>(stage.body) ||
        std::holds_alternative<query::StatsStage>(stage.body) ||
        std::holds_alternative<query::TimechartStage>(stage.body)) {
      return true;
    }
    if (std::holds_alternative<query::HeadStage>(stage.body)) return false;
  }
  return false;
}

inline std::string ValueText(const query::Value& v) {
  const auto& d = v.data;
  if (std::holds_alternative<std::monostate>(d)) return "null";
  if (const auto* b = std::get_if<bool>(&d)) return *b ? "true" : "false";
  if (const auto* i = std::get_if<int64_t>(&d)) return std::to_string(*i) + "i";
  if (const auto* r = std::get_if<double>(&d)) {
    std::ostringstream s;
    s.precision(17);
    s << *r << "r";
    return s.str();
  }
  if (const auto* s = std::get_if<std::string>(&d)) return "\"" + *s + "\"";
  std::string out = "[";
  for (const query::Value& e : std::get<query::Value::List>(d)) {
    out += (out.size() > 1 ? "," : "") + ValueText(e);
  }
  return out + "]";
}

inline std::string RowText(const std::vector<query::Value>& row) {
  std::string out = "(";
  for (size_t i = 0; i < row.size(); ++i) out += (i ? ", " : "") + ValueText(row[i]);
  return out + ")";
}

inline std::string EventText(const query::ResultEvent& e) {
  return std::to_string(e.time_millis) + " " + e.source + " " + e.category + " " +
         e.raw.substr(0, 400);
}

// "" when `got` (the engine) equals `want` (the oracle); else the first difference.
inline std::string Difference(const query::QueryResult& got, const query::QueryResult& want,
                              bool total_exact) {
  std::ostringstream why;
  if (got.rows_mode != want.rows_mode) {
    why << "rows_mode: engine " << got.rows_mode << ", oracle " << want.rows_mode;
    return why.str();
  }
  const size_t shown = got.rows_mode ? got.rows.size() : got.events.size();
  if (total_exact ? got.total != want.total
                  : (got.total > want.total || got.total < std::min<uint64_t>(want.total, shown))) {
    why << "total: engine " << got.total << ", oracle " << want.total
        << (total_exact ? "" : " (the engine may count fewer, but not fewer than it returns)");
    return why.str();
  }
  if (got.columns != want.columns) {
    why << "columns differ: engine";
    for (const auto& c : got.columns) why << " " << c;
    why << "; oracle";
    for (const auto& c : want.columns) why << " " << c;
    return why.str();
  }
  const size_t n = got.rows_mode ? std::max(got.rows.size(), want.rows.size())
                                 : std::max(got.events.size(), want.events.size());
  for (size_t i = 0; i < n; ++i) {
    if (got.rows_mode) {
      if (i < got.rows.size() && i < want.rows.size() && got.rows[i] == want.rows[i]) continue;
      why << "row " << i << " of " << got.rows.size() << " (engine) / " << want.rows.size()
          << " (oracle):\n  engine " << (i < got.rows.size() ? RowText(got.rows[i]) : "(none)")
          << "\n  oracle " << (i < want.rows.size() ? RowText(want.rows[i]) : "(none)");
    } else {
      if (i < got.events.size() && i < want.events.size() && got.events[i] == want.events[i]) {
        continue;
      }
      why << "event " << i << " of " << got.events.size() << " (engine) / " << want.events.size()
          << " (oracle):\n  engine "
          << (i < got.events.size() ? EventText(got.events[i]) : "(none)") << "\n  oracle "
          << (i < want.events.size() ? EventText(want.events[i]) : "(none)");
    }
    return why.str();
  }
  return "";
}

// A search by the engine under test: query, [from, to), event_limit.
using EngineSearch =
    std::function<Result<query::QueryResult>(const query::Query&, int64_t, int64_t, size_t)>;

struct TimeRange {
  int64_t from = std::numeric_limits<int64_t>::min();
  int64_t to = std::numeric_limits<int64_t>::max();
};

// Runs tasks one at a time, in order, on its own thread: the oracle is loaded and queried
// there while the store works on the test's thread (the two are independent).
class SerialWorker {
 public:
  SerialWorker() : thread_([this] { Loop(); }) {}
  ~SerialWorker() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  template <typename F>
  auto Submit(F f) -> std::future<decltype(f())> {
    auto task = std::make_shared<std::packaged_task<decltype(f())()>>(std::move(f));
    std::future<decltype(f())> result = task->get_future();
    {
      std::lock_guard<std::mutex> lock(mu_);
      tasks_.push_back([task] { (*task)(); });
    }
    cv_.notify_all();
    return result;
  }

 private:
  void Loop() {
    while (true) {
      std::function<void()> task;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !tasks_.empty(); });
        if (tasks_.empty()) return;
        task = std::move(tasks_.front());
        tasks_.pop_front();
      }
      task();
    }
  }
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stop_ = false;
  std::thread thread_;  // last: starts after the members it uses
};

struct DifferentialReport {
  size_t runs = 0;  // (query, time range) pairs compared
  size_t mismatches = 0;
  size_t filter_queries = 0;           // queries without stages
  size_t filter_queries_matching = 0;  // ... that match at least one event (first range)
  size_t rows_nonempty = 0;            // runs in rows mode with at least one row
  size_t skipped = 0;                  // kUnimplemented in the oracle
  double engine_secs = 0;              // time spent in the engine's searches
  double oracle_secs = 0;              // time spent in the oracle's
};

// Runs every query over the time ranges `ranges_of(i)` gives for query #i, through the engine
// (on this thread) and the oracle (on `worker`, meanwhile), then compares them and reports
// each difference with the query and the seed.
inline DifferentialReport RunDifferential(
    const std::vector<std::string>& queries,
    const std::function<std::vector<TimeRange>(size_t)>& ranges_of, testing::SqliteOracle& oracle,
    SerialWorker& worker, const EngineSearch& engine, uint64_t seed) {
  using Clock = std::chrono::steady_clock;
  struct Run {
    size_t query = 0;
    TimeRange range;
    size_t limit = 100;
    bool first = false;  // the query's first range
  };
  std::vector<Result<query::Query>> parsed;
  std::vector<Run> runs;
  for (size_t i = 0; i < queries.size(); ++i) {
    parsed.push_back(query::ParseQuery(queries[i]));
    EXPECT_TRUE(parsed.back().ok())
        << "query #" << i << " '" << queries[i] << "': " << parsed.back().status().ToString();
    if (!parsed.back().ok()) continue;
    const std::vector<TimeRange> ranges = ranges_of(i);
    for (size_t r = 0; r < ranges.size(); ++r)
      runs.push_back({i, ranges[r], i % 5 == 3 ? 37u : 100u, r == 0});
  }
  DifferentialReport report;
  using Results = std::vector<Result<query::QueryResult>>;
  std::future<Results> wanted = worker.Submit([&]() {
    const auto start = Clock::now();
    Results out;
    for (const Run& run : runs) {
      out.push_back(oracle.Run(*parsed[run.query], run.range.from, run.range.to, run.limit));
    }
    report.oracle_secs = std::chrono::duration<double>(Clock::now() - start).count();
    return out;
  });
  Results got;
  const auto engine_start = Clock::now();
  for (const Run& run : runs) {
    got.push_back(engine(*parsed[run.query], run.range.from, run.range.to, run.limit));
  }
  report.engine_secs = std::chrono::duration<double>(Clock::now() - engine_start).count();
  const Results want = wanted.get();

  for (size_t k = 0; k < runs.size(); ++k) {
    const Run& run = runs[k];
    const std::string& text = queries[run.query];
    const query::Query& q = *parsed[run.query];
    if (!want[k].ok() && want[k].status().code() == StatusCode::kUnimplemented) {
      ++report.skipped;
      continue;
    }
    EXPECT_TRUE(want[k].ok()) << "oracle failed on '" << text
                              << "': " << want[k].status().ToString();
    EXPECT_TRUE(got[k].ok()) << "engine failed on '" << text << "': " << got[k].status().ToString();
    if (!want[k].ok() || !got[k].ok()) {
      ++report.mismatches;
      continue;
    }
    ++report.runs;
    if (run.first && q.stages.empty()) {
      ++report.filter_queries;
      if (want[k]->total > 0) ++report.filter_queries_matching;
    }
    if (want[k]->rows_mode && !want[k]->rows.empty()) ++report.rows_nonempty;
    const std::string why = Difference(*got[k], *want[k], TotalIsExact(q.stages));
    if (!why.empty()) {
      ++report.mismatches;
      ADD_FAILURE() << "MISMATCH for query #" << run.query << " (seed " << seed
                    << ")\n  query: " << text << "\n  time range: [" << run.range.from << ", "
                    << run.range.to << "), event_limit " << run.limit << "\n  " << why;
    }
  }
  return report;
}

}  // namespace trailhound::differential
