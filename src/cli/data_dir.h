// Where a command finds the store (docs/API.md "Data directory"): --data-dir when given, else
// the data_dir of --config FILE, else ./data. Loading the config validates it whole, so a
// broken file is reported even by commands that only need its data_dir.
#pragma once

#include <optional>
#include <string>

#include "config/config.h"
#include "core/result.h"

namespace trailhound::cli {

// `config_path` and `data_dir_flag` are "" when not given. Also returns the loaded config.
Result<std::string> ResolveDataDir(const std::string& config_path, const std::string& data_dir_flag,
                                   std::optional<config::Config>* loaded = nullptr);

}  // namespace trailhound::cli
