#include "cli/doctor_command.h"

#include <fmt/format.h>

#include <memory>
#include <string>

#include "aws/credentials_environment.h"
#include "cli/source_options.h"
#include "config/config_loader.h"
#include "sources/sqs_s3/doctor.h"

namespace trailhound::cli {

namespace {

struct DoctorArgs {
  std::string config = "trailhound.yaml";
  std::string source;
  int wait_secs = 5;
};

void RunDoctorCommand(const DoctorArgs& args) {
  auto config = config::LoadConfigFile(args.config);
  if (!config.ok()) {
    fmt::print(stderr, "trailhound: {}\n", config.status().ToString());
    throw CLI::RuntimeError(1);
  }
  bool found = false, ok = true;
  const aws::CredentialsEnvironment env = aws::ProcessCredentialsEnvironment();
  for (const config::SourceConfig& source : config->sources) {
    if (!args.source.empty() && source.name != args.source) continue;
    found = true;
    sources::DoctorOptions options;
    options.receive_wait_secs = args.wait_secs;
    sources::DoctorReport report = sources::RunDoctor(SourceOptions(source), env, options);
    fmt::print("{}\n", sources::FormatDoctorReport(report));
    ok = ok && report.ok();
  }
  if (!found) {
    fmt::print(stderr, "trailhound: {}\n",
               args.source.empty() ? "the configuration has no sources"
                                   : "the configuration has no source named '" + args.source + "'");
    throw CLI::RuntimeError(1);
  }
  if (!ok) throw CLI::RuntimeError(1);
}

}  // namespace

void AddDoctorCommand(CLI::App& app) {
  auto args = std::make_shared<DoctorArgs>();
  auto* cmd = app.add_subcommand(
      "doctor",
      "Check each source's AWS side: credentials, queue, dead-letter queue, a sample message "
      "(put back untouched), the object it names, the bucket region, KMS; print the fix for "
      "each problem");
  cmd->add_option("--config", args->config, "The YAML configuration file")->capture_default_str();
  cmd->add_option("--source", args->source, "Only this source");
  cmd->add_option("--wait-secs", args->wait_secs, "How long to wait for a sample message")
      ->check(CLI::Range(0, 20))
      ->capture_default_str();
  cmd->callback([args] { RunDoctorCommand(*args); });
}

}  // namespace trailhound::cli
