#include "cli/simulate_command.h"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "cli/simulate_upload.h"
#include "core/result.h"
#include "sources/simulate/cloudtrail_simulator.h"
#include "sources/simulate/sim_time.h"

namespace trailhound::cli {
namespace {

namespace sim = trailhound::sources::simulate;

struct SimulateArgs {
  sim::SimulatorOptions options;
  std::string out_dir;
  std::string start = "2025-01-01T00:00:00Z";
  std::string span = "24h";
  // --to-s3 and its flags.
  std::string to_s3;
  std::string notify = "cloudtrail";
  std::string profile;
  UploadOptions upload;
};

Status WriteFile(const std::filesystem::path& path, std::string_view bytes) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  if (ec) {
    return Status::IoError(
        fmt::format("cannot create {}: {}", path.parent_path().string(), ec.message()));
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Status::IoError(fmt::format("cannot write {}", path.string()));
  return Status::OK();
}

Status Upload(SimulateArgs& args, const sim::CloudTrailSimulator& simulator) {
  TH_ASSIGN_OR_RETURN(args.upload.destination, ParseS3Destination(args.to_s3));
  TH_ASSIGN_OR_RETURN(args.upload.notify, ParseNotifyFormat(args.notify));
  TH_ASSIGN_OR_RETURN(UploadSummary done,
                      UploadSimulatedFiles(simulator, args.upload, args.profile));
  const double safe_secs = done.seconds > 0 ? done.seconds : 1e-9;
  const std::string target = DescribeNotificationTarget(args.upload);
  const std::string notified =
      target.empty()
          ? std::string("no notifications")
          : fmt::format("{} {} notifications to {}", done.notifications, args.notify, target);
  fmt::print(
      "trailhound: uploaded {} files, {} events, {:.1f} MB gzip ({:.1f} MB JSON) to {}; {}; in "
      "{:.2f} s: {:.1f} files/s, {:.0f} events/s\n",
      done.files, done.events, static_cast<double>(done.bytes) / 1e6,
      static_cast<double>(done.json_bytes) / 1e6, DescribeDestination(args.upload), notified,
      done.seconds, static_cast<double>(done.files) / safe_secs,
      static_cast<double>(done.events) / safe_secs);
  return Status::OK();
}

Status Simulate(SimulateArgs& args) {
  if (args.out_dir.empty() == args.to_s3.empty()) {
    return Status::InvalidArgument(
        "give exactly one of --out DIR and --to-s3 s3://BUCKET[/prefix]");
  }
  TH_ASSIGN_OR_RETURN(args.options.start_unix_secs, sim::ParseIso8601(args.start));
  TH_ASSIGN_OR_RETURN(args.options.span_secs, sim::ParseSpan(args.span));
  TH_ASSIGN_OR_RETURN(auto simulator, sim::CloudTrailSimulator::Create(args.options));
  if (!args.to_s3.empty()) return Upload(args, simulator);

  const auto started = std::chrono::steady_clock::now();
  uint64_t files = 0, events = 0, bytes = 0, json_bytes = 0;
  const std::filesystem::path root(args.out_dir);
  Status s = simulator.ForEachFile([&](sim::SimulatedFile& file) {
    TH_RETURN_IF_ERROR(WriteFile(root / file.key, file.body));
    ++files;
    events += file.events;
    bytes += file.body.size();
    json_bytes += file.json_bytes;
    return Status::OK();
  });
  if (!s.ok()) return s;
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const double safe_secs = secs > 0 ? secs : 1e-9;
  fmt::print(
      "trailhound: wrote {} files, {} events, {:.1f} MB gzip ({:.1f} MB JSON) under {} in "
      "{:.2f} s: {:.0f} events/s, {:.1f} MB/s of JSON\n",
      files, events, static_cast<double>(bytes) / 1e6, static_cast<double>(json_bytes) / 1e6,
      args.out_dir, secs, static_cast<double>(events) / safe_secs,
      static_cast<double>(json_bytes) / 1e6 / safe_secs);
  return Status::OK();
}

}  // namespace

void AddSimulateCommand(CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  auto* cmd = app.add_subcommand(
      "simulate",
      "Write realistic CloudTrail log files (gzipped, in the S3 key layout "
      "AWSLogs/<acct>/CloudTrail/<region>/YYYY/MM/DD/...) to a local directory (--out), or "
      "upload them to S3 and announce each one like CloudTrail or S3 would (--to-s3).");
  cmd->add_option("--events", args->options.events, "Number of events to write")->required();
  cmd->add_option("--seed", args->options.seed, "Random seed; the same seed gives identical files")
      ->capture_default_str();
  auto* out = cmd->add_option("--out", args->out_dir, "Directory to write the AWSLogs/ tree under");
  auto* to_s3 = cmd->add_option("--to-s3", args->to_s3,
                                "Upload the files to this bucket (s3://BUCKET[/prefix]) instead");
  out->excludes(to_s3);
  auto* topic = cmd->add_option("--sns-topic-arn", args->upload.sns_topic_arn,
                                "With --to-s3: publish a notification per file to this SNS topic");
  auto* queue = cmd->add_option("--sqs-queue-url", args->upload.sqs_queue_url,
                                "With --to-s3: send a notification per file straight to this SQS "
                                "queue (CloudTrail's in an SNS envelope, as a subscribed queue "
                                "gets it; S3 events unwrapped)");
  topic->excludes(queue)->needs(to_s3);
  queue->needs(to_s3);
  cmd->add_option("--notify", args->notify,
                  "With --to-s3: 'cloudtrail' (CloudTrail's SNS message) or 's3' (an S3 Event "
                  "Notification, ObjectCreated:Put)")
      ->check(CLI::IsMember({"cloudtrail", "s3"}))
      ->capture_default_str()
      ->needs(to_s3);
  cmd->add_option("--rate", args->upload.files_per_sec,
                  "With --to-s3: files uploaded per second at most; 0 for as fast as possible")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str()
      ->needs(to_s3);
  cmd->add_option("--endpoint-url", args->upload.endpoint_url,
                  "With --to-s3: send every S3, SNS and SQS call to this URL (emulators)")
      ->needs(to_s3);
  cmd->add_option("--region", args->upload.region,
                  "With --to-s3: the bucket's region, and the queue's when its URL names none "
                  "(default us-east-1)")
      ->needs(to_s3);
  cmd->add_option("--profile", args->profile,
                  "With --to-s3: a profile of ~/.aws/credentials or ~/.aws/config")
      ->needs(to_s3);
  cmd->add_option("--accounts", args->options.accounts, "12-digit account ids, comma-separated")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--regions", args->options.regions, "Regions, comma-separated")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--start", args->start, "Start of the simulated period (UTC, ISO 8601)")
      ->capture_default_str();
  cmd->add_option("--span", args->span, "Length of the period: 90s, 30m, 24h, 7d")
      ->capture_default_str();
  cmd->add_option("--error-rate", args->options.error_rate,
                  "Fraction of API calls that fail (AccessDenied, UnauthorizedOperation, "
                  "ThrottlingException)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  cmd->add_option("--max-events-per-file", args->options.max_events_per_file,
                  "Largest number of records in one file")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  cmd->callback([args] {
    Status s = Simulate(*args);
    if (!s.ok()) {
      fmt::print(stderr, "trailhound: {}\n", s.ToString());
      throw CLI::RuntimeError(1);
    }
  });
}

}  // namespace trailhound::cli
