// Fires handed to the executor as they are, each admitted by the worker that
// takes it (Dispatcher::prepare, hand_out, fire_all).
#include <gtest/gtest.h>

#include "runtime/scheduler_fixture.hpp"

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;

std::chrono::sys_seconds due() { return instant("2026-03-07T12:00:00Z"); }

// A dispatcher whose executor has a single worker, which the test keeps busy
// with a blocker's run so that fires wait for it.
class DispatcherHandOutTest : public SchedulerTest {
 protected:
  Executor one_worker{1};
  Dispatcher one{one_worker, clients, watchdog};

  void block_the_worker() {
    auto* blocker = add("* * * * * *", [&](JobContext&) {
      while (!release) std::this_thread::sleep_for(1ms);
    }, "test.blocker");
    ASSERT_EQ(one.fire(*blocker, due()), Dispatcher::FireOutcome::started);
    ASSERT_TRUE(eventually([&] { return blocker->running(); }));
  }

  void TearDown() override {
    release = true;
    one.shut_down(job_pointers());
    EXPECT_TRUE(one_worker.join_for(5s));
    SchedulerTest::TearDown();
  }
};

TEST_F(DispatcherHandOutTest, TheOverlapPolicyIsAppliedWhenAWorkerTakesTheFire) {
  auto* job = add_recording("* * * * * *", [&](JobContext&) {
    if (++runs == 1) {
      while (!release) std::this_thread::sleep_for(1ms);
    }
  });
  // Its first run takes the only worker; the next fire waits for it.
  ASSERT_EQ(one.fire(*job, due()), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return runs == 1; }));
  const Dispatcher::Fire next[] = {{job, due() + 1s}};
  one.fire_all(next);
  EXPECT_EQ(job->stats.fires_skipped, 0u) << "the run still running when it was handed out does not decide";
  release = true;
  EXPECT_TRUE(eventually([&] { return runs == 2 && !job->running(); }))
      << "the run had ended when the worker took the fire: overlap skip lets it run";
  EXPECT_EQ(job->stats.fires_skipped, 0u);
  EXPECT_EQ(fired_so_far(), (std::vector{due(), due() + 1s}));
}

TEST_F(DispatcherHandOutTest, AJobHasAtMostOneFireNoWorkerHasTaken) {
  block_the_worker();
  auto* job = add_recording("* * * * * *");
  const Dispatcher::Fire first[] = {{job, due()}};
  const Dispatcher::Fire second[] = {{job, due() + 1s}};
  one.fire_all(first);
  one.fire_all(second);
  EXPECT_EQ(job->stats.fires_skipped, 1u) << "its previous fire still waits for a worker";
  EXPECT_TRUE(job->running()) << "a fire of it is on its way";
  release = true;
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1 && !job->running(); }));
  EXPECT_EQ(fired_so_far(), std::vector{due()});
  const Dispatcher::Fire third[] = {{job, due() + 2s}};
  one.fire_all(third);
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 2; })) << "taken: the next one is handed out";
  EXPECT_EQ(fired_so_far().back(), due() + 2s);
  EXPECT_EQ(job->stats.fires_skipped, 1u);
}

TEST_F(DispatcherHandOutTest, FiresPreparedButNeverHandedOutAreDroppedWithoutATrace) {
  auto* job = add_recording("* * * * * *");
  {
    const Dispatcher::Fire fires[] = {{job, due()}};
    const Dispatcher::PreparedFires prepared = one.prepare(fires);
    EXPECT_FALSE(job->running()) << "prepared, not handed out";
  }
  const Dispatcher::Fire later[] = {{job, due() + 1s}};
  one.fire_all(later);
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1 && !job->running(); }));
  EXPECT_EQ(fired_so_far(), std::vector{due() + 1s}) << "the dropped fire never ran";
  EXPECT_EQ(job->stats.fires_skipped, 0u);
}

TEST_F(DispatcherHandOutTest, FiresHandedOutOnceTheExecutorIsClosedAreSkipped) {
  auto* job = add_recording("* * * * * *");
  one_worker.close();
  const Dispatcher::Fire fires[] = {{job, due()}};
  one.fire_all(fires);
  EXPECT_EQ(job->stats.fires_skipped, 1u);
  EXPECT_FALSE(job->running());
}

// A fire in the executor refers to its job: draining must wait for it, or
// the job could be destroyed before the worker takes it.
TEST_F(DispatcherHandOutTest, DrainWaitsForAFireNoWorkerHasTakenYet) {
  block_the_worker();
  auto* job = add_recording("* * * * * *");
  const Dispatcher::Fire fires[] = {{job, due()}};
  one.fire_all(fires);
  ScheduledJob* const drained[] = {job};
  EXPECT_EQ(one.drain(drained, 50ms), std::vector<ScheduledJob*>{job});
  release = true;
  EXPECT_TRUE(one.drain(drained, 5s).empty());
  EXPECT_EQ(job->stats.fires_skipped, 1u) << "taken after its plugin began unloading";
  EXPECT_TRUE(fired_so_far().empty());
}

}  // namespace
}  // namespace jobhost::runtime
