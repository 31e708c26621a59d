// The server's limits on their own: rate per client, query slots and their queue.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "server/server_state.h"

namespace jobindsigt::server {
namespace {

TEST(RateLimiterTest, AllowsTheRateThenAsksToWait) {
  RateLimiter limiter(3);
  int retry = 0;
  EXPECT_TRUE(limiter.Allow("a", retry));
  EXPECT_TRUE(limiter.Allow("a", retry));
  EXPECT_TRUE(limiter.Allow("a", retry));
  EXPECT_FALSE(limiter.Allow("a", retry));
  EXPECT_GE(retry, 1);
  EXPECT_TRUE(limiter.Allow("b", retry));  // per client
}

TEST(QuerySlotsTest, QueueBeyondItsLimitIsRefused) {
  QuerySlots slots(1, 0);
  ASSERT_TRUE(slots.Acquire());
  EXPECT_FALSE(slots.Acquire());  // no slot free and no room to wait
  slots.Release();
  EXPECT_TRUE(slots.Acquire());
  slots.Release();
}

TEST(QuerySlotsTest, AWaitingQueryGetsTheFreedSlot) {
  QuerySlots slots(1, 1);
  ASSERT_TRUE(slots.Acquire());
  std::atomic<bool> got{false};
  std::thread waiter([&] {
    got = slots.Acquire();
    slots.Release();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(got);
  slots.Release();
  waiter.join();
  EXPECT_TRUE(got);
}

// Waiters are served in the order they came; while one waits, a newcomer does not take a freed
// slot past it (without this, a few requests waited for seconds under load).
TEST(QuerySlotsTest, WaitersAreServedFirstComeFirstServed) {
  QuerySlots slots(1, 8);
  ASSERT_TRUE(slots.Acquire());
  std::mutex order_mutex;
  std::vector<int> order;
  std::vector<std::thread> waiters;
  for (int waiter = 0; waiter < 4; ++waiter) {
    waiters.emplace_back([&, waiter] {
      ASSERT_TRUE(slots.Acquire());
      {
        const std::lock_guard lock(order_mutex);
        order.push_back(waiter);
      }
      slots.Release();
    });
    std::this_thread::sleep_for(std::chrono::milliseconds(40));  // arrive one after another
  }
  // The holder frees its slot and at once asks again: it is a newcomer behind four waiters.
  slots.Release();
  ASSERT_TRUE(slots.Acquire());
  {
    const std::lock_guard lock(order_mutex);
    order.push_back(-1);
  }
  slots.Release();
  for (auto& waiter : waiters) waiter.join();
  EXPECT_EQ(order, (std::vector<int>{0, 1, 2, 3, -1}));
}

TEST(ResponseCacheTest, KeepsTheMostRecentWithinItsSize) {
  ResponseCache cache(1000);
  cache.Store("a", {std::string(200, 'a'), "text/csv", "\"1\"", ""});
  cache.Store("b", {std::string(200, 'b'), "text/csv", "\"2\"", ""});
  ASSERT_TRUE(cache.Find("a"));  // a is now the most recent
  for (int index = 0; index < 5; ++index)
    cache.Store("c" + std::to_string(index), {std::string(200, 'c'), "text/csv", "\"3\"", ""});
  EXPECT_FALSE(cache.Find("b"));
  EXPECT_TRUE(cache.Find("c4"));
  cache.Store("big", {std::string(600, 'x'), "text/csv", "\"4\"", ""});  // over a quarter: not kept
  EXPECT_FALSE(cache.Find("big"));
}

// A burst of the same uncached request: one computes, the others wait for its answer.
TEST(AnswersInFlightTest, OneRequestComputesTheOthersShareItsAnswer) {
  AnswersInFlight in_flight;
  auto leader = std::make_unique<AnswersInFlight::Claim>(in_flight.Join("k"));
  ASSERT_TRUE(leader->leader());
  std::atomic<int> shared{0};
  std::vector<std::thread> followers;
  for (int index = 0; index < 4; ++index) {
    followers.emplace_back([&] {
      AnswersInFlight::Claim claim = in_flight.Join("k");
      EXPECT_FALSE(claim.leader());
      const auto entry = claim.Wait();
      if (entry && entry->body == "answer") ++shared;
    });
  }
  AnswersInFlight::Claim other = in_flight.Join("another key");
  EXPECT_TRUE(other.leader());  // keys are independent
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(shared.load(), 0);  // nobody got an answer before the leader had one
  leader->Publish({"answer", "text/csv", "\"e\"", ""});
  for (auto& follower : followers) follower.join();
  EXPECT_EQ(shared.load(), 4);
  leader.reset();
  EXPECT_TRUE(in_flight.Join("k").leader());  // finished: the next request leads anew
}

// A leader that fails (its claim ends without an answer) releases the waiting requests with
// nothing, so each computes and reports its own answer or error.
TEST(AnswersInFlightTest, AFailedLeaderReleasesTheOthersEmptyHanded) {
  AnswersInFlight in_flight;
  auto first = std::make_unique<AnswersInFlight::Claim>(in_flight.Join("k"));
  ASSERT_TRUE(first->leader());
  std::optional<ResponseCache::Entry> got{ResponseCache::Entry{"x", "", "", ""}};
  std::thread follower([&] {
    AnswersInFlight::Claim claim = in_flight.Join("k");
    got = claim.Wait();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  first.reset();  // e.g. the engine threw
  follower.join();
  EXPECT_FALSE(got.has_value());
}

}  // namespace
}  // namespace jobindsigt::server
