#include "runtime/scheduler.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <unistd.h>
#include <thread>

#include "clients/chain_client_provider.hpp"
#include "runtime/test_job.hpp"

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;

// Waits up to `timeout` for `condition`; the scheduler fires on whole
// seconds, so conditions take one or two seconds to come true.
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = 6s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// Everything a run may touch lives in the fixture, and the fixture stops the
// scheduler and drains the executor before any of it goes. A test whose jobs
// touch its own local variables calls shut_down() before they go.
class SchedulerTest : public ::testing::Test {
 protected:
  logging::LogHub logs{logging::LogOptions{}};
  clients::ChainClientProvider clients{{}, {}, logs.make("clients")};
  std::stop_source stop;
  std::atomic<int> runs{0};
  std::atomic<bool> release{false};
  std::vector<std::unique_ptr<ScheduledJob>> jobs;
  Executor executor{4};
  Watchdog watchdog;
  Dispatcher dispatcher{executor, clients, watchdog, stop.get_token()};
  std::unique_ptr<Scheduler> scheduler;

  ScheduledJob* add(const std::string& spec, std::function<void(JobContext&)> run,
                    const std::string& name = "test.job") {
    jobs.push_back(make_test_job(logs, spec, std::move(run), name));
    return jobs.back().get();
  }

  void start() {
    std::vector<ScheduledJob*> pointers;
    for (const auto& job : jobs) pointers.push_back(job.get());
    scheduler = std::make_unique<Scheduler>(pointers, dispatcher, logs.make("scheduler"));
    scheduler->start();
  }

  // Stops firing, asks runs to stop, waits for them; true when they all ended.
  bool shut_down() {
    release = true;
    if (scheduler) scheduler->stop();
    stop.request_stop();
    return executor.join_for(5s);
  }

  void TearDown() override { EXPECT_TRUE(shut_down()); }
};

TEST_F(SchedulerTest, FiresEverySecond) {
  auto* job = add("* * * * * *", [&](JobContext&) { ++runs; });
  start();
  EXPECT_TRUE(eventually([&] { return runs >= 2; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(job->runs_ok, static_cast<std::uint64_t>(runs));
}

TEST_F(SchedulerTest, PassesTheScheduledSecondNotTheStartTime) {
  std::atomic<bool> whole_second{false};
  auto* job = add("* * * * * *", [&](JobContext& context) {
    const auto t = context.scheduled_time();
    whole_second = (t == std::chrono::floor<std::chrono::seconds>(t));
  });
  start();
  EXPECT_TRUE(eventually([&] { return job->runs_ok >= 1; }));
  EXPECT_TRUE(shut_down());
  EXPECT_TRUE(whole_second);
}

TEST_F(SchedulerTest, SkipsAFireWhileThePreviousRunIsStillRunning) {
  auto* job = add("* * * * * *", [&](JobContext&) {
    while (!release) std::this_thread::sleep_for(5ms);
  });
  start();
  EXPECT_TRUE(eventually([&] { return job->fires_skipped >= 1; }));
  EXPECT_EQ(job->runs_ok, 0u) << "the first run is still going";
  release = true;
  EXPECT_TRUE(eventually([&] { return job->runs_ok >= 2; })) << "firing resumes once the run ends";
}

TEST_F(SchedulerTest, AFailingJobDoesNotDisturbTheOthers) {
  auto* failing = add("* * * * * *", [](JobContext&) { throw std::runtime_error("boom"); }, "test.failing");
  auto* healthy = add("* * * * * *", [](JobContext&) {}, "test.healthy");
  start();
  EXPECT_TRUE(eventually([&] { return failing->runs_failed >= 2 && healthy->runs_ok >= 2; }));
}

TEST_F(SchedulerTest, DisabledJobsNeverFire) {
  auto* job = add("* * * * * *", [](JobContext&) {});
  job->enabled = false;
  auto* other = add("* * * * * *", [](JobContext&) {}, "test.other");
  start();
  EXPECT_TRUE(eventually([&] { return other->runs_ok >= 2; }));
  EXPECT_EQ(job->runs_ok, 0u);
}

TEST_F(SchedulerTest, ShutdownStopsALongJobThatHonoursItsStopToken) {
  auto* job = add("* * * * * *", [&](JobContext& context) {
    ++runs;
    while (!context.stop_token().stop_requested()) std::this_thread::sleep_for(1ms);
  });
  start();
  ASSERT_TRUE(eventually([&] { return runs >= 1; }));
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(shut_down());
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
  EXPECT_EQ(job->runs_ok, 1u);
  EXPECT_FALSE(job->running());
}

TEST_F(SchedulerTest, StopsPromptlyWithNothingDue) {
  auto* job = add("@yearly", [](JobContext&) {});
  start();
  const auto begin = std::chrono::steady_clock::now();
  scheduler->stop();
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
  EXPECT_EQ(job->runs_ok, 0u);
}

TEST_F(SchedulerTest, QueueRunsAWaitingFireWhenTheRunningOneEnds) {
  auto* job = add("* * * * * *", [&](JobContext&) {
    if (++runs == 1) {
      while (!release) std::this_thread::sleep_for(5ms);
    }
  });
  job->policy.overlap = Overlap::queue;
  start();
  // The first run blocks: one fire queues behind it, later ones are skipped.
  EXPECT_TRUE(eventually([&] { return job->fires_skipped >= 1; }));
  EXPECT_EQ(runs, 1);
  release = true;
  EXPECT_TRUE(eventually([&] { return runs >= 2; })) << "the queued fire runs as soon as the first ends";
}

TEST_F(SchedulerTest, AllowRunsUpToMaxConcurrentAtOnce) {
  std::atomic<int> now_running{0};
  std::atomic<int> most{0};
  auto* job = add("* * * * * *", [&](JobContext& context) {
    const int current = ++now_running;
    for (int seen = most; current > seen && !most.compare_exchange_weak(seen, current);) {
    }
    while (!release && !context.stop_token().stop_requested()) std::this_thread::sleep_for(5ms);
    --now_running;
  });
  job->policy.overlap = Overlap::allow;
  job->policy.max_concurrent = 2;
  start();
  EXPECT_TRUE(eventually([&] { return job->fires_skipped >= 1; })) << "the third fire finds two runs";
  EXPECT_TRUE(shut_down());  // before the counters above go
  EXPECT_EQ(most, 2);
}

TEST_F(SchedulerTest, ReplaceStopsTheRunningRunAndStartsTheNewOne) {
  auto* job = add("* * * * * *", [&](JobContext& context) {
    ++runs;
    while (!context.stop_token().stop_requested()) std::this_thread::sleep_for(1ms);
  });
  job->policy.overlap = Overlap::replace;
  start();
  EXPECT_TRUE(eventually([&] { return runs >= 3; }));
  EXPECT_GE(job->runs_ok, 2u) << "each run returned when the next fire asked it to stop";
  EXPECT_EQ(job->fires_skipped, 0u);
}

TEST_F(SchedulerTest, ATimeoutStopsTheRunAndCountsIt) {
  auto* job = add("* * * * * *", [&](JobContext& context) {
    while (!context.stop_token().stop_requested()) std::this_thread::sleep_for(1ms);
  });
  job->policy.timeout = 200ms;
  start();
  EXPECT_TRUE(eventually([&] { return job->runs_timed_out >= 2; }));
  EXPECT_EQ(job->runs_ok, 0u);
  EXPECT_EQ(job->fires_skipped, 0u) << "each run ended at its timeout, before the next fire";
}

TEST_F(SchedulerTest, ARunIgnoringItsTimeoutIsLoggedAsStuckAndNotPiledUp) {
  const auto file = std::filesystem::temp_directory_path() / ("jobhost-stuck-" + std::to_string(::getpid()) + ".log");
  logging::LogOptions options;
  options.file = file;
  logging::LogHub file_logs(options);
  auto* job = add("* * * * * *", [&](JobContext&) {
    while (!release) std::this_thread::sleep_for(5ms);  // ignores its stop token
  });
  job->logger = file_logs.make_plugin_logger("test.stuck");
  job->policy.timeout = 100ms;
  job->policy.kill_grace = 200ms;
  start();
  EXPECT_TRUE(eventually([&] {
    std::ifstream in(file);
    const std::string text((std::istreambuf_iterator<char>(in)), {});
    return text.find("run is stuck") != std::string::npos && job->fires_skipped >= 1;
  }));
  release = true;
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(job->runs_timed_out, 1u);
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

TEST_F(SchedulerTest, AJitteredRunStillSeesItsFireInstant) {
  std::atomic<bool> whole_second{false};
  auto* job = add("* * * * * *", [&](JobContext& context) {
    const auto t = context.scheduled_time();
    whole_second = (t == std::chrono::floor<std::chrono::seconds>(t));
    ++runs;
  });
  job->policy.jitter = 300ms;
  start();
  EXPECT_TRUE(eventually([&] { return runs >= 2; }));
  EXPECT_TRUE(shut_down());  // before `whole_second` goes
  EXPECT_TRUE(whole_second);
}

}  // namespace
}  // namespace jobhost::runtime
