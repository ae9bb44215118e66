// `trailhound serve`: the HTTP API (and later the web UI) over a store, without sources.
// Runs until SIGINT or SIGTERM, then stops the server and closes the store cleanly.
#pragma once

#include <CLI/CLI.hpp>

namespace trailhound::cli {

void AddServeCommand(CLI::App& app);

}  // namespace trailhound::cli
