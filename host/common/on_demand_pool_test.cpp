#include "common/on_demand_pool.hpp"

#include <atomic>
#include <chrono>
#include <latch>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>

namespace jobhost {
namespace {

TEST(OnDemandPoolTest, RunsEveryTaskAtOnceEvenWhenTheyAllBlock) {
  constexpr int kTasks = 8;
  std::latch all_started(kTasks);
  {
    OnDemandPool pool("test");
    // Each task waits for all of them: a fixed pool smaller than 8 would
    // never finish.
    for (int i = 0; i < kTasks; ++i) {
      pool.post([&] {
        all_started.count_down();
        all_started.wait();
      });
    }
  }
  EXPECT_TRUE(all_started.try_wait());
}

TEST(OnDemandPoolTest, ReusesAThreadThatIsIdle) {
  std::atomic<int> ran{0};
  OnDemandPool pool("test");
  std::set<std::thread::id> threads;
  std::mutex mutex;
  for (int i = 0; i < 20; ++i) {
    std::latch done(1);
    pool.post([&] {
      {
        std::lock_guard lock(mutex);
        threads.insert(std::this_thread::get_id());
      }
      ++ran;
      done.count_down();
    });
    done.wait();
    // Let the thread go back to waiting before the next post.
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_EQ(ran, 20);
  EXPECT_LE(threads.size(), 2u);
}

TEST(OnDemandPoolTest, DestructorWaitsForTasksPosted) {
  std::atomic<int> ran{0};
  {
    OnDemandPool pool("test");
    for (int i = 0; i < 5; ++i) {
      pool.post([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        ++ran;
      });
    }
  }
  EXPECT_EQ(ran, 5);
}

}  // namespace
}  // namespace jobhost
