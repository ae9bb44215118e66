#include "aws/credentials_chain.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <mutex>

#include "aws/credentials_container.h"
#include "aws/credentials_env.h"
#include "aws/credentials_imds.h"
#include "aws/credentials_profile.h"
#include "aws/credentials_web_identity.h"

namespace trailhound::aws {
namespace {

class ChainProvider final : public CredentialsProvider {
 public:
  ChainProvider(std::string name, std::vector<std::shared_ptr<CredentialsProvider>> links)
      : name_(std::move(name)), links_(std::move(links)) {}

  Result<Credentials> GetCredentials() override {
    std::shared_ptr<CredentialsProvider> chosen;
    {
      std::lock_guard lock(mu_);
      chosen = chosen_;
    }
    if (chosen != nullptr) return chosen->GetCredentials();

    std::vector<std::string> tried;
    Status last;
    for (size_t i = 0; i < links_.size(); ++i) {
      const std::shared_ptr<CredentialsProvider>& link = links_[i];
      Result<Credentials> credentials = link->GetCredentials();
      if (credentials.ok()) {
        std::lock_guard lock(mu_);
        if (chosen_ == nullptr) chosen_ = link;
        return credentials;
      }
      last = credentials.status();
      // The last link's failure (typically "not on EC2") joins the summary instead.
      if (last.code() != StatusCode::kNotFound && i + 1 < links_.size()) {
        return last.Annotate(name_);  // the message already names the link
      }
      tried.push_back(last.message());
    }
    std::string message = fmt::format(
        "No AWS credentials found by the {} ({}). Set credentials in the source's "
        "`credentials:` block, or give this host a role",
        name_, fmt::join(tried, "; "));
    return Status(last.ok() ? StatusCode::kNotFound : last.code(), std::move(message));
  }

  std::string Describe() const override {
    std::lock_guard lock(mu_);
    if (chosen_ != nullptr) return fmt::format("{}: {}", name_, chosen_->Describe());
    return name_;
  }

 private:
  const std::string name_;
  const std::vector<std::shared_ptr<CredentialsProvider>> links_;
  mutable std::mutex mu_;
  std::shared_ptr<CredentialsProvider> chosen_;  // guarded by mu_
};

// Defers building the web identity provider until the variables are read, per call.
class EnvWebIdentityLink final : public CredentialsProvider {
 public:
  explicit EnvWebIdentityLink(CredentialsEnvironment env) : env_(std::move(env)) {}

  Result<Credentials> GetCredentials() override {
    std::shared_ptr<CredentialsProvider> provider;
    {
      std::lock_guard lock(mu_);
      if (provider_ == nullptr) {
        auto made = MakeWebIdentityCredentialsProviderFromEnv(env_);
        if (!made.ok()) return made.status();
        provider_ = *made;
      }
      provider = provider_;
    }
    return provider->GetCredentials();
  }

  std::string Describe() const override {
    std::lock_guard lock(mu_);
    return provider_ != nullptr ? provider_->Describe() : "web identity (environment)";
  }

 private:
  const CredentialsEnvironment env_;
  mutable std::mutex mu_;
  std::shared_ptr<CredentialsProvider> provider_;  // guarded by mu_
};

}  // namespace

std::shared_ptr<CredentialsProvider> MakeCredentialsChain(
    std::string name, std::vector<std::shared_ptr<CredentialsProvider>> links) {
  return std::make_shared<ChainProvider>(std::move(name), std::move(links));
}

std::shared_ptr<CredentialsProvider> MakeDefaultCredentialsChain(
    const CredentialsEnvironment& env) {
  return MakeCredentialsChain(
      "default credentials chain",
      {MakeEnvironmentCredentialsProvider(env), MakeLazyProfileCredentialsProvider(env),
       std::make_shared<EnvWebIdentityLink>(env), MakeContainerCredentialsProvider(env),
       MakeInstanceMetadataCredentialsProvider(env)});
}

}  // namespace trailhound::aws
