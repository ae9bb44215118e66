#include "cli/config_command.h"

#include <fmt/format.h>

#include <memory>
#include <string>

#include "config/config_loader.h"

namespace trailhound::cli {

void AddConfigCommand(CLI::App& app) {
  auto* config = app.add_subcommand("config", "Check a configuration file, or list every key");
  config->require_subcommand(1);

  auto file = std::make_shared<std::string>();
  auto* check = config->add_subcommand(
      "check", "Parse and validate a configuration file; print it with secrets redacted");
  check->add_option("file", *file, "The YAML configuration file")->required();
  check->callback([file] {
    auto loaded = config::LoadConfigFile(*file);
    if (!loaded.ok()) {
      fmt::print(stderr, "trailhound: {}\n", loaded.status().message());
      throw CLI::RuntimeError(1);
    }
    fmt::print("{}: ok ({} source{})\n{}", *file, loaded->sources.size(),
               loaded->sources.size() == 1 ? "" : "s", config::DescribeConfig(*loaded));
  });

  auto* reference = config->add_subcommand(
      "reference", "Print every configuration key with its default and meaning (Markdown)");
  reference->callback([] { fmt::print("{}", config::ConfigReference()); });
}

}  // namespace trailhound::cli
