#include "common/on_demand_pool.hpp"

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <string>
#include <latch>
#include <mutex>
#include <set>
#include <thread>

#include <gtest/gtest.h>
#include <sys/resource.h>

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

TEST(OnDemandPoolTest, AtMostTheLimitOfThreadsRunAndTheOtherTasksWaitForThem) {
  std::latch three_running(3);
  std::atomic<bool> release{false};
  std::atomic<int> started{0};
  std::atomic<int> ran{0};
  {
    OnDemandPool pool("test", 3);
    for (int i = 0; i < 12; ++i) {
      pool.post([&] {
        ++started;
        three_running.count_down();
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        ++ran;
      });
    }
    three_running.wait();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // a fourth would start meanwhile
    EXPECT_EQ(started, 3);
    release = true;
  }
  EXPECT_EQ(ran, 12);
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

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
// A sanitizer's shadow memory does not fit a data limit: the plain build
// alone runs this.

// The private memory a process has mapped (its threads' stacks count), in
// bytes.
std::uint64_t mapped_data() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmData:", 0) == 0) return std::stoull(line.substr(7)) * 1024;
  }
  return 0;
}

// Under a memory limit that counts thread stacks (a worker's), the pool
// makes the threads it can; start() then says no, and post() queues the task
// until a running one returns, rather than throwing. Returns 0 when so.
int run_more_tasks_than_the_limit_has_threads_for() {
  const rlimit limit{.rlim_cur = mapped_data() + 64 * 1024 * 1024, .rlim_max = RLIM_INFINITY};
  ::setrlimit(RLIMIT_DATA, &limit);
  constexpr int kTasks = 40;  // 8 MiB of stack each: more than 64 MiB lets start
  std::atomic<bool> release{false};
  std::atomic<int> ran{0};
  bool refused = false;
  {
    OnDemandPool pool("test");
    for (int i = 0; i < kTasks; ++i) {
      std::function<void()> task = [&] {
        while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        ++ran;
      };
      if (!pool.start(task)) {
        refused = true;
        pool.post(std::move(task));
      }
    }
    release = true;
  }
  return refused && ran == kTasks ? 0 : 1;
}

TEST(OnDemandPoolTest, WhenNoThreadCanBeMadeATaskWaitsForARunningOne) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");  // a fresh process of one thread
  EXPECT_EXIT(std::exit(run_more_tasks_than_the_limit_has_threads_for()), ::testing::ExitedWithCode(0), "");
}
#endif

}  // namespace
}  // namespace jobhost
