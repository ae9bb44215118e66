// Throughput of the store's write-ahead log: durable appends of 1 KiB records (about one
// CloudTrail event) from 1, 4 and 16 threads. Every Append returns only after fdatasync.
//   WalAppend               WalWriter with group commit, one record per Append
//   WriteSyncPerRecord      the baseline: one shared file, write + fdatasync per record
//                           under a mutex (what a WAL without group commit does)
// Reports items_per_second (durable appends/s) and bytes_per_second (record bytes).
// The files go to $TRAILHOUND_WAL_BENCH_DIR (default: the temp directory); point it at
// tmpfs and at a real disk to see the cost of the sync itself.
// Run: cmake -DTRAILHOUND_BENCH=ON ... && build/bench/wal_bench
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "store/wal_writer.h"

namespace trailhound::store {
namespace {

constexpr size_t kRecordBytes = 1024;

std::string FreshDir() {
  const char* base = std::getenv("TRAILHOUND_WAL_BENCH_DIR");
  std::filesystem::path root =
      base != nullptr ? std::filesystem::path(base) : std::filesystem::temp_directory_path();
  std::string tmpl = (root / "wal-bench-XXXXXX").string();
  if (::mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

// Shared by the threads of one benchmark run; set up and torn down by thread 0 (the
// benchmark loop's start and end are barriers for all threads).
std::string g_dir;
std::unique_ptr<WalWriter> g_writer;
int g_fd = -1;
std::mutex g_mu;

void WalAppend(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_dir = FreshDir();
    auto w = WalWriter::Open(g_dir, {});
    if (!w.ok()) {
      state.SkipWithError(w.status().ToString().c_str());
      return;
    }
    g_writer = std::move(*w);
  }
  const std::string record(kRecordBytes, 'e');
  const std::string_view view = record;
  for (auto _ : state) {
    Status s = g_writer->Append({&view, 1});
    if (!s.ok()) state.SkipWithError(s.ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kRecordBytes));
  if (state.thread_index() == 0) {
    WalWriterStats stats = g_writer->stats();
    state.counters["records_per_sync"] = static_cast<double>(stats.records) /
                                         static_cast<double>(std::max<uint64_t>(1, stats.syncs));
    g_writer.reset();
    std::filesystem::remove_all(g_dir);
  }
}

void WriteSyncPerRecord(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_dir = FreshDir();
    g_fd =
        ::open((g_dir + "/baseline.log").c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (g_fd < 0) std::abort();
  }
  const std::string record(kRecordBytes, 'e');
  for (auto _ : state) {
    std::lock_guard lock(g_mu);
    if (::write(g_fd, record.data(), record.size()) != static_cast<ssize_t>(record.size()) ||
        ::fdatasync(g_fd) != 0) {
      state.SkipWithError("write/fdatasync failed");
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kRecordBytes));
  if (state.thread_index() == 0) {
    ::close(g_fd);
    std::filesystem::remove_all(g_dir);
  }
}

BENCHMARK(WriteSyncPerRecord)->Threads(1)->Threads(4)->Threads(16)->UseRealTime();
BENCHMARK(WalAppend)->Threads(1)->Threads(4)->Threads(16)->UseRealTime();

}  // namespace
}  // namespace trailhound::store

BENCHMARK_MAIN();
