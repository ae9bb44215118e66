// Reading the YAML configuration (config.h): LoadConfigFile / ParseConfig, then
// ValidateConfig for what a single key cannot say (unique source names, a queue URL that
// parses, a coherent credentials block, ranges). Unknown keys are refused by name, with the
// line and, when close, the key that was probably meant. Errors never quote a secret.
// ConfigReference() is the documentation of every key: default and one-line doc.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"
#include "core/result.h"

namespace trailhound::config {

// `origin` names the text in errors ("trailhound.yaml:12: ...").
Result<Config> ParseConfig(std::string_view yaml, std::string_view origin);
Result<Config> LoadConfigFile(const std::string& path);
Status ValidateConfig(const Config& config);

// Markdown tables of every section's keys, defaults and docs.
std::string ConfigReference();

// The configuration as YAML with every secret replaced by "<redacted>" (for `config check`).
std::string DescribeConfig(const Config& config);

// A source's settings as (key, value) pairs in reference order, every default filled in,
// credentials as "credentials.<key>" (only those set), secrets as "<redacted>": for the
// source detail of the API and UI.
std::vector<std::pair<std::string, std::string>> SourceSettings(const SourceConfig& source);

// The server's bearer token from server.token, token_file (trailing newline dropped) or
// token_env; an empty Secret when none is configured. kInvalidArgument when the file or
// variable is missing or empty (the message names it, never the token).
Result<Secret> LoadServerToken(const ServerConfig& server);

}  // namespace trailhound::config
