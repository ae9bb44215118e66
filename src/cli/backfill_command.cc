#include "cli/backfill_command.h"

#include <fmt/format.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli/data_dir.h"
#include "cli/progress_bar.h"
#include "cli/signal_waiter.h"
#include "cli/source_options.h"
#include "config/config_loader.h"
#include "sinks/store_sink.h"
#include "sources/sqs_s3/backfill.h"
#include "store/store.h"

namespace trailhound::cli {

namespace {

struct BackfillArgs {
  std::string config = "trailhound.yaml";
  std::string source;
  std::string data_dir;
  std::string bucket;
  std::string prefix;
  std::string from;
  std::string to;
  std::vector<std::string> accounts;
  std::vector<std::string> regions;
  int jobs = 32;
};

[[noreturn]] void Fail(const Status& status) {
  fmt::print(stderr, "trailhound: {}\n", status.ToString());
  throw CLI::RuntimeError(1);
}

std::string ProgressLine(const sources::BackfillProgress& p, double secs) {
  const double done = static_cast<double>(p.objects_done.load());
  const double total = static_cast<double>(p.objects_total.load());
  const double rate = secs > 0 ? done / secs : 0;
  const double eta = p.listing_done.load() && rate > 0 ? (total - done) / rate : -1;
  return fmt::format("{} {}/{} objects ({}/{} days)  {} events  {:.0f} objects/s  ETA {}",
                     ProgressBar::Bar(done, total), p.objects_done.load(), p.objects_total.load(),
                     p.prefixes_done.load(), p.prefixes_total.load(), p.events_stored.load(), rate,
                     ProgressBar::Duration(eta));
}

void RunBackfillCommand(const BackfillArgs& args) {
  SignalWaiter signals;  // before any thread starts
  auto config = config::LoadConfigFile(args.config);
  if (!config.ok()) Fail(config.status());
  const config::SourceConfig* source = nullptr;
  for (const auto& candidate : config->sources) {
    if (candidate.name == args.source) source = &candidate;
  }
  if (source == nullptr) {
    Fail(Status::InvalidArgument("the configuration has no source named '" + args.source + "'"));
  }
  sources::BackfillOptions options;
  options.source = SourceOptions(*source);
  options.bucket = args.bucket;
  options.prefix = args.prefix;
  options.accounts = args.accounts;
  options.regions = args.regions;
  options.workers = args.jobs;
  auto from = sources::ParseDay(args.from);
  if (!from.ok()) Fail(from.status().Annotate("--from"));
  auto to = sources::ParseDay(args.to);
  if (!to.ok()) Fail(to.status().Annotate("--to"));
  options.from_day = *from;
  options.to_day = *to;
  const std::string data_dir = args.data_dir.empty() ? config->data_dir : args.data_dir;
  options.checkpoint_path = data_dir + "/backfill/" + args.source + ".json";

  store::StoreOptions store_options;
  store_options.data_dir = data_dir;
  store_options.retention_days = config->store.retention_days;
  store_options.max_memtable_bytes = static_cast<uint64_t>(config->store.max_memtable_mb) << 20;
  auto store = store::Store::Open(store_options);
  if (!store.ok()) {
    Fail(
        store.status().Annotate("backfill writes the store directly: stop `trailhound run` on "
                                "this data directory first, or point --data-dir elsewhere"));
  }
  sinks::StoreSink sink(store->get());

  std::atomic<bool> cancel{false};
  std::atomic<bool> finished{false};
  std::thread watcher([&] {
    while (!finished.load()) {
      if (signals.WaitFor(200) != 0) {
        cancel = true;
        fmt::print(stderr,
                   "\ntrailhound: stopping after the objects in work (the checkpoint "
                   "keeps what is done)\n");
        return;
      }
    }
  });
  sources::BackfillProgress progress;
  const auto start = std::chrono::steady_clock::now();
  Result<sources::BackfillSummary> summary = Status::OK();
  {
    ProgressBar bar([&progress](double secs) { return ProgressLine(progress, secs); });
    summary = sources::RunBackfill(options, &sink, aws::ProcessCredentialsEnvironment(), &progress,
                                   &cancel);
  }
  finished = true;
  watcher.join();
  if (!summary.ok()) Fail(summary.status());
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (const std::string& error : summary->errors) fmt::print(stderr, "  {}\n", error);
  fmt::print(
      "trailhound: backfill of s3://{}/{} for {} account{} and {} region{}: {} objects read "
      "({} failed) in {} day prefixes ({} already done before) in {:.1f} s: {} events stored, "
      "{} already stored{}\n",
      args.bucket, args.prefix, summary->accounts.size(), summary->accounts.size() == 1 ? "" : "s",
      summary->regions.size(), summary->regions.size() == 1 ? "" : "s",
      progress.objects_done.load(), progress.objects_failed.load(), progress.prefixes_total.load(),
      progress.prefixes_skipped.load(), secs, progress.events_stored.load(),
      progress.events_duplicate.load(),
      summary->cancelled ? "; stopped early, run it again to resume" : "");
  if (!summary->ok()) throw CLI::RuntimeError(1);
}

}  // namespace

void AddBackfillCommand(CLI::App& app) {
  auto args = std::make_shared<BackfillArgs>();
  auto* cmd = app.add_subcommand(
      "backfill",
      "Read the CloudTrail log files of past days straight from the bucket into the store "
      "(no SQS); safe to overlap the live source or to repeat; resumable");
  cmd->add_option("--source", args->source, "The configured source whose credentials to use")
      ->required();
  cmd->add_option("--bucket", args->bucket, "The CloudTrail log bucket")->required();
  cmd->add_option("--prefix", args->prefix, "The trail's S3 key prefix, if any");
  cmd->add_option("--from", args->from, "First day, YYYY-MM-DD (UTC)")->required();
  cmd->add_option("--to", args->to, "Last day, YYYY-MM-DD (inclusive)")->required();
  cmd->add_option("--accounts", args->accounts, "Only these account ids (comma-separated)")
      ->delimiter(',');
  cmd->add_option("--regions", args->regions, "Only these regions (comma-separated)")
      ->delimiter(',');
  cmd->add_option("--config", args->config, "The YAML configuration file")->capture_default_str();
  cmd->add_option("--data-dir", args->data_dir, "Overrides the config's data_dir");
  cmd->add_option("--jobs", args->jobs, "Objects fetched at once")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  cmd->callback([args] { RunBackfillCommand(*args); });
}

}  // namespace trailhound::cli
