#include "cli/store_commands.h"

#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/data_dir.h"
#include "cli/progress_bar.h"
#include "query/parser.h"
#include "query/result_format.h"
#include "query/time_range.h"
#include "sinks/store_sink.h"
#include "sources/files/file_ingest.h"
#include "store/search.h"
#include "store/store.h"

namespace trailhound::cli {
namespace {

[[noreturn]] void Fail(const Status& status) {
  fmt::print(stderr, "trailhound: {}\n", status.ToString());
  throw CLI::RuntimeError(1);
}

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// ---- ingest ----

struct IngestArgs {
  std::vector<std::string> paths;
  std::string config;
  std::string data_dir;
  sources::files::FileIngestOptions options;
  bool quiet = false;
};

std::string ProgressLine(const sources::files::FileIngestProgress& p, double secs) {
  double done = static_cast<double>(p.bytes_done.load());
  double total = static_cast<double>(p.bytes_total.load());
  double rate = secs > 0 ? done / secs : 0;
  double eta = rate > 0 ? (total - done) / rate : -1;
  return fmt::format("{} {}/{} files  {} events  {:.1f} MB/s  ETA {}",
                     ProgressBar::Bar(done, total), p.files_done.load(), p.files_total.load(),
                     p.events_stored.load(), rate / 1e6, ProgressBar::Duration(eta));
}

void Ingest(const IngestArgs& args) {
  auto data_dir = ResolveDataDir(args.config, args.data_dir);
  if (!data_dir.ok()) Fail(data_dir.status());
  auto files = sources::files::ListInputFiles(args.paths);
  if (!files.ok()) Fail(files.status());
  store::StoreOptions store_options;
  store_options.data_dir = *data_dir;
  auto opened = store::Store::Open(store_options);
  if (!opened.ok()) Fail(opened.status());
  std::unique_ptr<store::Store> store = std::move(*opened);
  sinks::StoreSink sink(store.get());

  sources::files::FileIngestProgress progress;
  const auto started = std::chrono::steady_clock::now();
  Status status;
  {
    ProgressBar bar([&progress](double secs) { return ProgressLine(progress, secs); });
    status = sources::files::IngestFiles(
        *files, sink, args.options, progress, [&](const sources::files::FileError& error) {
          fmt::print(stderr, "{}trailhound: skipped the rest of '{}': {}\n",
                     bar.active() ? "\r\x1b[2K" : "", error.path, error.status.ToString());
        });
  }
  const auto flush_started = std::chrono::steady_clock::now();
  Status flushed = store->Flush();
  const auto finished = std::chrono::steady_clock::now();
  double secs = std::chrono::duration<double>(finished - started).count();
  double flush_secs = std::chrono::duration<double>(finished - flush_started).count();
  if (!args.quiet) {
    fmt::print(
        "trailhound: ingested {} files ({} failed, {} digests skipped), {:.1f} MB in {:.2f} s "
        "({:.1f} MB/s; the last {:.2f} s writing segments): {} events stored, {} duplicates "
        "skipped, {} invalid records; store '{}' now holds {} events\n",
        progress.files_done.load(), progress.files_failed.load(), progress.files_skipped.load(),
        static_cast<double>(progress.bytes_done.load()) / 1e6, secs,
        static_cast<double>(progress.bytes_done.load()) / 1e6 / (secs > 0 ? secs : 1e-9),
        flush_secs, progress.events_stored.load(), progress.events_duplicate.load(),
        progress.records_invalid.load(), *data_dir, store->stats().events);
  }
  if (!flushed.ok()) Fail(flushed);
  if (!status.ok()) {
    // A sink failure stops everything; file errors were printed one by one.
    if (progress.files_failed.load() == 0) Fail(status);
    throw CLI::RuntimeError(1);
  }
}

// ---- search ----

struct SearchArgs {
  std::string query;
  std::string from;
  std::string to;
  size_t limit = 100;
  std::string format = "table";
  std::string config;
  std::string data_dir;
};

void PrintQueryError(const std::string& text, const query::QueryError& error) {
  fmt::print(stderr, "trailhound: invalid query: {}\n", error.message);
  if (text.find('\n') == std::string::npos && text.size() < 200) {
    fmt::print(stderr, "  {}\n  {}^\n", text,
               std::string(static_cast<size_t>(std::max(0, error.position)), ' '));
  }
}

void Search(const SearchArgs& args) {
  auto format = query::ParseResultFormat(args.format);
  if (!format) {
    Fail(Status::InvalidArgument("unknown --format '" + args.format +
                                 "': use table, json, ndjson or csv"));
  }
  query::QueryError error;
  auto parsed = query::ParseQuery(args.query, {}, &error);
  if (!parsed.ok()) {
    PrintQueryError(args.query, error);
    throw CLI::RuntimeError(1);
  }
  store::SearchOptions options;
  const int64_t now = NowMillis();
  if (!args.from.empty()) {
    auto from = query::ParseTimeArgument(args.from, now);
    if (!from.ok()) Fail(from.status().Annotate("--from"));
    options.from_ms = *from;
  }
  if (!args.to.empty()) {
    auto to = query::ParseTimeArgument(args.to, now);
    if (!to.ok()) Fail(to.status().Annotate("--to"));
    options.to_ms = *to;
  }
  options.pipeline.event_limit = args.limit;

  auto data_dir = ResolveDataDir(args.config, args.data_dir);
  if (!data_dir.ok()) Fail(data_dir.status());
  store::StoreOptions store_options;
  store_options.data_dir = *data_dir;
  store_options.read_only = true;  // works beside a running `trailhound run` or `serve`
  auto store = store::Store::Open(store_options);
  if (!store.ok()) Fail(store.status());
  auto result = store::Search(**store, *parsed, options);
  if (!result.ok()) Fail(result.status());
  std::string out = query::FormatResult(*result, *format);
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (*format == query::ResultFormat::kTable && !result->rows_mode) {
    fmt::print(stderr, "{} of {} matching events\n", result->events.size(), result->total);
  }
}

}  // namespace

void AddStoreCommands(CLI::App& app) {
  auto ingest = std::make_shared<IngestArgs>();
  auto* cmd = app.add_subcommand(
      "ingest",
      "Store local CloudTrail log files (files or directories in S3's AWSLogs/ layout, .json.gz "
      "or .json). Digest files are skipped; events already stored are not stored again.");
  cmd->add_option("paths", ingest->paths, "Files or directories")->required();
  cmd->add_option("--data-dir", ingest->data_dir,
                  "The store's directory (default: the config's data_dir, else ./data)");
  cmd->add_option("--config", ingest->config, "A configuration file (for its data_dir)");
  cmd->add_option("--source", ingest->options.source_name, "Name stored as the events' _source")
      ->capture_default_str();
  cmd->add_option("--jobs", ingest->options.workers, "Files read in parallel (0: one per CPU)")
      ->check(CLI::Range(0, 256))
      ->capture_default_str();
  cmd->add_flag("--quiet", ingest->quiet, "Print nothing but errors");
  cmd->callback([ingest] { Ingest(*ingest); });

  auto search = std::make_shared<SearchArgs>();
  auto* s = app.add_subcommand(
      "search",
      "Search stored events with the query language (docs/query-language.md), e.g. "
      "'eventName:ConsoleLogin | stats count() by userIdentity.arn'");
  s->add_option("query", search->query, "The query; '' or '*' for every event")->required();
  s->add_option("--from", search->from,
                "Start (inclusive): ISO 8601, 'now' or relative like -24h, -15m, -7d");
  s->add_option("--to", search->to, "End (exclusive), same forms as --from");
  s->add_option("--limit", search->limit, "At most this many events (newest first)")
      ->check(CLI::Range(1, 1'000'000))
      ->capture_default_str();
  s->add_option("--format", search->format, "table, json, ndjson or csv")->capture_default_str();
  s->add_option("--data-dir", search->data_dir,
                "The store's directory (default: the config's data_dir, else ./data)");
  s->add_option("--config", search->config, "A configuration file (for its data_dir)");
  s->callback([search] { Search(*search); });
}

}  // namespace trailhound::cli
