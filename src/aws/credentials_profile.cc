#include "aws/credentials_profile.h"

#include <fmt/format.h>

#include <charconv>
#include <mutex>
#include <vector>

#include "aws/credentials_assume_role.h"
#include "aws/credentials_container.h"
#include "aws/credentials_env.h"
#include "aws/credentials_imds.h"
#include "aws/credentials_web_identity.h"

namespace trailhound::aws {
namespace {

class ProfileStaticProvider final : public CredentialsProvider {
 public:
  ProfileStaticProvider(Credentials credentials, std::string profile)
      : credentials_(std::move(credentials)), profile_(std::move(profile)) {}
  Result<Credentials> GetCredentials() override { return credentials_; }
  std::string Describe() const override {
    return fmt::format("profile '{}' key {}", profile_,
                       MaskAccessKeyId(credentials_.access_key_id));
  }

 private:
  const Credentials credentials_;
  const std::string profile_;
};

// Names a profile and the file a key came from in messages.
std::string Where(const std::string& profile, const ProfileSettings& settings,
                  std::string_view key) {
  auto it = settings.find(std::string(key));
  if (it == settings.end()) return fmt::format("profile '{}'", profile);
  return fmt::format("profile '{}' ({})", profile, it->second.file);
}

bool HasStaticKeys(const ProfileSettings& settings) {
  return !ProfileGet(settings, "aws_access_key_id").empty();
}

class Resolver {
 public:
  Resolver(const CredentialsEnvironment& env, const ProfileFiles& files)
      : env_(env), files_(files) {}

  Result<std::shared_ptr<CredentialsProvider>> Resolve(const std::string& name, bool as_source) {
    const ProfileSettings* found = files_.Find(name);
    if (found == nullptr) {
      if (as_source) return Status::InvalidArgument(files_.NotFoundMessage(name));
      return Status::NotFound(files_.NotFoundMessage(name));
    }
    const ProfileSettings& settings = *found;
    std::string role_arn = ProfileGet(settings, "role_arn");
    // A source profile's own keys win over its role (as in the SDKs).
    if (HasStaticKeys(settings) && (as_source || role_arn.empty())) {
      return StaticKeys(name, settings);
    }
    if (!role_arn.empty()) return AssumeRole(name, settings, role_arn);
    if (!ProfileGet(settings, "credential_process").empty()) {
      return Status::Unimplemented(fmt::format(
          "{} uses credential_process, which Trailhound does not run; configure keys, a role "
          "or a source profile instead",
          Where(name, settings, "credential_process")));
    }
    if (!ProfileGet(settings, "sso_session").empty() ||
        !ProfileGet(settings, "sso_start_url").empty()) {
      return Status::Unimplemented(
          fmt::format("{} uses IAM Identity Center (SSO), whose interactive login does not suit a "
                      "service; use keys, a role or an instance/container role",
                      Where(name, settings, "sso_start_url")));
    }
    if (!ProfileGet(settings, "aws_secret_access_key").empty()) {
      return Status::InvalidArgument(
          fmt::format("{} sets aws_secret_access_key but not aws_access_key_id",
                      Where(name, settings, "aws_secret_access_key")));
    }
    std::string message =
        fmt::format("profile '{}' has no credentials (no aws_access_key_id or role_arn)", name);
    if (as_source) return Status::InvalidArgument(std::move(message));
    return Status::NotFound(std::move(message));
  }

 private:
  Result<std::shared_ptr<CredentialsProvider>> StaticKeys(const std::string& name,
                                                          const ProfileSettings& settings) {
    std::string secret = ProfileGet(settings, "aws_secret_access_key");
    if (secret.empty()) {
      return Status::InvalidArgument(
          fmt::format("{} sets aws_access_key_id but not aws_secret_access_key",
                      Where(name, settings, "aws_access_key_id")));
    }
    Credentials credentials;
    credentials.access_key_id = ProfileGet(settings, "aws_access_key_id");
    credentials.secret_access_key = Secret(std::move(secret));
    credentials.session_token = Secret(ProfileGet(settings, "aws_session_token"));
    credentials.source = fmt::format("profile {}", name);
    return std::shared_ptr<CredentialsProvider>(
        std::make_shared<ProfileStaticProvider>(std::move(credentials), name));
  }

  Result<std::shared_ptr<CredentialsProvider>> AssumeRole(const std::string& name,
                                                          const ProfileSettings& settings,
                                                          const std::string& role_arn) {
    std::string where = Where(name, settings, "role_arn");
    std::string source_profile = ProfileGet(settings, "source_profile");
    std::string credential_source = ProfileGet(settings, "credential_source");
    std::string token_file = ProfileGet(settings, "web_identity_token_file");
    if (!ProfileGet(settings, "mfa_serial").empty()) {
      return Status::Unimplemented(fmt::format(
          "{} sets mfa_serial: a service cannot type MFA codes; use a role whose trust policy "
          "does not require MFA",
          where));
    }
    if (!source_profile.empty() && !credential_source.empty()) {
      return Status::InvalidArgument(
          fmt::format("{} sets both source_profile and credential_source; keep one", where));
    }
    TH_RETURN_IF_ERROR(ValidateRoleArn(fmt::format("{} role_arn", where), role_arn));
    int duration_secs = 0;
    if (std::string text = ProfileGet(settings, "duration_seconds"); !text.empty()) {
      auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), duration_secs);
      if (ec != std::errc() || ptr != text.data() + text.size()) {
        return Status::InvalidArgument(
            fmt::format("{} duration_seconds '{}' is not a number", where, text));
      }
    }
    std::string region = ProfileGet(settings, "region");
    std::string session_name = ProfileGet(settings, "role_session_name");

    std::shared_ptr<CredentialsProvider> base;
    if (!source_profile.empty()) {
      if (std::find(visiting_.begin(), visiting_.end(), source_profile) != visiting_.end() ||
          source_profile == name) {
        const ProfileSettings* source = files_.Find(source_profile);
        if (source == nullptr || !HasStaticKeys(*source)) {
          std::string loop;
          for (const auto& p : visiting_) loop += p + " -> ";
          return Status::InvalidArgument(fmt::format("{} source_profile loops: {}{} -> {}", where,
                                                     loop, name, source_profile));
        }
      }
      visiting_.push_back(name);
      auto resolved = Resolve(source_profile, /*as_source=*/true);
      visiting_.pop_back();
      if (!resolved.ok()) {
        return resolved.status().Annotate(
            fmt::format("{} source_profile '{}'", where, source_profile));
      }
      base = *resolved;
    } else if (!credential_source.empty()) {
      if (credential_source == "Environment") {
        base = MakeEnvironmentCredentialsProvider(env_);
      } else if (credential_source == "Ec2InstanceMetadata") {
        base = MakeInstanceMetadataCredentialsProvider(env_);
      } else if (credential_source == "EcsContainer") {
        base = MakeContainerCredentialsProvider(env_);
      } else {
        return Status::InvalidArgument(
            fmt::format("{} credential_source '{}' must be Environment, Ec2InstanceMetadata or "
                        "EcsContainer",
                        where, credential_source));
      }
    } else if (!token_file.empty()) {
      WebIdentityOptions options;
      options.role_arn = role_arn;
      options.token_file = token_file;
      options.role_session_name = session_name;
      options.duration_secs = duration_secs;
      options.region = region;
      auto provider = MakeWebIdentityCredentialsProvider(env_, std::move(options));
      if (!provider.ok()) return provider.status().Annotate(where);
      return provider;
    } else {
      return Status::InvalidArgument(
          fmt::format("{} sets role_arn but none of source_profile, credential_source or "
                      "web_identity_token_file",
                      where));
    }
    AssumeRoleOptions options;
    options.role_arn = role_arn;
    options.role_session_name = session_name;
    options.external_id = ProfileGet(settings, "external_id");
    options.duration_secs = duration_secs;
    options.region = region;
    auto provider = MakeAssumeRoleCredentialsProvider(env_, std::move(base), std::move(options));
    if (!provider.ok()) return provider.status().Annotate(where);
    return provider;
  }

  const CredentialsEnvironment& env_;
  const ProfileFiles& files_;
  std::vector<std::string> visiting_;  // profiles whose source is being resolved
};

class LazyProfileProvider final : public CredentialsProvider {
 public:
  explicit LazyProfileProvider(CredentialsEnvironment env) : env_(std::move(env)) {}

  Result<Credentials> GetCredentials() override {
    std::shared_ptr<CredentialsProvider> resolved;
    {
      std::lock_guard lock(mu_);
      if (resolved_ == nullptr) {
        std::string name = SelectedProfileName(env_);
        auto files = ProfileFiles::Load(env_);
        if (!files.ok()) return files.status();
        auto provider = ResolveProfile(env_, *files, name);
        if (!provider.ok()) {
          // A profile named explicitly must exist: do not fall through to other sources.
          if (provider.status().code() == StatusCode::kNotFound && files->Find(name) == nullptr &&
              GetEnv(env_, "AWS_PROFILE")) {
            return Status::InvalidArgument(
                fmt::format("AWS_PROFILE: {}", provider.status().message()));
          }
          return provider.status();
        }
        resolved_ = *provider;
      }
      resolved = resolved_;
    }
    return resolved->GetCredentials();
  }

  std::string Describe() const override {
    std::lock_guard lock(mu_);
    if (resolved_ != nullptr) return resolved_->Describe();
    return fmt::format("profile '{}'", SelectedProfileName(env_));
  }

 private:
  const CredentialsEnvironment env_;
  mutable std::mutex mu_;
  std::shared_ptr<CredentialsProvider> resolved_;  // guarded by mu_
};

}  // namespace

std::string SelectedProfileName(const CredentialsEnvironment& env) {
  if (auto name = GetEnv(env, "AWS_PROFILE")) return *name;
  if (auto name = GetEnv(env, "AWS_DEFAULT_PROFILE")) return *name;
  return "default";
}

Result<std::shared_ptr<CredentialsProvider>> ResolveProfile(const CredentialsEnvironment& env,
                                                            const ProfileFiles& files,
                                                            const std::string& profile) {
  return Resolver(env, files).Resolve(profile, /*as_source=*/false);
}

Result<std::shared_ptr<CredentialsProvider>> MakeProfileCredentialsProvider(
    const CredentialsEnvironment& env, const std::string& profile) {
  TH_ASSIGN_OR_RETURN(ProfileFiles files, ProfileFiles::Load(env));
  return ResolveProfile(env, files, profile);
}

std::shared_ptr<CredentialsProvider> MakeLazyProfileCredentialsProvider(
    const CredentialsEnvironment& env) {
  return std::make_shared<LazyProfileProvider>(env);
}

}  // namespace trailhound::aws
