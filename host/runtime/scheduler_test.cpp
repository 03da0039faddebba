#include "runtime/scheduler.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "runtime/scheduler_fixture.hpp"
#include "runtime/system_clock.hpp"

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;

TEST_F(SchedulerTest, FiresOnEveryDueInstant) {
  add_recording("* * * * * *");
  start();
  tick(3);
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 3; }));
  EXPECT_EQ(fired_so_far(), (std::vector{instant("2026-03-07T12:00:01Z"), instant("2026-03-07T12:00:02Z"),
                                         instant("2026-03-07T12:00:03Z")}));
}

TEST_F(SchedulerTest, NothingFiresBeforeItsInstant) {
  add_recording("*/10 * * * * *");
  start();
  clock.advance(9500ms);
  EXPECT_TRUE(shut_down());
  EXPECT_TRUE(fired_so_far().empty());
}

TEST_F(SchedulerTest, SkipsAFireWhileThePreviousRunIsStillRunning) {
  auto* job = add("* * * * * *", [&](JobContext&) {
    while (!release) std::this_thread::sleep_for(1ms);
  });
  start();
  tick_while_running();  // the first run starts and blocks
  tick_while_running();  // this fire finds it running
  EXPECT_EQ(job->stats.fires_skipped, 1u);
  EXPECT_EQ(job->stats.runs_ok, 0u) << "the first run is still going";
  release = true;
  EXPECT_TRUE(eventually([&] { return !job->running(); }));
  tick();
  EXPECT_TRUE(eventually([&] { return job->stats.runs_ok == 2; })) << "firing resumes once the run ends";
}

TEST_F(SchedulerTest, AFailingJobDoesNotDisturbTheOthers) {
  auto* failing = add("* * * * * *", [](JobContext&) { throw std::runtime_error("boom"); }, "test.failing");
  auto* healthy = add("* * * * * *", [](JobContext&) {}, "test.healthy");
  start();
  tick();
  EXPECT_TRUE(eventually([&] { return !failing->running() && !healthy->running(); }));
  tick();
  EXPECT_TRUE(eventually([&] { return failing->stats.runs_failed == 2 && healthy->stats.runs_ok == 2; }));
}

TEST_F(SchedulerTest, DisabledJobsNeverFire) {
  auto* job = add("* * * * * *", [](JobContext&) {});
  job->spec.enabled = false;
  auto* other = add("* * * * * *", [](JobContext&) {}, "test.other");
  start();
  tick(2);
  EXPECT_TRUE(eventually([&] { return other->stats.runs_ok == 2; }));
  EXPECT_EQ(job->stats.runs_ok, 0u);
}

TEST_F(SchedulerTest, ShutdownStopsALongJobThatHonoursItsStopToken) {
  auto* job = add("* * * * * *", [&](JobContext& context) {
    ++runs;
    while (!context.stop_token().stop_requested()) std::this_thread::sleep_for(1ms);
  });
  start();
  tick_while_running();
  ASSERT_TRUE(eventually([&] { return runs == 1; }));
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(shut_down());
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
  EXPECT_EQ(job->stats.runs_ok, 1u);
  EXPECT_FALSE(job->running());
}

TEST_F(SchedulerTest, QueueRunsAWaitingFireWhenTheRunningOneEnds) {
  auto* job = add_recording("* * * * * *", [&](JobContext&) {
    if (++runs == 1) {
      while (!release) std::this_thread::sleep_for(1ms);
    }
  });
  job->spec.policy.overlap = Overlap::queue;
  start();
  tick_while_running();  // 12:00:01 runs and blocks
  ASSERT_TRUE(eventually([&] { return runs == 1; }));
  tick_while_running();  // 12:00:02 queues behind it
  tick_while_running();  // 12:00:03 is skipped: one is queued already
  EXPECT_EQ(job->stats.fires_skipped, 1u);
  EXPECT_EQ(runs, 1);
  release = true;
  EXPECT_TRUE(eventually([&] { return runs == 2; })) << "the queued fire runs as soon as the first ends";
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far(), (std::vector{instant("2026-03-07T12:00:01Z"), instant("2026-03-07T12:00:02Z")}));
}

TEST_F(SchedulerTest, ShutdownSkipsAQueuedFireInsteadOfStartingIt) {
  auto* job = add("* * * * * *", [&](JobContext& context) {
    ++runs;
    while (!context.stop_token().stop_requested()) std::this_thread::sleep_for(1ms);
  });
  job->spec.policy.overlap = Overlap::queue;
  start();
  tick_while_running(2);
  ASSERT_TRUE(eventually([&] {
    std::lock_guard lock(job->runs.mutex);
    return runs == 1 && job->runs.queued.has_value();
  }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(runs, 1) << "the queued fire must not start once the host is stopping";
  EXPECT_EQ(job->stats.runs_ok, 1u);
}

TEST_F(SchedulerTest, AllowRunsUpToMaxConcurrentAtOnce) {
  std::atomic<int> now_running{0};
  std::atomic<int> most{0};
  auto* job = add("* * * * * *", [&](JobContext& context) {
    const int current = ++now_running;
    for (int seen = most; current > seen && !most.compare_exchange_weak(seen, current);) {
    }
    while (!release && !context.stop_token().stop_requested()) std::this_thread::sleep_for(1ms);
    --now_running;
  });
  job->spec.policy.overlap = Overlap::allow;
  job->spec.policy.max_concurrent = 2;
  start();
  tick_while_running(3);
  EXPECT_EQ(job->stats.fires_skipped, 1u) << "the third fire finds two runs";
  EXPECT_TRUE(eventually([&] { return now_running == 2; }));
  EXPECT_TRUE(shut_down());  // before the counters above go
  EXPECT_EQ(most, 2);
}

TEST_F(SchedulerTest, ReplaceStopsTheRunningRunAndStartsTheNewOne) {
  auto* job = add("* * * * * *", [&](JobContext& context) {
    ++runs;
    while (!context.stop_token().stop_requested()) std::this_thread::sleep_for(1ms);
  });
  job->spec.policy.overlap = Overlap::replace;
  start();
  tick_while_running();
  ASSERT_TRUE(eventually([&] { return runs == 1; }));
  tick_while_running();
  EXPECT_TRUE(eventually([&] { return runs == 2; }));
  EXPECT_EQ(job->stats.runs_ok, 1u) << "the first run returned when the second fire asked it to stop";
  EXPECT_EQ(job->stats.fires_skipped, 0u);
}

TEST_F(SchedulerTest, RunsOfAJobReuseOneRunAndANewRunIsNeverStoppedBeforeItStarts) {
  // Replace asks each run to stop; the run object that ran it is reused by a
  // later fire, which must not find the old stop request.
  std::atomic<int> started_stopped{0};
  auto* job = add("* * * * * *", [&](JobContext& context) {
    if (context.stop_token().stop_requested()) ++started_stopped;
    ++runs;
    while (!context.stop_token().stop_requested()) std::this_thread::sleep_for(1ms);
  });
  job->spec.policy.overlap = Overlap::replace;
  start();
  for (int run = 1; run <= 4; ++run) {
    tick_while_running();
    ASSERT_TRUE(eventually([&] { return runs == run; }));
  }
  EXPECT_EQ(started_stopped, 0);
  EXPECT_TRUE(shut_down());
  std::lock_guard lock(job->runs.mutex);
  EXPECT_TRUE(job->runs.active.empty());
  EXPECT_EQ(job->runs.idle_runs.size(), 1u) << "one run object served every run";
}

TEST_F(SchedulerTest, RunsOfAJobWithATimeoutAreNotReused) {
  // The watchdog may still hold such a run after it returned.
  auto* job = add("* * * * * *", [](JobContext&) {});
  job->spec.policy.timeout = 10s;
  start();
  tick(2);
  EXPECT_TRUE(eventually([&] { return job->stats.runs_ok == 2; }));
  std::lock_guard lock(job->runs.mutex);
  EXPECT_TRUE(job->runs.idle_runs.empty());
}

TEST_F(SchedulerTest, ATimeoutStopsTheRunAndCountsIt) {
  auto* job = add("* * * * * *", [&](JobContext& context) {
    while (!context.stop_token().stop_requested()) std::this_thread::sleep_for(1ms);
  });
  job->spec.policy.timeout = 50ms;
  start();
  tick_while_running();
  EXPECT_TRUE(eventually([&] { return job->stats.runs_timed_out == 1; }));
  tick_while_running();
  EXPECT_TRUE(eventually([&] { return job->stats.runs_timed_out == 2; }));
  EXPECT_EQ(job->stats.runs_ok, 0u);
  EXPECT_EQ(job->stats.fires_skipped, 0u) << "each run ended at its timeout, before the next fire";
}

TEST_F(SchedulerTest, ARunIgnoringItsTimeoutIsLoggedAsStuckAndNotPiledUp) {
  const auto file = std::filesystem::temp_directory_path() / ("jobhost-stuck-" + std::to_string(::getpid()) + ".log");
  logging::LogOptions options;
  options.file = file;
  logging::LogHub file_logs(options);
  auto* job = add("* * * * * *", [&](JobContext&) {
    while (!release) std::this_thread::sleep_for(1ms);  // ignores its stop token
  });
  job->spec.logger = file_logs.make_job_logger("test.stuck");
  job->spec.run_logger = file_logs.make_plugin_logger("test.stuck");
  job->spec.policy.timeout = 50ms;
  job->spec.policy.kill_grace = 100ms;
  start();
  tick_while_running();
  EXPECT_TRUE(eventually([&] {
    std::ifstream in(file);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    return text.find("run is stuck") != std::string::npos;
  }));
  tick_while_running();
  EXPECT_EQ(job->stats.fires_skipped, 1u);
  release = true;
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(job->stats.runs_timed_out, 1u);
  std::filesystem::remove(file);
}

TEST(SchedulerJitter, StaysWithinTheJitterAndBeforeTheNextFire) {
  std::minstd_rand random(42);
  for (int i = 0; i < 1000; ++i) {
    const auto delay = Scheduler::jitter_delay(500ms, 10s, random);
    EXPECT_GE(delay, 0ns);
    EXPECT_LE(delay, 500ms);
    const auto bounded = Scheduler::jitter_delay(1h, 1s, random);
    EXPECT_LT(bounded, 1s) << "never as late as the next fire";
  }
  EXPECT_EQ(Scheduler::jitter_delay(0ns, 1s, random), 0ns);
}

TEST_F(SchedulerTest, AJitteredRunWaitsButStillSeesItsFireInstant) {
  auto* job = add_recording("*/10 * * * * *");
  job->spec.policy.jitter = 5s;
  start();
  // 12:00:10 is due; its run starts at a random instant before 12:00:15.
  for (int i = 0; i < 15 && fired_so_far().empty(); ++i) tick();
  EXPECT_TRUE(eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_EQ(fired_so_far(), std::vector{instant("2026-03-07T12:00:10Z")});
  EXPECT_LE(clock.now(), instant("2026-03-07T12:00:15Z") + 250ms);
}

// The same scheduler on the real clock: a fire every second happens.
TEST(SchedulerOnTheSystemClock, FiresEverySecond) {
  logging::LogHub logs{logging::LogOptions{}};
  clients::ChainClientProvider clients{{}, {}, logs.make("clients")};
  Executor executor{2};
  Watchdog watchdog;
  Dispatcher dispatcher{executor, clients, watchdog};
  SystemClock clock;
  auto job = make_test_job(logs, "* * * * * *", [](JobContext&) {});
  Scheduler scheduler({job.get()}, dispatcher, clock, nullptr, logs.make("scheduler"));
  scheduler.start();
  EXPECT_TRUE(eventually([&] { return job->stats.runs_ok >= 2; }, 5s));
  scheduler.stop();
  ScheduledJob* const jobs[] = {job.get()};
  dispatcher.shut_down(jobs);
  EXPECT_TRUE(executor.join_for(5s));
}

}  // namespace
}  // namespace jobhost::runtime
