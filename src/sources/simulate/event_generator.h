// EventGenerator: writes one realistic CloudTrail record as JSON — who (IAM users, assumed
// roles with sessionIssuer and MFA attributes, rare root, AWS services), what (s3, ec2, iam,
// sts, signin, kms, cloudtrail, lambda, logs calls), where from (documentation IP ranges,
// private VPC addresses, AWS service names) and how it ended (errors at the configured rate).
// Each account gets a fixed cast of users and roles drawn from the seed, each with a usual
// IP and client, so per-principal behaviour looks like a real account's.
// Thread safety: const methods may run concurrently, each with its own SimRandom.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sources/simulate/sim_random.h"
#include "sources/simulate/simulator_options.h"

namespace trailhound::sources::simulate {

class EventGenerator {
 public:
  // REQUIRES: ValidateSimulatorOptions(options).ok().
  explicit EventGenerator(const SimulatorOptions& options);

  // Appends one record ('{' … '}') for account `account_index` in `region` at `event_time`
  // (seconds since the epoch), using and advancing `rng`.
  void AppendRecord(SimRandom& rng, size_t account_index, const std::string& region,
                    int64_t event_time, std::string* out) const;

  struct Principal {
    std::string name;          // user or role name
    std::string principal_id;  // AIDA… for users, AROA… for roles
    std::string arn;           // the user's or the role's ARN
    std::string home_ip;       // where it usually calls from
    size_t user_agent = 0;     // its usual client (index into the user-agent table)
  };
  struct Account {
    std::string id;
    std::vector<Principal> users;
    std::vector<Principal> roles;
  };

 private:
  SimulatorOptions options_;
  std::vector<Account> accounts_;
};

}  // namespace trailhound::sources::simulate
