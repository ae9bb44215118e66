// `trailhound ingest PATH...` (local CloudTrail files into the store, with a progress bar on a
// terminal) and `trailhound search QUERY` (the query language over the store; formats table,
// json, ndjson, csv — docs/API.md). Both take --data-dir (default ./data). Errors go to stderr
// with exit code 1; a query error prints the query with a caret under its position.
#pragma once

#include <CLI/CLI.hpp>

namespace trailhound::cli {

void AddStoreCommands(CLI::App& app);

}  // namespace trailhound::cli
