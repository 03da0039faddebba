// Staging: just before an instant the scheduler takes its fires off the
// heap, plans their next ones and prepares them, so that at the instant it
// only records and hands them out. Whatever happens in between (a command,
// a clock change, a stop) puts them back as if never staged.
#include <gtest/gtest.h>

#include "runtime/scheduler_fixture.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_seconds;

class SchedulerStagingTest : public SchedulerTest {
 protected:
  testing::TempDir dir;

  // The fixture's clock reads 12:00:00.250; this takes it to half a
  // millisecond before the first fire, 12:00:01, within the staging lead.
  void advance_to_just_before_the_first_fire() { clock.advance(749500us); }

  std::optional<sys_seconds> stored() { return state::StateStore(dir / "jobhost.db").load().handed_out_through; }
};

std::int64_t seconds_of(const char* iso) { return instant(iso).time_since_epoch().count(); }

TEST_F(SchedulerStagingTest, AStagedFireRunsAtItsInstantNotBefore) {
  store = std::make_unique<state::StateStore>(dir / "jobhost.db");
  auto* job = add_recording("* * * * * *");
  start();
  advance_to_just_before_the_first_fire();
  EXPECT_EQ(job->next_fire, seconds_of("2026-03-07T12:00:02Z")) << "staged: its next fire is planned";
  EXPECT_FALSE(job->running()) << "not handed out yet";
  EXPECT_LT(stored().value_or(sys_seconds{}), instant("2026-03-07T12:00:01Z")) << "not handed out yet";
  clock.advance(500us);
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T12:00:01Z")});
  EXPECT_EQ(stored(), instant("2026-03-07T12:00:01Z"));
}

TEST_F(SchedulerStagingTest, TheStagedFireOfAJobRemovedMeanwhileNeverRuns) {
  auto* job = add_recording("* * * * * *");
  start();
  advance_to_just_before_the_first_fire();
  scheduler->remove({job});
  EXPECT_FALSE(job->running()) << "its prepared fire was dropped";
  EXPECT_EQ(job->next_fire, 0);
  tick(2);
  EXPECT_TRUE(fired_so_far().empty());
  EXPECT_EQ(job->stats.fires_skipped, 0u);
}

TEST_F(SchedulerStagingTest, AClockChangeWhileStagedReplansTheStagedFires) {
  auto* job = add_recording("* * * * * *");
  start();
  advance_to_just_before_the_first_fire();
  // A resume from an hour's suspend: the staged fire is one of those missed.
  clock.set(instant("2026-03-07T13:00:01Z") + 250ms);
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1 && !job->running(); }));
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T13:00:01Z")}) << "one catch-up run (misfire: once)";
  EXPECT_EQ(job->stats.fires_missed, 3600u);
}

TEST_F(SchedulerStagingTest, AStallBetweenStagingAndTheInstantGoesThroughTheMisfirePolicy) {
  auto* job = add_recording("* * * * * *");
  start();
  advance_to_just_before_the_first_fire();
  clock.stall(5s);  // the process was stopped: it is now 12:00:05.9995
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1 && !job->running(); }));
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T12:00:05Z")}) << "one catch-up run (misfire: once)";
  EXPECT_EQ(job->stats.fires_missed, 4u);
}

TEST_F(SchedulerStagingTest, StoppingWhileStagedHandsOutAndRecordsNothing) {
  store = std::make_unique<state::StateStore>(dir / "jobhost.db");
  auto* job = add_recording("* * * * * *");
  start();
  advance_to_just_before_the_first_fire();
  scheduler->stop();
  EXPECT_FALSE(job->running()) << "its prepared fire was dropped";
  EXPECT_LT(stored().value_or(sys_seconds{}), instant("2026-03-07T12:00:01Z"));
  EXPECT_TRUE(fired_so_far().empty());
}

}  // namespace
}  // namespace jobhost::runtime
