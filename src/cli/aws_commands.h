// `trailhound aws ...`: small diagnostic commands over Trailhound's own AWS client,
// with the same credential chain and endpoints a source uses. They answer "can
// Trailhound, with these credentials, see this queue / object?" before a source is
// configured, and they drive the demo. Output goes to stdout, errors to stderr with
// the AWS error code and request id; secrets are never printed.
#pragma once

#include <CLI/CLI.hpp>

namespace trailhound::cli {

// Registers `aws whoami`, `aws receive`, `aws get` and `aws ls` under `app`.
void AddAwsCommands(CLI::App& app);

}  // namespace trailhound::cli
