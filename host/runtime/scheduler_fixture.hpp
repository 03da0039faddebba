// SchedulerTest: a scheduler on a ManualClock, with everything its runs may
// touch, for the scheduler tests. Time moves only through `clock`, so no test
// waits for a real schedule; `eventually` waits (briefly, in real time) for
// runs that the executor's threads carry out.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "clients/chain_client_provider.hpp"
#include "runtime/scheduled_job.hpp"
#include "runtime/manual_clock.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/test_job.hpp"
#include "schedule/iso8601.hpp"
#include "support/eventually.hpp"

namespace jobhost::runtime {

using testing::eventually;

inline std::chrono::sys_seconds instant(const char* iso) { return schedule::parse_iso8601(iso, "test instant"); }

// Everything a run may touch lives in the fixture, and the fixture stops the
// scheduler and drains the executor before any of it goes. A test whose jobs
// touch its own local variables calls shut_down() before they go.
class SchedulerTest : public ::testing::Test {
 protected:
  logging::LogHub logs{logging::LogOptions{}};
  clients::ChainClientProvider clients{{}, {}, logs.make("clients")};
  // A quarter past a whole second, as a real clock would be read.
  ManualClock clock{instant("2026-03-07T12:00:00Z") + std::chrono::milliseconds(250)};
  std::unique_ptr<state::StateStore> store;  // tests that persist fires set it
  std::atomic<int> runs{0};
  std::atomic<bool> release{false};
  std::vector<std::shared_ptr<ScheduledJob>> jobs;
  Executor executor{4};
  Watchdog watchdog;
  Dispatcher dispatcher{executor, clients, watchdog};
  std::unique_ptr<Scheduler> scheduler;

  // The scheduled instants of the runs, in the order they started.
  std::mutex fired_mutex;
  std::vector<std::chrono::sys_seconds> fired;

  ScheduledJob* add(const std::string& spec, std::function<void(JobContext&)> run,
                    const std::string& name = "test.job") {
    jobs.push_back(make_test_job(logs, spec, std::move(run), name, schedule::TimeZone::utc()));
    return jobs.back().get();
  }

  // A job that records its scheduled instants in `fired`, then does `then`.
  ScheduledJob* add_recording(const std::string& spec, std::function<void(JobContext&)> then = {},
                              const std::string& name = "test.job") {
    return add(spec, [this, then](JobContext& context) {
      {
        std::lock_guard lock(fired_mutex);
        fired.push_back(std::chrono::floor<std::chrono::seconds>(context.scheduled_time()));
      }
      if (then) then(context);
    }, name);
  }

  std::vector<std::chrono::sys_seconds> fired_so_far() {
    std::lock_guard lock(fired_mutex);
    return fired;
  }

  std::vector<ScheduledJob*> job_pointers() const {
    std::vector<ScheduledJob*> pointers;
    for (const auto& job : jobs) pointers.push_back(job.get());
    return pointers;
  }

  void start() {
    scheduler = std::make_unique<Scheduler>(job_pointers(), dispatcher, clock, store.get(), logs.make("scheduler"));
    scheduler->start();
    clock.wait_for_sleeper();
  }

  // Lets `seconds` seconds pass, one at a time, each time waiting (a while)
  // for the runs it started to end.
  void tick(int seconds = 1) {
    for (int i = 0; i < seconds; ++i) {
      clock.advance(std::chrono::seconds(1));
      eventually([&] {
        for (const auto& job : jobs) {
          if (job->running()) return false;
        }
        return true;
      });
    }
  }

  // Lets `seconds` seconds pass, one at a time, without waiting for runs,
  // which the test keeps running on purpose; each time it waits (a while)
  // until the workers have taken the fires handed out, which applies their
  // overlap policy.
  void tick_while_running(int seconds = 1) {
    for (int i = 0; i < seconds; ++i) {
      clock.advance(std::chrono::seconds(1));
      eventually([&] {
        for (const auto& job : jobs) {
          if (job->runs.fire_handed_out) return false;
        }
        return true;
      });
    }
  }

  // Stops firing, asks runs to stop, waits for them (on the executor and in
  // workers); true when they all ended.
  bool shut_down() {
    release = true;
    if (scheduler) scheduler->stop();
    dispatcher.shut_down(job_pointers());
    return executor.join_for(std::chrono::seconds(5)) && dispatcher.await_runs(job_pointers(), std::chrono::seconds(5)).empty();
  }

  void TearDown() override { EXPECT_TRUE(shut_down()); }
};

}  // namespace jobhost::runtime
