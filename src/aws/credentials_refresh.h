// RefreshingCredentialsProvider caches what another provider returns and fetches new
// temporary credentials `refresh_before` ahead of their expiration, as the AWS SDKs do.
// One fetch at a time: during a fetch other callers keep the cached credentials while
// they are usable, or wait for that fetch's outcome. A failed refresh keeps serving the
// cached credentials until they expire, then returns the error; it is retried no sooner
// than `retry_after_failure` while the cache is still usable. Long-term keys are cached
// for good. Time comes from the Clock. Thread safety: GetCredentials() is concurrent-safe.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "core/clock.h"

namespace trailhound::aws {

struct RefreshOptions {
  // Fetch new credentials this long before the cached ones expire.
  std::chrono::seconds refresh_before_secs{300};
  // Credentials this close to expiration are not handed out: a request signed with
  // them could arrive after they expire.
  std::chrono::seconds expiry_margin_secs{15};
  // After a refresh that failed (or returned credentials already due for refresh) while
  // the cache is still usable, wait this long before trying again.
  std::chrono::seconds retry_after_failure_secs{30};
};

class RefreshingCredentialsProvider final : public CredentialsProvider {
 public:
  // REQUIRES: inner != nullptr, clock outlives this provider.
  RefreshingCredentialsProvider(std::shared_ptr<CredentialsProvider> inner, Clock* clock,
                                RefreshOptions options = {});

  Result<Credentials> GetCredentials() override;
  std::string Describe() const override { return inner_->Describe(); }

 private:
  bool Usable(const Credentials& c, std::chrono::system_clock::time_point now) const;
  bool Due(const Credentials& c, std::chrono::system_clock::time_point now) const;

  const std::shared_ptr<CredentialsProvider> inner_;
  Clock* const clock_;
  const RefreshOptions options_;

  std::mutex mu_;
  std::condition_variable refreshed_;
  std::optional<Credentials> cached_;                     // guarded by mu_
  Status last_error_;                                     // guarded by mu_
  std::chrono::system_clock::time_point next_attempt_{};  // guarded by mu_
  bool refreshing_ = false;                               // guarded by mu_
  uint64_t generation_ = 0;                               // guarded by mu_; bumps per fetch
};

std::shared_ptr<CredentialsProvider> MakeRefreshingCredentialsProvider(
    std::shared_ptr<CredentialsProvider> inner, Clock* clock, RefreshOptions options = {});

}  // namespace trailhound::aws
