// Retiring and draining jobs before their plugin is unloaded.
#include <gtest/gtest.h>

#include "common/longest_duration.hpp"
#include "runtime/scheduler_fixture.hpp"

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;

// The fixture's dispatcher, executor and watchdog; fires are handed to the
// dispatcher directly, without a scheduler.
using DispatcherDrainTest = SchedulerTest;

std::chrono::sys_seconds due() { return instant("2026-03-07T12:00:00Z"); }

TEST_F(DispatcherDrainTest, DrainStopsARunThatHonoursItsStopToken) {
  auto* job = add("* * * * * *", [&](JobContext& context) {
    ++runs;
    while (!context.stop_token().stop_requested()) std::this_thread::sleep_for(1ms);
  });
  ASSERT_EQ(dispatcher.fire(*job, due()), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return runs == 1; }));
  ScheduledJob* const drained[] = {job};
  EXPECT_TRUE(dispatcher.drain(drained, 5s).empty());
  EXPECT_FALSE(job->running());
  EXPECT_EQ(job->stats.runs_ok, 1u);
  EXPECT_EQ(dispatcher.fire(*job, due() + 1s), Dispatcher::FireOutcome::skipped) << "retired";
  EXPECT_EQ(job->stats.fires_skipped, 1u);
  EXPECT_EQ(runs, 1);
}

TEST_F(DispatcherDrainTest, DrainTimesOutOnARunThatIgnoresItsStopTokenAndSucceedsLater) {
  auto* stuck = add("* * * * * *", [&](JobContext&) {
    ++runs;
    while (!release) std::this_thread::sleep_for(1ms);
  }, "test.stuck");
  auto* idle = add("* * * * * *", [](JobContext&) {}, "test.idle");
  ASSERT_EQ(dispatcher.fire(*stuck, due()), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return runs == 1; }));
  ScheduledJob* const drained[] = {stuck, idle};
  EXPECT_EQ(dispatcher.drain(drained, 50ms), std::vector<ScheduledJob*>{stuck});
  EXPECT_TRUE(stuck->running());
  release = true;
  EXPECT_TRUE(dispatcher.drain(drained, 5s).empty());
  EXPECT_FALSE(stuck->running());
  EXPECT_EQ(stuck->stats.runs_ok, 1u);
}

TEST_F(DispatcherDrainTest, RetiringDropsTheQueuedFire) {
  auto* job = add("* * * * * *", [&](JobContext&) {
    ++runs;
    while (!release) std::this_thread::sleep_for(1ms);
  });
  job->spec.policy.overlap = Overlap::queue;
  ASSERT_EQ(dispatcher.fire(*job, due()), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return runs == 1; }));
  ASSERT_EQ(dispatcher.fire(*job, due() + 1s), Dispatcher::FireOutcome::waiting);
  ScheduledJob* const retired[] = {job};
  dispatcher.retire(retired);
  EXPECT_EQ(job->stats.fires_skipped, 1u);
  release = true;
  EXPECT_TRUE(dispatcher.drain(retired, 5s).empty());
  EXPECT_EQ(runs, 1) << "the queued fire did not start when the running run ended";
  EXPECT_EQ(job->stats.runs_ok, 1u);
}

TEST_F(DispatcherDrainTest, RetiringSkipsARunTheExecutorHasNotStarted) {
  Executor one_worker{1};
  Dispatcher one{one_worker, clients, watchdog};
  // Before the executor joins its worker, whatever the test asserted.
  struct Release {
    std::atomic<bool>& flag;
    ~Release() { flag = true; }
  } release_at_exit{release};
  auto* blocker = add("* * * * * *", [&](JobContext&) {
    ++runs;
    while (!release) std::this_thread::sleep_for(1ms);
  }, "test.blocker");
  auto* waiting = add("* * * * * *", [](JobContext&) {}, "test.waiting");
  ASSERT_EQ(one.fire(*blocker, due()), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return runs == 1; }));
  ASSERT_EQ(one.fire(*waiting, due()), Dispatcher::FireOutcome::started) << "queued in the executor";
  ScheduledJob* const retired[] = {waiting};
  one.retire(retired);
  release = true;
  EXPECT_TRUE(one.drain(retired, 5s).empty());
  EXPECT_EQ(waiting->stats.runs_ok, 0u);
  EXPECT_EQ(waiting->stats.fires_skipped, 1u);
  EXPECT_TRUE(one_worker.join_for(5s));
}

// A check of kLongestDuration's choice: the longest timeout and kill grace
// the configuration accepts put the watchdog's deadlines far in the future,
// not (wrapped around) in the past. (Longer ones are refused: job_policy_test.)
TEST_F(DispatcherDrainTest, TheLongestTimeoutAcceptedNeverAsksARunToStop) {
  auto* job = add("* * * * * *", [&](JobContext& context) {
    ++runs;
    while (!release && !context.stop_token().stop_requested()) std::this_thread::sleep_for(1ms);
  });
  job->spec.policy.timeout = kLongestDuration;
  job->spec.policy.kill_grace = kLongestDuration;
  ASSERT_EQ(dispatcher.fire(*job, due()), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return runs == 1; }));
  std::this_thread::sleep_for(100ms);
  release = true;
  ScheduledJob* const drained[] = {job};
  ASSERT_TRUE(dispatcher.drain(drained, 5s).empty());
  EXPECT_EQ(job->stats.runs_ok, 1u);
  EXPECT_EQ(job->stats.runs_timed_out, 0u);
}

// The watchdog acts on a run (its timeout passed) while the run ends and the
// job is drained and destroyed; and the job's deadlines outlive it. Run
// under AddressSanitizer.
TEST_F(DispatcherDrainTest, AJobWithATimeoutCanBeDestroyedOnceDrained) {
  for (int i = 0; i < 20; ++i) {
    auto job = make_test_job(logs, "* * * * * *", [](JobContext& context) {
      while (!context.stop_token().stop_requested()) std::this_thread::sleep_for(100us);
    }, "test.timeout", schedule::TimeZone::utc());
    job->spec.policy.timeout = 5ms;
    ASSERT_EQ(dispatcher.fire(*job, due()), Dispatcher::FireOutcome::started);
    // Drained as soon as the watchdog has marked the run timed out, while it
    // may still be logging it.
    ASSERT_TRUE(eventually([&] {
      std::lock_guard lock(job->runs.mutex);
      return job->stats.runs_timed_out == 1 || (!job->runs.active.empty() && job->runs.active.front()->timed_out);
    }, 5s, 0ms));
    ScheduledJob* const drained[] = {job.get()};
    ASSERT_TRUE(dispatcher.drain(drained, 5s).empty());
    job.reset();
  }
  // A run that returns well before its timeout leaves a deadline behind (far
  // enough that a loaded machine does not time the quick run out).
  auto job = make_test_job(logs, "* * * * * *", [](JobContext&) {}, "test.quick", schedule::TimeZone::utc());
  job->spec.policy.timeout = 500ms;
  ASSERT_EQ(dispatcher.fire(*job, due()), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return job->stats.runs_ok == 1; }));
  ScheduledJob* const drained[] = {job.get()};
  ASSERT_TRUE(dispatcher.drain(drained, 5s).empty());
  job.reset();
  std::this_thread::sleep_for(600ms);  // the deadline passes
}

}  // namespace
}  // namespace jobhost::runtime
