// The AWS shared config file (~/.aws/config, or AWS_CONFIG_FILE) and credentials file
// (~/.aws/credentials, or AWS_SHARED_CREDENTIALS_FILE), parsed into profiles as the AWS
// SDKs do. Config file profiles are `[default]` and `[profile name]` (sections such as
// `[sso-session x]` are not profiles); credentials file profiles are `[name]`. Keys are
// case-insensitive; `#` and `;` start comments (a whole line, or after whitespace);
// indented lines continue the property above (nested settings, ignored). Where both
// files set a key the credentials file wins. A missing file counts as empty.
// Errors name the file and line, never the line's content. Thread safety: values.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials_environment.h"
#include "core/result.h"

namespace trailhound::aws {

struct ProfileValue {
  std::string value;
  std::string file;  // where it was set, for errors ("~/.aws/credentials")
};
// Lower-case key → value.
using ProfileSettings = std::map<std::string, ProfileValue>;

// One file's sections by their literal (trimmed) name, e.g. "profile prod", "default".
// `display_path` names the file in errors and in ProfileValue::file.
Result<std::map<std::string, ProfileSettings>> ParseIniSections(std::string_view text,
                                                                std::string_view display_path);

class ProfileFiles {
 public:
  // Reads both files of `env`. Errors: a file that exists but cannot be read or parsed.
  static Result<ProfileFiles> Load(const CredentialsEnvironment& env);
  // Builds from file contents (tests); either may be empty.
  static Result<ProfileFiles> FromText(std::string_view config_text,
                                       std::string_view credentials_text,
                                       std::string config_display = "~/.aws/config",
                                       std::string credentials_display = "~/.aws/credentials");

  // The merged settings of a profile, or null.
  const ProfileSettings* Find(std::string_view profile) const;
  // "profile 'prod' not found in ~/.aws/credentials or ~/.aws/config", plus a hint when
  // the name exists under the other file's section syntax.
  std::string NotFoundMessage(std::string_view profile) const;

  const std::string& config_display() const { return config_display_; }
  const std::string& credentials_display() const { return credentials_display_; }

 private:
  std::map<std::string, ProfileSettings> profiles_;
  std::vector<std::string> misnamed_;  // "[prod]" in config, "[profile prod]" in credentials
  std::string config_display_;
  std::string credentials_display_;
};

// A setting's value, or "" when the profile does not set it.
std::string ProfileGet(const ProfileSettings& settings, std::string_view key);

}  // namespace trailhound::aws
