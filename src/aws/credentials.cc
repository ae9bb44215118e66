#include "aws/credentials.h"

#include <fmt/format.h>

namespace trailhound::aws {
namespace {
class StaticProvider final : public CredentialsProvider {
 public:
  explicit StaticProvider(Credentials credentials) : credentials_(std::move(credentials)) {}
  Result<Credentials> GetCredentials() override { return credentials_; }
  std::string Describe() const override {
    return fmt::format("static key {}", MaskAccessKeyId(credentials_.access_key_id));
  }

 private:
  const Credentials credentials_;
};
}  // namespace

std::shared_ptr<CredentialsProvider> MakeStaticCredentialsProvider(Credentials credentials) {
  if (credentials.source.empty()) credentials.source = "static";
  return std::make_shared<StaticProvider>(std::move(credentials));
}

std::string MaskAccessKeyId(std::string_view id) {
  if (id.size() <= 8) return std::string(id.size(), '*');
  return fmt::format("{}****{}", id.substr(0, 4), id.substr(id.size() - 4));
}

}  // namespace trailhound::aws
