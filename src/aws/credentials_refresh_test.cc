#include "aws/credentials_refresh.h"

#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "testing/fake_clock.h"

namespace trailhound::aws {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

// Answers from a script; each fetch can be held until Release().
class ScriptedProvider final : public CredentialsProvider {
 public:
  void Push(Result<Credentials> result) {
    std::lock_guard lock(mu_);
    script_.push_back(std::move(result));
  }
  void HoldFetches() {
    std::lock_guard lock(mu_);
    hold_ = true;
  }
  void Release() {
    std::lock_guard lock(mu_);
    hold_ = false;
    cv_.notify_all();
  }
  int fetches() const { return fetches_.load(); }
  int waiting() {
    std::lock_guard lock(mu_);
    return waiting_;
  }

  Result<Credentials> GetCredentials() override {
    ++fetches_;
    std::unique_lock lock(mu_);
    ++waiting_;
    cv_.wait(lock, [&] { return !hold_; });
    --waiting_;
    if (script_.empty()) return Status::Unavailable("script exhausted");
    Result<Credentials> result = script_.front();
    script_.pop_front();
    return result;
  }
  std::string Describe() const override { return "scripted"; }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Result<Credentials>> script_;
  bool hold_ = false;
  int waiting_ = 0;
  std::atomic<int> fetches_{0};
};

Credentials Temporary(std::string id, std::chrono::system_clock::time_point expiration) {
  Credentials c;
  c.access_key_id = std::move(id);
  c.secret_access_key = Secret("s");
  c.session_token = Secret("t");
  c.expiration = expiration;
  return c;
}

class RefreshTest : public ::testing::Test {
 protected:
  RefreshTest()
      : inner_(std::make_shared<ScriptedProvider>()),
        provider_(MakeRefreshingCredentialsProvider(inner_, &clock_)) {}

  std::string KeyNow() {
    auto c = provider_->GetCredentials();
    return c.ok() ? c->access_key_id : c.status().ToString();
  }

  testing::FakeClock clock_;
  std::shared_ptr<ScriptedProvider> inner_;
  std::shared_ptr<CredentialsProvider> provider_;
};

TEST_F(RefreshTest, CachesUntilTheRefreshWindow) {
  inner_->Push(Temporary("ONE", clock_.Now() + minutes(60)));
  inner_->Push(Temporary("TWO", clock_.Now() + minutes(120)));
  EXPECT_EQ(KeyNow(), "ONE");
  clock_.Advance(minutes(54));
  EXPECT_EQ(KeyNow(), "ONE");
  EXPECT_EQ(inner_->fetches(), 1);
  clock_.Advance(minutes(1) + seconds(1));  // 4m59s before expiry: inside the 5 min window
  EXPECT_EQ(KeyNow(), "TWO");
  EXPECT_EQ(inner_->fetches(), 2);
  EXPECT_EQ(KeyNow(), "TWO");
  EXPECT_EQ(inner_->fetches(), 2);
}

TEST_F(RefreshTest, LongTermKeysAreFetchedOnce) {
  Credentials keys;
  keys.access_key_id = "AKIALONG";
  inner_->Push(keys);
  EXPECT_EQ(KeyNow(), "AKIALONG");
  clock_.Advance(minutes(60 * 24 * 365));
  EXPECT_EQ(KeyNow(), "AKIALONG");
  EXPECT_EQ(inner_->fetches(), 1);
}

TEST_F(RefreshTest, FailedRefreshKeepsServingValidCredentials) {
  auto expiry = clock_.Now() + minutes(60);
  inner_->Push(Temporary("ONE", expiry));
  inner_->Push(Status::Unavailable("STS is down"));
  inner_->Push(Temporary("TWO", expiry + minutes(60)));
  EXPECT_EQ(KeyNow(), "ONE");
  clock_.Advance(minutes(57));
  EXPECT_EQ(KeyNow(), "ONE");  // refresh failed, old ones still valid for 3 minutes
  EXPECT_EQ(inner_->fetches(), 2);
  clock_.Advance(seconds(10));
  EXPECT_EQ(KeyNow(), "ONE");  // no retry before retry_after_failure
  EXPECT_EQ(inner_->fetches(), 2);
  clock_.Advance(seconds(30));
  EXPECT_EQ(KeyNow(), "TWO");
  EXPECT_EQ(inner_->fetches(), 3);
}

TEST_F(RefreshTest, ExpiredAndRefreshFailingIsAnError) {
  auto expiry = clock_.Now() + minutes(60);
  inner_->Push(Temporary("ONE", expiry));
  inner_->Push(Status::Unauthenticated("token rejected"));
  EXPECT_EQ(KeyNow(), "ONE");
  clock_.Advance(minutes(60));
  auto credentials = provider_->GetCredentials();
  ASSERT_FALSE(credentials.ok());
  EXPECT_EQ(credentials.status().code(), StatusCode::kUnauthenticated);
  EXPECT_NE(credentials.status().message().find("expired at"), std::string::npos)
      << credentials.status().ToString();
  EXPECT_NE(credentials.status().message().find("token rejected"), std::string::npos);
}

TEST_F(RefreshTest, CredentialsInsideTheExpiryMarginAreNotServed) {
  inner_->Push(Temporary("ONE", clock_.Now() + minutes(60)));
  EXPECT_EQ(KeyNow(), "ONE");
  clock_.Advance(minutes(60) - seconds(10));  // 10 s left: a request could outlive them
  inner_->Push(Temporary("TWO", clock_.Now() + minutes(60)));
  EXPECT_EQ(KeyNow(), "TWO");
}

TEST_F(RefreshTest, FirstFetchFailureIsReturnedAndRetriedNextCall) {
  inner_->Push(Status::Unavailable("not yet"));
  inner_->Push(Temporary("ONE", clock_.Now() + minutes(60)));
  EXPECT_EQ(provider_->GetCredentials().status().code(), StatusCode::kUnavailable);
  EXPECT_EQ(KeyNow(), "ONE");
}

TEST_F(RefreshTest, OnlyOneRefreshAtATimeWhileOthersUseTheCache) {
  inner_->Push(Temporary("ONE", clock_.Now() + minutes(60)));
  EXPECT_EQ(KeyNow(), "ONE");
  clock_.Advance(minutes(56));
  inner_->Push(Temporary("TWO", clock_.Now() + minutes(60)));
  inner_->HoldFetches();
  std::thread refresher([&] { EXPECT_EQ(KeyNow(), "TWO"); });
  while (inner_->waiting() == 0) std::this_thread::yield();
  // While the refresh is held, other callers get the still-valid cache at once.
  for (int i = 0; i < 10; ++i) EXPECT_EQ(KeyNow(), "ONE");
  EXPECT_EQ(inner_->fetches(), 2);
  inner_->Release();
  refresher.join();
  EXPECT_EQ(KeyNow(), "TWO");
}

TEST_F(RefreshTest, ConcurrentCallersWithoutCredentialsShareOneFetch) {
  inner_->Push(Temporary("ONE", clock_.Now() + minutes(60)));
  inner_->HoldFetches();
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] {
      if (KeyNow() == "ONE") ++ok;
    });
  }
  while (inner_->waiting() == 0) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // let the others queue up
  inner_->Release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 8);
  EXPECT_EQ(inner_->fetches(), 1);
}

TEST_F(RefreshTest, WaitersShareAFailedFetch) {
  inner_->Push(Status::Unavailable("IMDS down"));
  inner_->HoldFetches();
  std::vector<std::thread> threads;
  std::atomic<int> failed{0};
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      if (provider_->GetCredentials().status().code() == StatusCode::kUnavailable) ++failed;
    });
  }
  while (inner_->waiting() == 0) std::this_thread::yield();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  inner_->Release();
  for (auto& t : threads) t.join();
  EXPECT_EQ(failed.load(), 4);
  EXPECT_EQ(inner_->fetches(), 1);
}

}  // namespace
}  // namespace trailhound::aws
