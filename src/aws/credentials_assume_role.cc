#include "aws/credentials_assume_role.h"

#include <fmt/format.h>

#include <cctype>

#include "aws/credentials_refresh.h"

namespace trailhound::aws {
namespace {

bool AllOf(std::string_view s, std::string_view extra) {
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && extra.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

class AssumeRoleProvider final : public CredentialsProvider {
 public:
  AssumeRoleProvider(std::shared_ptr<CredentialsProvider> base, std::shared_ptr<StsClient> sts,
                     AssumeRoleRequest request)
      : base_(std::move(base)), sts_(std::move(sts)), request_(std::move(request)) {}

  Result<Credentials> GetCredentials() override {
    Result<Credentials> credentials = sts_->AssumeRole(request_);
    if (credentials.ok()) return credentials;
    Status status = credentials.status().Annotate(fmt::format("As {}", base_->Describe()));
    const std::string& code = status.aws_error_code();
    if (code == "AccessDenied") {
      return WithHint(status, request_.external_id.empty()
                                  ? "the role's trust policy must allow this principal "
                                    "(sts:AssumeRole); if it requires sts:ExternalId, set "
                                    "external_id"
                                  : "the role's trust policy must allow this principal "
                                    "(sts:AssumeRole) with this external_id");
    }
    if (code == "ValidationError" && request_.duration_secs > 3600) {
      return WithHint(status,
                      "duration_secs may not exceed the role's maximum session "
                      "duration");
    }
    if (code == "RegionDisabledException") {
      return WithHint(status,
                      "activate STS in this region (IAM > Account settings) or use "
                      "another region");
    }
    return status;
  }

  std::string Describe() const override {
    return fmt::format("assume-role {}{} via {}", request_.role_arn,
                       request_.external_id.empty() ? "" : " (external id set)", base_->Describe());
  }

 private:
  const std::shared_ptr<CredentialsProvider> base_;
  const std::shared_ptr<StsClient> sts_;
  const AssumeRoleRequest request_;
};

}  // namespace

Status ValidateRoleArn(std::string_view field, std::string_view arn) {
  // arn:<partition>:iam::<12-digit account>:role/<path/name>
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format(
        "{} '{}' is not an IAM role ARN ({}); expected arn:aws:iam::123456789012:role/name", field,
        arn, why));
  };
  if (arn.empty()) return Status::InvalidArgument(fmt::format("{} is empty", field));
  if (!arn.starts_with("arn:")) return bad("it must start with 'arn:'");
  size_t partition_end = arn.find(':', 4);
  if (partition_end == std::string_view::npos || partition_end == 4) return bad("no partition");
  std::string_view rest = arn.substr(partition_end + 1);
  if (!rest.starts_with("iam::")) return bad("the service must be iam with an empty region");
  rest.remove_prefix(5);
  size_t account_end = rest.find(':');
  if (account_end != 12 ||
      rest.substr(0, 12).find_first_not_of("0123456789") != std::string_view::npos) {
    return bad("the account must be 12 digits");
  }
  rest.remove_prefix(13);
  if (!rest.starts_with("role/") || rest.size() == 5) return bad("the resource must be role/name");
  return Status::OK();
}

Status ValidateRoleSessionName(std::string_view field, std::string_view name) {
  if (name.size() < 2 || name.size() > 64 || !AllOf(name, "_+=,.@-")) {
    return Status::InvalidArgument(fmt::format(
        "{} '{}' must be 2 to 64 characters of letters, digits and _+=,.@-", field, name));
  }
  return Status::OK();
}

Status ValidateExternalId(std::string_view field, std::string_view external_id) {
  // Quoted nowhere: AWS says it is not a secret, but operators may treat it as one.
  if (external_id.size() < 2 || external_id.size() > 1224 || !AllOf(external_id, "_+=,.@:/-")) {
    return Status::InvalidArgument(
        fmt::format("{} must be 2 to 1224 characters of letters, digits and _+=,.@:/-", field));
  }
  return Status::OK();
}

Status ValidateDurationSecs(std::string_view field, int duration_secs) {
  if (duration_secs != 0 && (duration_secs < 900 || duration_secs > 43200)) {
    return Status::InvalidArgument(fmt::format(
        "{} {} is out of range: STS accepts 900 to 43200 seconds (and at most the role's "
        "maximum session duration)",
        field, duration_secs));
  }
  return Status::OK();
}

Result<std::shared_ptr<CredentialsProvider>> MakeAssumeRoleCredentialsProvider(
    const CredentialsEnvironment& env, std::shared_ptr<CredentialsProvider> base,
    AssumeRoleOptions options) {
  TH_RETURN_IF_ERROR(ValidateRoleArn("role_arn", options.role_arn));
  if (options.role_session_name.empty()) options.role_session_name = DefaultRoleSessionName(env);
  TH_RETURN_IF_ERROR(ValidateRoleSessionName("role_session_name", options.role_session_name));
  if (!options.external_id.empty()) {
    TH_RETURN_IF_ERROR(ValidateExternalId("external_id", options.external_id));
  }
  TH_RETURN_IF_ERROR(ValidateDurationSecs("duration_secs", options.duration_secs));
  TH_ASSIGN_OR_RETURN(std::shared_ptr<StsClient> sts,
                      MakeStsClient(env, base, StsRegion(env, options.region)));
  AssumeRoleRequest request;
  request.role_arn = std::move(options.role_arn);
  request.role_session_name = std::move(options.role_session_name);
  request.external_id = std::move(options.external_id);
  request.duration_secs = options.duration_secs;
  auto provider =
      std::make_shared<AssumeRoleProvider>(std::move(base), std::move(sts), std::move(request));
  return MakeRefreshingCredentialsProvider(std::move(provider), env.clock, env.refresh);
}

}  // namespace trailhound::aws
