#include "aws/credentials_profile_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace trailhound::aws {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// Cuts a comment that starts with '#' or ';' after whitespace.
std::string_view StripInlineComment(std::string_view s) {
  for (size_t i = 1; i < s.size(); ++i) {
    if ((s[i] == '#' || s[i] == ';') && std::isspace(static_cast<unsigned char>(s[i - 1]))) {
      return s.substr(0, i);
    }
  }
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "profile  prod" → "prod"; "" when `section` has no "profile" prefix.
std::string_view ProfilePrefixed(std::string_view section) {
  constexpr std::string_view kPrefix = "profile";
  if (!section.starts_with(kPrefix) || section.size() == kPrefix.size()) return {};
  if (!std::isspace(static_cast<unsigned char>(section[kPrefix.size()]))) return {};
  return Trim(section.substr(kPrefix.size()));
}

void Merge(ProfileSettings& into, const ProfileSettings& from) {
  for (const auto& [key, value] : from) into[key] = value;
}

// "/home/u/.aws/config" → "~/.aws/config" for messages.
std::string Display(const CredentialsEnvironment& env, const std::string& path) {
  if (!env.home_dir.empty() && path.starts_with(env.home_dir + "/")) {
    return "~" + path.substr(env.home_dir.size());
  }
  return path;
}

Result<std::string> ReadIfExists(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return std::string();
  auto text = ReadSmallFile("AWS shared file", path, /*max_bytes=*/16 << 20);
  if (!text.ok() && text.status().code() == StatusCode::kInvalidArgument) {
    return std::string();  // an empty file
  }
  return text;
}

}  // namespace

Result<std::map<std::string, ProfileSettings>> ParseIniSections(std::string_view text,
                                                                std::string_view display_path) {
  std::map<std::string, ProfileSettings> sections;
  ProfileSettings* current = nullptr;
  bool have_property = false;  // an indented line may continue it
  size_t line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view raw = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (!raw.empty() && raw.back() == '\r') raw.remove_suffix(1);
    std::string_view line = Trim(raw);
    if (line.empty() || line.front() == '#' || line.front() == ';') continue;

    if (line.front() == '[') {
      line = Trim(StripInlineComment(line));
      if (line.back() != ']') {
        return Status::InvalidArgument(fmt::format("{} line {}: a section header must end with ']'",
                                                   display_path, line_number));
      }
      std::string name(Trim(line.substr(1, line.size() - 2)));
      if (name.empty()) {
        return Status::InvalidArgument(
            fmt::format("{} line {}: empty section name", display_path, line_number));
      }
      current = &sections[name];
      have_property = false;
      continue;
    }
    bool indented = std::isspace(static_cast<unsigned char>(raw.front()));
    if (indented && have_property) continue;  // continuation or nested setting
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      // Never quote the line: it may be a mistyped secret.
      return Status::InvalidArgument(
          fmt::format("{} line {}: expected '[section]', 'key = value' or a comment", display_path,
                      line_number));
    }
    if (current == nullptr) {
      return Status::InvalidArgument(
          fmt::format("{} line {}: setting before the first [section]", display_path, line_number));
    }
    std::string key = Lower(Trim(line.substr(0, eq)));
    std::string value(Trim(StripInlineComment(Trim(line.substr(eq + 1)))));
    (*current)[key] = ProfileValue{std::move(value), std::string(display_path)};
    have_property = true;
  }
  return sections;
}

Result<ProfileFiles> ProfileFiles::FromText(std::string_view config_text,
                                            std::string_view credentials_text,
                                            std::string config_display,
                                            std::string credentials_display) {
  TH_ASSIGN_OR_RETURN(auto config, ParseIniSections(config_text, config_display));
  TH_ASSIGN_OR_RETURN(auto credentials, ParseIniSections(credentials_text, credentials_display));
  ProfileFiles files;
  files.config_display_ = std::move(config_display);
  files.credentials_display_ = std::move(credentials_display);
  // Config: [default] first, so that [profile default] overrides it.
  if (auto it = config.find("default"); it != config.end()) {
    files.profiles_["default"] = it->second;
  }
  for (const auto& [section, settings] : config) {
    std::string_view name = ProfilePrefixed(section);
    if (!name.empty()) {
      Merge(files.profiles_[std::string(name)], settings);
    } else if (section != "default" && section.find(' ') == std::string::npos) {
      files.misnamed_.push_back(section);
    }
  }
  // Credentials: literal names; they win over the config file.
  for (const auto& [section, settings] : credentials) {
    Merge(files.profiles_[section], settings);
    std::string_view name = ProfilePrefixed(section);
    if (!name.empty()) files.misnamed_.push_back(std::string(name));
  }
  return files;
}

Result<ProfileFiles> ProfileFiles::Load(const CredentialsEnvironment& env) {
  std::string config_path =
      ExpandHome(env, GetEnv(env, "AWS_CONFIG_FILE").value_or("~/.aws/config"));
  std::string credentials_path =
      ExpandHome(env, GetEnv(env, "AWS_SHARED_CREDENTIALS_FILE").value_or("~/.aws/credentials"));
  std::string config_display = Display(env, config_path);
  std::string credentials_display = Display(env, credentials_path);
  TH_ASSIGN_OR_RETURN(std::string config_text, ReadIfExists(config_path));
  TH_ASSIGN_OR_RETURN(std::string credentials_text, ReadIfExists(credentials_path));
  return FromText(config_text, credentials_text, std::move(config_display),
                  std::move(credentials_display));
}

const ProfileSettings* ProfileFiles::Find(std::string_view profile) const {
  auto it = profiles_.find(std::string(profile));
  return it == profiles_.end() ? nullptr : &it->second;
}

std::string ProfileFiles::NotFoundMessage(std::string_view profile) const {
  std::string message = fmt::format("profile '{}' not found in {} or {}", profile,
                                    credentials_display_, config_display_);
  if (std::find(misnamed_.begin(), misnamed_.end(), profile) != misnamed_.end()) {
    message += fmt::format(
        " (a section for it exists but is spelled wrong: write [profile {0}] in {1}, and "
        "[{0}] in {2})",
        profile, config_display_, credentials_display_);
  }
  return message;
}

std::string ProfileGet(const ProfileSettings& settings, std::string_view key) {
  auto it = settings.find(std::string(key));
  return it == settings.end() ? "" : it->second.value;
}

}  // namespace trailhound::aws
