// StsClient: the AWS Security Token Service calls Trailhound needs. GetCallerIdentity
// (who the credentials belong to, for `trailhound doctor`), AssumeRole (signed with the
// caller's credentials) and AssumeRoleWithWebIdentity (unsigned: the OIDC token is the
// proof). Query protocol: form-encoded POST, XML responses parsed with pugixml.
// Errors carry the STS error code and request id; no secret ever reaches a Status.
// Thread safety: every method may be called concurrently; the sender is shared.
#pragma once

#include <memory>
#include <string>

#include "aws/aws_client.h"
#include "aws/credentials.h"
#include "aws/retry.h"
#include "core/clock.h"
#include "core/result.h"
#include "core/secret.h"

namespace trailhound::aws {

struct StsOptions {
  // Signing region; also picks the regional endpoint when endpoint_url is empty.
  std::string region = "us-east-1";
  // Endpoint URL override (emulators, VPC endpoints); "" for https://sts.<region>.<suffix>.
  std::string endpoint_url;
  // Retries of the unsigned call, which bypasses the sender (signed calls use the sender's).
  RetryOptions retry;
  // Sleeps between retries of the unsigned call.
  Clock* clock = SystemClock();
};

struct CallerIdentity {
  std::string account;  // "123456789012"
  std::string arn;      // "arn:aws:sts::123456789012:assumed-role/role/session"
  std::string user_id;  // "AROA...:session" or "AIDA..."
};

struct AssumeRoleRequest {
  std::string role_arn;           // "arn:aws:iam::123456789012:role/trailhound"
  std::string role_session_name;  // appears in the role's CloudTrail events
  std::string external_id;        // "" for none
  int duration_secs = 0;          // 0 for the STS default (3600)
};

struct WebIdentityRequest {
  std::string role_arn;
  std::string role_session_name;
  Secret web_identity_token;  // the OIDC token (JWT)
  int duration_secs = 0;      // 0 for the STS default (3600)
};

class StsClient {
 public:
  // `sender` signs with the caller's credentials (for AssumeRole: the source credentials).
  // Fails with kInvalidArgument for a malformed endpoint URL or unknown region.
  static Result<std::unique_ptr<StsClient>> Create(std::shared_ptr<AwsRequestSender> sender,
                                                   StsOptions options);

  Result<CallerIdentity> GetCallerIdentity();
  // Credentials::source is "assume-role <role_arn>"; expiration is set.
  Result<Credentials> AssumeRole(const AssumeRoleRequest& request);
  // Sent unsigned through the sender's transport. Credentials::source is "web-identity <arn>".
  Result<Credentials> AssumeRoleWithWebIdentity(const WebIdentityRequest& request);

  // The URL calls are posted to, e.g. "https://sts.us-east-1.amazonaws.com/".
  const std::string& endpoint() const { return endpoint_; }

 private:
  StsClient(std::shared_ptr<AwsRequestSender> sender, StsOptions options, std::string endpoint)
      : sender_(std::move(sender)), options_(std::move(options)), endpoint_(std::move(endpoint)) {}

  AwsCall MakeCall(std::string_view action, std::string_view resource, std::string form) const;
  Result<HttpResponse> SendUnsigned(const AwsCall& call);

  std::shared_ptr<AwsRequestSender> sender_;
  const StsOptions options_;
  const std::string endpoint_;
};

}  // namespace trailhound::aws
