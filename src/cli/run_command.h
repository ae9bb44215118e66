// `trailhound run --config FILE`: every configured source, the store and the HTTP server
// (search, /api/sources, /metrics) in one process. SIGINT or SIGTERM drains: sources stop
// receiving, finish (or release) their in-flight messages, then the server and the store
// close. Exit status 1 when the configuration or the store cannot be opened.
#pragma once

#include <CLI/CLI.hpp>

namespace trailhound::cli {

void AddRunCommand(CLI::App& app);

}  // namespace trailhound::cli
