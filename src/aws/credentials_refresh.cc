#include "aws/credentials_refresh.h"

#include <fmt/format.h>

#include "aws/credentials_document.h"

namespace trailhound::aws {

RefreshingCredentialsProvider::RefreshingCredentialsProvider(
    std::shared_ptr<CredentialsProvider> inner, Clock* clock, RefreshOptions options)
    : inner_(std::move(inner)), clock_(clock), options_(options) {}

bool RefreshingCredentialsProvider::Usable(const Credentials& c,
                                           std::chrono::system_clock::time_point now) const {
  return !c.expiration || now + options_.expiry_margin_secs < *c.expiration;
}

bool RefreshingCredentialsProvider::Due(const Credentials& c,
                                        std::chrono::system_clock::time_point now) const {
  return c.expiration && now + options_.refresh_before_secs >= *c.expiration;
}

Result<Credentials> RefreshingCredentialsProvider::GetCredentials() {
  std::unique_lock lock(mu_);
  for (;;) {
    auto now = clock_->Now();
    bool usable = cached_ && Usable(*cached_, now);
    if (usable && !(Due(*cached_, now) && now >= next_attempt_)) return *cached_;
    if (refreshing_) {
      if (usable) return *cached_;  // someone else is refreshing; ours still works
      uint64_t generation = generation_;
      refreshed_.wait(lock, [&] { return generation_ != generation; });
      if (cached_ && Usable(*cached_, clock_->Now())) return *cached_;
      if (!last_error_.ok()) return last_error_;
      continue;
    }

    refreshing_ = true;
    lock.unlock();
    Result<Credentials> fresh = inner_->GetCredentials();
    lock.lock();
    refreshing_ = false;
    ++generation_;
    auto after = clock_->Now();
    if (fresh.ok()) {
      cached_ = *fresh;
      last_error_ = Status::OK();
      // Credentials that arrive already due are not re-fetched on every call.
      next_attempt_ = after + options_.retry_after_failure_secs;
    } else {
      last_error_ = fresh.status();
      if (cached_ && !Usable(*cached_, after)) {
        last_error_ = last_error_.Annotate(
            fmt::format("Credentials from {} expired at {} and could not be refreshed",
                        inner_->Describe(), FormatAwsTimestamp(*cached_->expiration)));
      }
      next_attempt_ = after + options_.retry_after_failure_secs;
    }
    refreshed_.notify_all();
    if (fresh.ok()) return *cached_;
    if (cached_ && Usable(*cached_, after)) return *cached_;
    return last_error_;
  }
}

std::shared_ptr<CredentialsProvider> MakeRefreshingCredentialsProvider(
    std::shared_ptr<CredentialsProvider> inner, Clock* clock, RefreshOptions options) {
  return std::make_shared<RefreshingCredentialsProvider>(std::move(inner), clock, options);
}

}  // namespace trailhound::aws
