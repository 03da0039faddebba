// What a run records of its timing: its lag behind its fire instant, its
// duration and when it finished.
#include <gtest/gtest.h>

#include "runtime/scheduler_fixture.hpp"

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;

// Fires are handed to the fixture's dispatcher directly; runs see the real
// clocks.
using DispatcherTimingTest = SchedulerTest;

TEST_F(DispatcherTimingTest, ARunRecordsItsLagBehindItsFireInstantAndWhenItFinished) {
  auto* job = add("* * * * * *", [&](JobContext&) {
    std::this_thread::sleep_for(20ms);
    ++runs;
  });
  // A fire handed out two seconds or more after its instant.
  const auto due = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()) - 2s;
  ASSERT_EQ(dispatcher.fire(*job, due), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return runs == 1 && !job->running(); }));

  const Histogram::Snapshot lag = job->stats.fire_lag.snapshot();
  EXPECT_EQ(lag.cumulative.back(), 1u);
  EXPECT_GE(lag.sum_seconds, 2.0);
  EXPECT_LT(lag.sum_seconds, 3.5);
  EXPECT_EQ(job->stats.run_duration.snapshot().cumulative.back(), 1u);
  std::lock_guard lock(job->runs.mutex);
  ASSERT_TRUE(job->stats.last_run);
  EXPECT_EQ(job->stats.last_run->scheduled, due);
  EXPECT_GE(job->stats.last_run->duration, 20ms);
  const auto now = std::chrono::system_clock::now();
  EXPECT_LE(job->stats.last_run->finished, now);
  EXPECT_GT(job->stats.last_run->finished, now - 1s);
}

}  // namespace
}  // namespace jobhost::runtime
