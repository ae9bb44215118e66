#include "cli/data_dir.h"

#include "config/config_loader.h"

namespace trailhound::cli {

Result<std::string> ResolveDataDir(const std::string& config_path, const std::string& data_dir_flag,
                                   std::optional<config::Config>* loaded) {
  std::optional<config::Config> config;
  if (!config_path.empty()) {
    TH_ASSIGN_OR_RETURN(config::Config parsed, config::LoadConfigFile(config_path));
    config = std::move(parsed);
  }
  std::string dir = !data_dir_flag.empty() ? data_dir_flag
                    : config               ? config->data_dir
                                           : std::string("./data");
  if (loaded != nullptr) *loaded = std::move(config);
  return dir;
}

}  // namespace trailhound::cli
