// `trailhound config check FILE` (parse and validate a configuration, print it with secrets
// redacted; exit 1 with the line and the key to fix) and `trailhound config reference`
// (every key with its default and meaning, as Markdown).
#pragma once

#include <CLI/CLI.hpp>

namespace trailhound::cli {

void AddConfigCommand(CLI::App& app);

}  // namespace trailhound::cli
