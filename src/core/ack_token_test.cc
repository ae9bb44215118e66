#include "core/ack_token.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace trailhound {
namespace {

struct Recorder {
  int calls = 0;
  AckOutcome outcome = AckOutcome::kDelivered;
  AckToken::Callback Callback() {
    return [this](AckOutcome o) {
      ++calls;
      outcome = o;
    };
  }
};

TEST(AckToken, CompletesOnceWhenTheLastCopyIsResolved) {
  Recorder r;
  AckToken token = AckToken::Create(r.Callback());
  AckToken a = token;
  AckToken b = token;
  token.Resolve(AckOutcome::kDelivered);
  a.Resolve(AckOutcome::kDelivered);
  EXPECT_EQ(r.calls, 0);
  b.Resolve(AckOutcome::kDelivered);
  EXPECT_EQ(r.calls, 1);
  EXPECT_EQ(r.outcome, AckOutcome::kDelivered);
}

TEST(AckToken, WorstOutcomeWins) {
  Recorder r;
  AckToken token = AckToken::Create(r.Callback());
  AckToken a = token;
  AckToken b = token;
  a.Resolve(AckOutcome::kErrored);
  b.Resolve(AckOutcome::kRejected);
  token.Resolve(AckOutcome::kDelivered);
  EXPECT_EQ(r.outcome, AckOutcome::kErrored);
}

TEST(AckToken, RejectedBeatsDelivered) {
  Recorder r;
  AckToken token = AckToken::Create(r.Callback());
  AckToken a = token;
  a.Resolve(AckOutcome::kRejected);
  token.Resolve(AckOutcome::kDelivered);
  EXPECT_EQ(r.outcome, AckOutcome::kRejected);
}

TEST(AckToken, DroppingAnUnresolvedCopyCountsAsErrored) {
  Recorder r;
  {
    AckToken token = AckToken::Create(r.Callback());
    { AckToken forgotten = token; }
    token.Resolve(AckOutcome::kDelivered);
  }
  EXPECT_EQ(r.calls, 1);
  EXPECT_EQ(r.outcome, AckOutcome::kErrored);
}

TEST(AckToken, MovedFromTokenIsEmptyAndHarmless) {
  Recorder r;
  AckToken token = AckToken::Create(r.Callback());
  AckToken moved = std::move(token);
  EXPECT_TRUE(token.empty());  // NOLINT(bugprone-use-after-move): checking the contract
  token.Resolve(AckOutcome::kErrored);
  moved.Resolve(AckOutcome::kDelivered);
  EXPECT_EQ(r.calls, 1);
  EXPECT_EQ(r.outcome, AckOutcome::kDelivered);
}

TEST(AckToken, AssignmentReleasesThePreviousToken) {
  Recorder first, second;
  AckToken a = AckToken::Create(first.Callback());
  AckToken b = AckToken::Create(second.Callback());
  a = b;  // a's first token is dropped unresolved
  EXPECT_EQ(first.calls, 1);
  EXPECT_EQ(first.outcome, AckOutcome::kErrored);
  a.Resolve(AckOutcome::kDelivered);
  b.Resolve(AckOutcome::kDelivered);
  EXPECT_EQ(second.calls, 1);
  EXPECT_EQ(second.outcome, AckOutcome::kDelivered);
}

TEST(AckToken, ConcurrentResolutionCompletesExactlyOnce) {
  std::atomic<int> calls{0};
  AckToken token = AckToken::Create([&](AckOutcome) { calls.fetch_add(1); });
  std::vector<AckToken> copies(10000, token);
  token.Resolve(AckOutcome::kDelivered);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = static_cast<size_t>(t); i < copies.size(); i += 4) {
        copies[i].Resolve(AckOutcome::kDelivered);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(calls.load(), 1);
}

}  // namespace
}  // namespace trailhound
