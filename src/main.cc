// `trailhound <command>`: the single binary. Each command lives with its stage;
// this file only wires the command line.
#include <fmt/format.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>

#include "cli/aws_commands.h"
#include "cli/backfill_command.h"
#include "cli/config_command.h"
#include "cli/doctor_command.h"
#include "cli/policy_command.h"
#include "cli/run_command.h"
#include "cli/serve_command.h"
#include "cli/simulate_command.h"
#include "cli/status_command.h"
#include "cli/store_commands.h"

#ifndef TRAILHOUND_VERSION
#define TRAILHOUND_VERSION "0.0.0"
#endif

int main(int argc, char** argv) {
  // Logs go to stderr: stdout carries the commands' output (search results as JSON or CSV).
  spdlog::set_default_logger(spdlog::stderr_color_mt("trailhound"));
  CLI::App app{"Trailhound: a self-hosted SIEM for AWS audit logs", "trailhound"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(TRAILHOUND_VERSION));

  auto* version = app.add_subcommand("version", "Print the version and exit");
  version->callback([] { fmt::print("trailhound {}\n", TRAILHOUND_VERSION); });

  trailhound::cli::AddAwsCommands(app);
  trailhound::cli::AddConfigCommand(app);
  trailhound::cli::AddSimulateCommand(app);
  trailhound::cli::AddStoreCommands(app);
  trailhound::cli::AddServeCommand(app);
  trailhound::cli::AddRunCommand(app);
  trailhound::cli::AddStatusCommand(app);
  trailhound::cli::AddPolicyCommand(app);
  trailhound::cli::AddDoctorCommand(app);
  trailhound::cli::AddBackfillCommand(app);

  CLI11_PARSE(app, argc, argv);
  return 0;
}
