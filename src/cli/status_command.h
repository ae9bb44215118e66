// `trailhound status [--url http://127.0.0.1:8080] [--config FILE]`: asks a running
// `trailhound run` for GET /api/sources and prints one line per source — name, status, EPM,
// last error — with the hint that names the fix on the lines below. Without --url the
// address is the config's server.listen, else 127.0.0.1:8080. Exit status 1 when the server
// cannot be reached or does not answer with the sources; 0 otherwise, whatever the states.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>

#include "core/result.h"

namespace trailhound::cli {

void AddStatusCommand(CLI::App& app);

// The body of GET <url>/api/sources. `url` is "http[s]://host[:port][/prefix]" or
// "host:port". Errors: kInvalidArgument for a bad URL, kUnavailable when nothing answers,
// kFailedPrecondition for an answer that is not the sources array.
Result<nlohmann::json> FetchSources(const std::string& url, int timeout_secs);

// The table printed by `trailhound status`, lines at most `width` columns where words allow.
std::string FormatSourcesTable(const nlohmann::json& sources, size_t width);

}  // namespace trailhound::cli
