#include "runtime/executor.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <latch>
#include <thread>
#include <vector>

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

TEST(Executor, OneWorkerRunsTasksInTheOrderTheyWereSubmitted) {
  std::vector<int> order;  // one worker: no two tasks at once
  {
    Executor executor(1);
    std::vector<std::function<void()>> first;
    for (int i = 0; i < 3; ++i) first.push_back([&order, i] { order.push_back(i); });
    executor.submit_all(std::move(first));
    executor.submit([&order] { order.push_back(3); });
    executor.submit_all({[&order] { order.push_back(4); }, [&order] { order.push_back(5); }});
    EXPECT_TRUE(executor.join_for(std::chrono::seconds(10)));
  }
  EXPECT_EQ(order, (std::vector{0, 1, 2, 3, 4, 5}));
}

TEST(Executor, RunsEveryTaskOfManyBatchesFromSeveralThreadsExactlyOnce) {
  constexpr int kThreads = 4, kBatches = 200, kPerBatch = 50;
  std::vector<std::atomic<int>> ran(kThreads * kBatches * kPerBatch);
  {
    Executor executor(3);
    std::vector<std::thread> submitters;
    for (int t = 0; t < kThreads; ++t) {
      submitters.emplace_back([&, t] {
        for (int b = 0; b < kBatches; ++b) {
          std::vector<std::function<void()>> batch;
          for (int i = 0; i < kPerBatch; ++i) batch.push_back([&ran, at = (t * kBatches + b) * kPerBatch + i] { ++ran[at]; });
          executor.submit_all(std::move(batch));
        }
      });
    }
    for (auto& submitter : submitters) submitter.join();
    EXPECT_TRUE(executor.join_for(std::chrono::seconds(30)));
  }
  for (const auto& count : ran) ASSERT_EQ(count, 1);
}

TEST(Executor, RunsTasksInParallel) {
  Executor executor(2);
  std::latch both_started(2);
  // Each task waits for the other: this finishes only if they run at once.
  for (int i = 0; i < 2; ++i) executor.submit([&] { both_started.arrive_and_wait(); });
  EXPECT_TRUE(executor.join_for(std::chrono::seconds(10)));
}

// Waits up to ten seconds for `condition`; whether it came true.
bool wait_for(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

TEST(Executor, EveryWorkerJoinsABatchWhoseTasksWaitOnEachOther) {
  std::atomic<int> started{0};
  std::atomic<int> saw_all{0};
  {
    Executor executor(4);
    // Each task waits for the others: they all see four only if all four run at once.
    std::vector<std::function<void()>> tasks(4, [&] {
      ++started;
      if (wait_for([&] { return started == 4; })) ++saw_all;
    });
    executor.submit_all(std::move(tasks));
    EXPECT_TRUE(executor.join_for(std::chrono::seconds(30)));
  }
  EXPECT_EQ(saw_all, 4);
}

TEST(Executor, AWorkerClaimsOneTaskOfABatchAtFirst) {
  std::atomic<bool> second_ran{false};
  std::atomic<bool> first_saw_it{false};
  {
    Executor executor(2);
    // The first waits for the second: claimed together, the second would run
    // only once the first gave up.
    executor.submit_all({[&] { first_saw_it = wait_for([&] { return second_ran.load(); }); },
                         [&] { second_ran = true; }});
    EXPECT_TRUE(executor.join_for(std::chrono::seconds(30)));
  }
  EXPECT_TRUE(first_saw_it);
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
  release = true;
  EXPECT_TRUE(executor.join_for(std::chrono::seconds(10)));
}

}  // namespace
}  // namespace jobhost::runtime
