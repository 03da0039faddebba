// The scheduler's missed-fire rules: downtime, wall-clock steps both ways,
// suspend, a stalled host; and the state store it records fires in.
#include <gtest/gtest.h>

#include <sqlite3.h>

#include "runtime/scheduler_fixture.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_seconds;

class SchedulerMisfireTest : public SchedulerTest {
 protected:
  testing::TempDir dir;

  void open_store() { store = std::make_unique<state::StateStore>(dir / "jobhost.db"); }

  // As if an earlier run of the host had handed out every fire through `at`.
  void remember(sys_seconds at) {
    state::StateStore earlier(dir / "jobhost.db");
    earlier.record(at, {});
  }

  // The instant through which the store says fires were handed out.
  std::optional<sys_seconds> stored() {
    state::StateStore reader(dir / "jobhost.db");
    return reader.load().handed_out_through;
  }
};

TEST_F(SchedulerMisfireTest, RecordsEachFireBeforeItsRunStarts) {
  open_store();
  std::atomic<bool> recorded_first{true};
  add_recording("* * * * * *", [&](JobContext& context) {
    if (stored() < std::chrono::floor<std::chrono::seconds>(context.scheduled_time())) recorded_first = false;
  });
  start();
  for (std::size_t i = 1; i <= 3; ++i) {
    tick();
    EXPECT_TRUE(eventually([&] { return fired_so_far().size() == i && !jobs[0]->running(); }));
  }
  EXPECT_TRUE(shut_down());
  EXPECT_TRUE(recorded_first);
  EXPECT_EQ(stored(), instant("2026-03-07T12:00:03Z"));
}

TEST_F(SchedulerMisfireTest, CopiesTheStoresLogIntoItsFileOnceTheFiresAreHandedOut) {
  open_store();
  // A log due for copying, as after a thousand wake-ups.
  for (int i = state::StateStore::kCheckpointPages; i >= 0; --i) {
    store->record(instant("2026-03-07T12:00:00Z") - std::chrono::seconds(i), {});
  }
  add_recording("* * * * * *");
  start();
  tick();
  ASSERT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_TRUE(shut_down());
  EXPECT_FALSE(store->checkpoint_if_due()) << "the scheduler has copied it";
}

TEST_F(SchedulerMisfireTest, AJitteredJobsFiresAreRecordedOneByOne) {
  open_store();
  auto* job = add_recording("*/10 * * * * *");
  job->spec.policy.jitter = 5s;
  start();
  for (int i = 0; i < 16 && fired_so_far().empty(); ++i) tick();
  ASSERT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_TRUE(shut_down());
  state::StateStore reader(dir / "jobhost.db");
  EXPECT_EQ(reader.load().last_fires, (std::map<std::string, sys_seconds>{{"test.job", instant("2026-03-07T12:00:10Z")}}));
}

TEST_F(SchedulerMisfireTest, AJitteredFireStillWaitingAtAKillRunsAfterTheRestart) {
  // Handed out through 12:00:12; the 12:00:10 fire, jittered by up to 5s,
  // may not have been; 12:00:00 was.
  remember(instant("2026-03-07T12:00:12Z"));
  clock.set(instant("2026-03-07T12:00:14Z"));
  open_store();
  auto* job = add_recording("*/10 * * * * *");
  job->spec.policy.jitter = 5s;
  start();
  ASSERT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T12:00:10Z")}) << "a catch-up, not a repeat of 12:00:00";
}

TEST_F(SchedulerMisfireTest, AfterDowntimeTheLatestMissedFireRunsOnce) {
  remember(instant("2026-03-07T11:55:00Z"));
  open_store();
  auto* job = add_recording("* * * * *");
  start();
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T12:00:00Z")}) << "the latest missed, once";
  EXPECT_EQ(job->stats.fires_missed, 4u) << "11:56 to 11:59";
  tick(60);
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 2; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far().back(), instant("2026-03-07T12:01:00Z")) << "then the schedule goes on";
  EXPECT_EQ(stored(), instant("2026-03-07T12:01:00Z"));
}

// @every counts each fire from the one before: after a restart the run
// caught up carries the instant it missed (11:59:55), not the next one
// (12:00:09 before the fix), and the next regular fire still runs.
TEST_F(SchedulerMisfireTest, AfterDowntimeEveryCatchesUpTheFireItMissedAndGoesOn) {
  remember(instant("2026-03-07T11:59:40Z"));
  open_store();
  auto* job = add_recording("@every 15s");
  start();
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T11:59:55Z")});
  EXPECT_EQ(job->stats.fires_missed, 0u);
  tick(15);
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 2; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far().back(), instant("2026-03-07T12:00:15Z")) << "then the schedule goes on";
}

TEST_F(SchedulerMisfireTest, MisfireSkipRunsNothingForTheDowntime) {
  remember(instant("2026-03-07T11:55:00Z"));
  open_store();
  auto* job = add_recording("* * * * *");
  job->spec.policy.misfire = Misfire::skip;
  start();
  EXPECT_EQ(job->stats.fires_missed, 5u);
  tick(60);
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T12:01:00Z")});
}

TEST_F(SchedulerMisfireTest, AMissedFireOlderThanTheStartingDeadlineIsSkipped) {
  // Down from 09:00 yesterday; today's 09:00 is three hours ago, past the
  // default deadline of a daily job (1h).
  remember(instant("2026-03-06T09:00:00Z"));
  open_store();
  auto* daily = add_recording("0 9 * * *", {}, "test.daily");
  auto* lenient = add_recording("0 9 * * *", {}, "test.lenient");
  lenient->spec.policy.starting_deadline = 4h;
  start();
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(daily->stats.fires_missed, 1u);
  EXPECT_EQ(daily->stats.runs_ok, 0u);
  EXPECT_EQ(lenient->stats.runs_ok, 1u);
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T09:00:00Z")});
}

TEST_F(SchedulerMisfireTest, AFirstStartRunsNothingFromThePast) {
  open_store();
  add_recording("* * * * * *");
  start();
  tick();
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T12:00:01Z")});
}

TEST_F(SchedulerMisfireTest, AForwardClockJumpCatchesUpOnceAndGoesOn) {
  auto* job = add_recording("* * * * *");
  start();
  clock.set(instant("2026-03-07T14:00:30Z"));
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T14:00:00Z")});
  EXPECT_EQ(job->stats.fires_missed, 119u) << "12:01 to 13:59";
  tick(30);
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 2; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far().back(), instant("2026-03-07T14:01:00Z"));
}

TEST_F(SchedulerMisfireTest, ABackwardClockJumpNeverRerunsAFire) {
  open_store();
  add_recording("*/10 * * * * *");
  start();
  tick(30);  // 12:00:10, :20, :30
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 3; }));
  clock.set(instant("2026-03-07T11:59:00Z"));
  tick(60);  // back at 12:00:00: nothing again
  tick(40);  // to 12:00:40: only :40 is new
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 4; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far().back(), instant("2026-03-07T12:00:40Z"));
  EXPECT_EQ(stored(), instant("2026-03-07T12:00:40Z"));
}

TEST_F(SchedulerMisfireTest, ARestartAfterTheClockWentBackRunsNothingAlreadyRun) {
  remember(instant("2026-03-07T12:30:00Z"));  // half an hour ahead of the clock
  open_store();
  add_recording("*/10 * * * *");
  start();
  tick(60 * 20);  // 12:10, 12:20, 12:30 were run before
  EXPECT_TRUE(shut_down());
  EXPECT_TRUE(fired_so_far().empty());
}

TEST_F(SchedulerMisfireTest, AfterASuspendAJobRunsAtOnceNotASuspendLater) {
  // Suspended at 12:00:00.25 for eight hours, 20:00 is due at resume:
  // the kernel reports the resume as a change of the wall clock.
  add_recording("0 20 * * *");
  start();
  clock.set(instant("2026-03-07T20:00:05Z"));
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T20:00:00Z")});
}

TEST_F(SchedulerMisfireTest, AStalledHostRunsTheLatestMissedFireOnce) {
  auto* job = add_recording("* * * * * *");
  start();
  clock.stall(10s);  // the process was stopped: fires 12:00:01 to 12:00:10 passed
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T12:00:10Z")});
  EXPECT_EQ(job->stats.fires_missed, 9u);
}

TEST_F(SchedulerMisfireTest, AStoreThatFailsToRecordDoesNotStopTheRuns) {
  store = std::make_unique<state::StateStore>(dir / "jobhost.db", 0ms);
  add_recording("* * * * * *");
  start();
  tick();
  {
    // Another writer holds the database: every record fails at once.
    sqlite3* other = nullptr;
    ASSERT_EQ(sqlite3_open((dir / "jobhost.db").c_str(), &other), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(other, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr), SQLITE_OK);
    tick(2);
    EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 3; }));
    sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(other);
  }
  EXPECT_EQ(stored(), instant("2026-03-07T12:00:01Z")) << "the failed records were not half-written";
  tick();
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 4; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(stored(), instant("2026-03-07T12:00:04Z")) << "recording resumed";
}

}  // namespace
}  // namespace jobhost::runtime
