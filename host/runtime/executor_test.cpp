#include "runtime/executor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <latch>

namespace jobhost::runtime {
namespace {

TEST(Executor, RunsEveryTaskOnItsWorkers) {
  std::atomic<int> done{0};
  {
    Executor executor(3);
    for (int i = 0; i < 100; ++i) EXPECT_TRUE(executor.submit([&] { ++done; }));
    EXPECT_TRUE(executor.join_for(std::chrono::seconds(10)));
  }
  EXPECT_EQ(done, 100);
}

TEST(Executor, RunsABatchOfTasksSubmittedAtOnce) {
  std::atomic<int> done{0};
  {
    Executor executor(3);
    std::vector<std::function<void()>> tasks(1000, [&] { ++done; });
    EXPECT_TRUE(executor.submit_all(std::move(tasks)));
    EXPECT_TRUE(executor.join_for(std::chrono::seconds(10)));
  }
  EXPECT_EQ(done, 1000);
}

TEST(Executor, RunsTasksInParallel) {
  Executor executor(2);
  std::latch both_started(2);
  // Each task waits for the other: this finishes only if they run at once.
  for (int i = 0; i < 2; ++i) executor.submit([&] { both_started.arrive_and_wait(); });
  EXPECT_TRUE(executor.join_for(std::chrono::seconds(10)));
}

TEST(Executor, RefusesTasksOnceClosed) {
  Executor executor(1);
  executor.close();
  EXPECT_FALSE(executor.submit([] {}));
  EXPECT_FALSE(executor.submit_all({[] {}, [] {}}));
}

TEST(Executor, JoinForReportsATaskThatDoesNotFinish) {
  Executor executor(1);
  std::atomic<bool> release{false};
  executor.submit([&] {
    while (!release) std::this_thread::yield();
  });
  EXPECT_FALSE(executor.join_for(std::chrono::milliseconds(100)));
  EXPECT_EQ(executor.busy(), 1u);
  release = true;
  EXPECT_TRUE(executor.join_for(std::chrono::seconds(10)));
}

}  // namespace
}  // namespace jobhost::runtime
