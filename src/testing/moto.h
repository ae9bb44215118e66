// Moto: moto's server (S3, SNS, SQS, STS, IAM, ... on one port, see
// shared/SERVICES.md) on 127.0.0.1 and a free port, enforcing SigV4 signatures
// and IAM policies, run through scripts/services/moto-server.py for one test or
// fixture. Start() spends the first three unauthenticated requests on an "admin"
// user with a "*" policy (moto-iam.py bootstrap-admin); every request after the
// budget must be signed with a key that exists in moto's IAM (unknown key: 403
// InvalidAccessKeyId, wrong secret: 403 SignatureDoesNotMatch, no Authorization
// header at all: HTTP 500 from moto). The IAM helpers run moto-iam.py as admin
// (~0.5 s each). The destructor stops the server; it also dies with the thread
// that started it (see ServiceProcess).
// Thread safety: accessors from any thread; the IAM helpers one at a time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "aws/credentials.h"
#include "core/result.h"
#include "core/status.h"
#include "testing/service_process.h"

namespace trailhound::testing {

struct MotoOptions {
  // Requests served before IAM enforcement starts (INITIAL_NO_AUTH_ACTION_COUNT);
  // Start() spends 3 of them, the rest are left for the test. REQUIRES: >= 3.
  int no_auth_actions = 3;
  // Region the IAM helper signs for.
  std::string region = "us-east-1";
  // Repository root holding scripts/; empty: $TRAILHOUND_SOURCE_DIR.
  std::string source_dir;
  // How long the server may take to be ready (it takes ~2.5 s).
  std::chrono::milliseconds start_timeout{60000};
};

class Moto {
 public:
  // Fails with kNotFound when python3 or a script is missing, kUnavailable when moto
  // cannot be imported (the message says so) or the admin cannot be created.
  static Result<std::unique_ptr<Moto>> Start(int no_auth_actions = 3);
  static Result<std::unique_ptr<Moto>> Start(const MotoOptions& options);

  // "http://127.0.0.1:<port>". Queue URLs: "http://127.0.0.1:<port>/123456789012/<name>".
  std::string endpoint() const { return "http://127.0.0.1:" + std::to_string(port()); }
  int port() const { return process_->port(); }
  pid_t pid() const { return process_->pid(); }
  const std::string& region() const { return options_.region; }

  // The keys of the "admin" user, allowed everything.
  const aws::Credentials& admin() const { return admin_; }

  // Creates an IAM user with `policy_json` as its inline policy "<name>-policy" and
  // returns a new access key of it.
  Result<aws::Credentials> CreateUser(std::string_view name, std::string_view policy_json);
  // Creates a role with a trust policy and an inline policy; returns its ARN.
  Result<std::string> CreateRole(std::string_view name, std::string_view trust_policy_json,
                                 std::string_view policy_json);
  // Sets (creates or replaces) the user's inline policy "<user>-policy".
  Status PutUserPolicy(std::string_view user, std::string_view policy_json);
  // Deletes the user's inline policy "<user>-policy": its permissions are gone at once.
  Status DeleteUserPolicy(std::string_view user);

  ServiceProcess& process() { return *process_; }

 private:
  Moto(std::unique_ptr<ServiceProcess> process, MotoOptions options, std::string iam_script)
      : process_(std::move(process)),
        options_(std::move(options)),
        iam_script_(std::move(iam_script)) {}
  // Runs moto-iam.py with `args` (as admin unless `as_admin` is false); its stdout.
  Result<std::string> RunIam(std::vector<std::string> args, bool as_admin = true);

  std::unique_ptr<ServiceProcess> process_;
  MotoOptions options_;
  std::string iam_script_;
  aws::Credentials admin_;
};

}  // namespace trailhound::testing
