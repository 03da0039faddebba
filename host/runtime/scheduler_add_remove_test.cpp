// Jobs added to and removed from a running scheduler, as when a plugin is
// dropped in, replaced or removed while the host runs.
#include <gtest/gtest.h>

#include <thread>

#include "runtime/scheduler_fixture.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_seconds;

class SchedulerAddRemoveTest : public SchedulerTest {
 protected:
  testing::TempDir dir;

  void open_store() { store = std::make_unique<state::StateStore>(dir / "jobhost.db"); }

  // add() and remove() return once the scheduler thread applied them; this
  // also waits until it sleeps again, so that time moves only after.
  void add_jobs(std::vector<ScheduledJob*> added) {
    scheduler->add(std::move(added));
    clock.wait_for_sleeper();
  }
  void remove_jobs(std::vector<ScheduledJob*> removed) {
    scheduler->remove(std::move(removed));
    clock.wait_for_sleeper();
  }

  // The job of a replaced plugin: removed after :10 and :20 ran, added again
  // (a new object, the same name) at 12:00:45, after :30 and :40 passed.
  void replace_after_a_gap() {
    auto* old_job = add_recording("*/10 * * * * *", {}, "test.swapped");
    start();
    tick(20);
    ASSERT_TRUE(eventually([&] { return fired_so_far().size() == 2; }));
    remove_jobs({old_job});
    tick(25);
    auto* new_job = add_recording("*/10 * * * * *", {}, "test.swapped");
    add_jobs({new_job});
    EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 3; })) << "the latest missed fire, at once";
    tick(5);
    EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 4; }));
    EXPECT_TRUE(shut_down());
    EXPECT_EQ(fired_so_far(), (std::vector{instant("2026-03-07T12:00:10Z"), instant("2026-03-07T12:00:20Z"),
                                           instant("2026-03-07T12:00:40Z"), instant("2026-03-07T12:00:50Z")}));
    EXPECT_EQ(new_job->stats.fires_missed, 1u) << "12:00:30";
    EXPECT_EQ(old_job->stats.runs_ok, 2u);
  }
};

TEST_F(SchedulerAddRemoveTest, AJobAddedWhileRunningFiresOnSchedule) {
  auto* early = add_recording("*/10 * * * * *", {}, "test.early");
  start();
  tick(2);
  auto* added = add_recording("* * * * * *", {}, "test.added");
  add_jobs({added});
  tick(2);
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 2; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far(), (std::vector{instant("2026-03-07T12:00:03Z"), instant("2026-03-07T12:00:04Z")}))
      << "planned from the moment it was added, nothing from before";
  EXPECT_EQ(added->stats.fires_missed, 0u);
  EXPECT_EQ(early->stats.runs_ok, 0u);
}

TEST_F(SchedulerAddRemoveTest, ARemovedJobNeverFiresAgainThoughItIsDue) {
  auto* removed = add_recording("*/10 * * * * *", {}, "test.removed");
  auto* kept = add("*/10 * * * * *", [](JobContext&) {}, "test.kept");
  start();
  tick(10);
  ASSERT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  remove_jobs({removed});
  EXPECT_EQ(removed->next_fire, 0) << "nothing planned";
  tick(30);
  EXPECT_TRUE(eventually([&] { return kept->stats.runs_ok == 4; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T12:00:10Z")});
  EXPECT_EQ(removed->stats.fires_skipped, 0u) << "not handed to the dispatcher at all";
}

TEST_F(SchedulerAddRemoveTest, RemoveFromAnotherThreadWhileTheSchedulerSleeps) {
  auto* job = add_recording("* * * * *");
  start();  // asleep until 12:01
  std::thread other([&] { scheduler->remove({job}); });
  other.join();
  clock.wait_for_sleeper();
  tick(120);
  EXPECT_TRUE(shut_down());
  EXPECT_TRUE(fired_so_far().empty());
}

TEST_F(SchedulerAddRemoveTest, AddAndRemoveNeverWaitForAThreadThatIsNotThere) {
  auto* job = add_recording("* * * * * *");
  scheduler = std::make_unique<Scheduler>(job_pointers(), dispatcher, clock, nullptr, logs.make("scheduler"));
  scheduler->remove({job});  // before start(): applied at once
  scheduler->start();
  clock.wait_for_sleeper();
  tick(2);
  EXPECT_TRUE(fired_so_far().empty());
  scheduler->add({job});
  clock.wait_for_sleeper();
  tick();
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  scheduler->stop();
  scheduler->remove({job});  // after stop(): nothing to do
  scheduler->add({job});
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T12:00:03Z")});
}

TEST_F(SchedulerAddRemoveTest, AReplacedJobGoesOnFromTheLastFireOfTheOneItReplaces) { replace_after_a_gap(); }

TEST_F(SchedulerAddRemoveTest, AReplacedJobGoesOnFromTheLastFireOfTheOneItReplacesWithAStore) {
  open_store();
  replace_after_a_gap();
}

TEST_F(SchedulerAddRemoveTest, AReplacedJobNeverRerunsAFireOfTheOneItReplaces) {
  auto* old_job = add_recording("*/10 * * * * *", {}, "test.swapped");
  start();
  tick(20);
  ASSERT_TRUE(eventually([&] { return fired_so_far().size() == 2; }));
  remove_jobs({old_job});
  clock.set(instant("2026-03-07T12:00:05Z"));  // the clock goes back
  auto* new_job = add_recording("*/10 * * * * *", {}, "test.swapped");
  add_jobs({new_job});
  tick(30);  // 12:00:10 and 12:00:20 again, then 12:00:30
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 3; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far(), (std::vector{instant("2026-03-07T12:00:10Z"), instant("2026-03-07T12:00:20Z"),
                                         instant("2026-03-07T12:00:30Z")}));
  EXPECT_EQ(new_job->stats.fires_missed, 0u);
}

TEST_F(SchedulerAddRemoveTest, AnAddedJobGoesOnFromTheLastFireTheStoreKnows) {
  // An earlier run of the host handed out 11:59:40 of a job with jitter,
  // whose plugin was not there when this one started.
  {
    state::StateStore earlier(dir / "jobhost.db");
    const state::FireRecord fires[] = {{"test.jittered", instant("2026-03-07T11:59:40Z")}};
    earlier.record(instant("2026-03-07T11:59:45Z"), fires);
  }
  open_store();
  start();
  auto* known = add_recording("*/10 * * * * *", {}, "test.jittered");
  known->spec.policy.jitter = 5s;
  auto* unknown = add("*/10 * * * * *", [](JobContext&) {}, "test.unknown");
  add_jobs({known, unknown});
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T12:00:00Z")}) << "the latest missed fire, once";
  EXPECT_EQ(known->stats.fires_missed, 1u) << "11:59:50";
  EXPECT_EQ(unknown->stats.runs_ok, 0u) << "planned from now";
  EXPECT_EQ(unknown->stats.fires_missed, 0u);
}

// A plugin of ten jobs firing every second, replaced a hundred times: every
// generation runs once, is drained and destroyed; the slot table does not
// grow.
TEST_F(SchedulerAddRemoveTest, ManyReplacementsReuseTheSlots) {
  start();
  std::size_t table = 0;
  for (int cycle = 0; cycle < 100; ++cycle) {
    std::vector<std::unique_ptr<ScheduledJob>> generation;
    std::vector<ScheduledJob*> pointers;
    for (int i = 0; i < 10; ++i) {
      generation.push_back(make_test_job(logs, "* * * * * *", [this](JobContext&) { ++runs; },
                                         "test.job" + std::to_string(i), schedule::TimeZone::utc()));
      pointers.push_back(generation.back().get());
    }
    add_jobs(pointers);
    clock.advance(1s);
    ASSERT_TRUE(eventually([&] {
      for (ScheduledJob* job : pointers) {
        if (job->stats.runs_ok != 1) return false;
      }
      return true;
    })) << "cycle " << cycle;
    remove_jobs(pointers);
    ASSERT_TRUE(dispatcher.drain(pointers, 5s).empty());
    if (cycle == 0) table = scheduler->slot_table_size();
    EXPECT_EQ(scheduler->slot_table_size(), table);
  }
  EXPECT_EQ(table, 10u);
  EXPECT_EQ(runs, 1000);
}

}  // namespace
}  // namespace jobhost::runtime
