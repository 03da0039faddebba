// Runs in a worker process: the dispatcher starts them there and its thread
// goes on; a run ends when the worker's reader says so, on that thread. Until
// then the job is running, and drain() and await_runs() wait for it.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <stdexcept>
#include <thread>

#include "jobhost/error.hpp"
#include "runtime/run_killed_error.hpp"
#include "runtime/scheduler_fixture.hpp"

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;

// Keeps the runs it is asked to start; the test ends them, each on a thread
// of its own as a worker's reader would.
class FakeWorker final : public PluginWorker {
 public:
  struct Started {
    std::string job;
    JobContext* context;
    std::function<void(std::exception_ptr)> finished;
  };

  void start_run(const std::string& job, JobContext& ctx, std::function<void(std::exception_ptr)> finished) override {
    std::lock_guard lock(mutex_);
    started_.push_back({job, &ctx, std::move(finished)});
  }
  std::string state() const override { return "running"; }
  std::uint64_t deaths() const override { return 0; }
  void kill_runs(const std::string&) override {}
  void release_quarantine() override {}
  void ask_to_exit() override {}

  std::size_t started() {
    std::lock_guard lock(mutex_);
    return started_.size();
  }
  JobContext& context(std::size_t run) {
    std::lock_guard lock(mutex_);
    return *started_.at(run).context;
  }
  const std::string& job(std::size_t run) {
    std::lock_guard lock(mutex_);
    return started_.at(run).job;
  }
  // Ends run number `run` on another thread, with `thrown`.
  void end(std::size_t run, std::exception_ptr thrown = nullptr) {
    std::function<void(std::exception_ptr)> finished;
    {
      std::lock_guard lock(mutex_);
      finished = std::move(started_.at(run).finished);
    }
    std::thread([&finished, thrown] { finished(thrown); }).join();
  }

 private:
  std::mutex mutex_;
  std::vector<Started> started_;
};

class DispatcherWorkerRunsTest : public SchedulerTest {
 protected:
  ScheduledJob* add_in_worker(const std::string& name = "test.job") {
    auto* job = add("* * * * * *", [](JobContext&) { FAIL() << "run in this process"; }, name);
    job->spec.worker = worker;
    return job;
  }
  std::shared_ptr<FakeWorker> worker = std::make_shared<FakeWorker>();
};

std::chrono::sys_seconds due() { return instant("2026-03-07T12:00:00Z"); }

TEST_F(DispatcherWorkerRunsTest, ARunEndsWhenItsWorkerSaysSoAndNoExecutorThreadWaitsForIt) {
  auto* job = add_in_worker();
  ASSERT_EQ(dispatcher.fire(*job, due()), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return worker->started() == 1; }));
  EXPECT_EQ(worker->job(0), "job");
  EXPECT_EQ(worker->context(0).scheduled_time(), due());
  EXPECT_EQ(worker->context(0).job_name(), "test.job");
  // As many runs in the worker as the executor has threads, none ended: a
  // run in this process still gets a thread.
  for (int i = 1; i < 4; ++i) {
    auto* other = add_in_worker("test.other" + std::to_string(i));
    ASSERT_EQ(dispatcher.fire(*other, due()), Dispatcher::FireOutcome::started);
  }
  ASSERT_TRUE(eventually([&] { return worker->started() == 4; }));
  auto* local = add("* * * * * *", [&](JobContext&) { ++runs; }, "test.local");
  ASSERT_EQ(dispatcher.fire(*local, due()), Dispatcher::FireOutcome::started);
  EXPECT_TRUE(eventually([&] { return runs == 1; }));
  EXPECT_TRUE(job->running());
  EXPECT_EQ(job->stats.runs_ok, 0u);

  worker->end(0);
  EXPECT_FALSE(job->running());
  EXPECT_EQ(job->stats.runs_ok, 1u);
  ASSERT_TRUE(job->stats.last_run);
  EXPECT_EQ(job->stats.last_run->outcome, std::string("ok"));
  for (std::size_t i = 1; i < 4; ++i) worker->end(i);
}

// An instant's fires come to the executor grouped by worker (in their order
// otherwise), each worker's taken by one task, so that they leave in one
// write.
TEST_F(DispatcherWorkerRunsTest, AnInstantsFiresAreHandedOutGroupedByWorker) {
  auto other_worker = std::make_shared<FakeWorker>();
  std::vector<Dispatcher::Fire> fires;
  std::vector<ScheduledJob*> first_worker, second_worker;
  for (int i = 0; i < 6; ++i) {
    auto* job = add_in_worker("test.job" + std::to_string(i));
    if (i % 2 == 1) job->spec.worker = other_worker;
    (i % 2 == 1 ? second_worker : first_worker).push_back(job);
    fires.push_back({job, due()});
  }
  const Dispatcher::PreparedFires prepared = dispatcher.prepare(fires);
  ASSERT_EQ(prepared.jobs.size(), 6u);
  const bool first_worker_first = worker.get() < other_worker.get();
  std::vector<ScheduledJob*> expected = first_worker_first ? first_worker : second_worker;
  const auto& rest = first_worker_first ? second_worker : first_worker;
  expected.insert(expected.end(), rest.begin(), rest.end());
  EXPECT_EQ(prepared.jobs, expected);
  EXPECT_EQ(prepared.tasks.size(), 2u) << "one task for each worker's fires";
  dispatcher.hand_out(prepared);
  EXPECT_TRUE(eventually([&] { return worker->started() == 3 && other_worker->started() == 3; }));
  for (std::size_t run = 0; run < 3; ++run) {
    worker->end(run);
    other_worker->end(run);
  }
}

// A plugin with many jobs still has its fires taken by every executor
// thread: one task takes at most 64.
TEST_F(DispatcherWorkerRunsTest, ATaskTakesAtMost64FiresOfOneWorker) {
  std::vector<Dispatcher::Fire> fires;
  for (int i = 0; i < 130; ++i) fires.push_back({add_in_worker("test.job" + std::to_string(i)), due()});
  EXPECT_EQ(dispatcher.prepare(fires).tasks.size(), 3u);
}

TEST_F(DispatcherWorkerRunsTest, WhatTheWorkerReportsIsCountedAsTheRunsOutcome) {
  auto* job = add_in_worker();
  job->spec.policy.overlap = Overlap::allow;
  job->spec.policy.max_concurrent = 3;
  for (int i = 0; i < 3; ++i) ASSERT_EQ(dispatcher.fire(*job, due() + std::chrono::seconds(i)), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return worker->started() == 3; }));
  worker->end(0, std::make_exception_ptr(std::runtime_error("no node")));
  worker->end(1, std::make_exception_ptr(StoppedError("asked to")));
  worker->end(2, std::make_exception_ptr(RunKilledError("worker of test died: SIGSEGV")));
  EXPECT_EQ(job->stats.runs_failed, 1u);
  EXPECT_EQ(job->stats.runs_stopped, 1u);
  EXPECT_EQ(job->stats.runs_killed, 1u);
  EXPECT_FALSE(job->running());
}

TEST_F(DispatcherWorkerRunsTest, TheFireAQueueKeptWaitingStartsWhenTheWorkersRunEnds) {
  auto* job = add_in_worker();
  job->spec.policy.overlap = Overlap::queue;
  ASSERT_EQ(dispatcher.fire(*job, due()), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return worker->started() == 1; }));
  ASSERT_EQ(dispatcher.fire(*job, due() + 1s), Dispatcher::FireOutcome::waiting);
  worker->end(0);
  ASSERT_TRUE(eventually([&] { return worker->started() == 2; }));
  EXPECT_EQ(worker->context(1).scheduled_time(), due() + 1s);
  worker->end(1);
  EXPECT_EQ(job->stats.runs_ok, 2u);
}

TEST_F(DispatcherWorkerRunsTest, ShutdownAsksTheRunToStopAndAwaitsItsEnd) {
  auto* job = add_in_worker();
  ASSERT_EQ(dispatcher.fire(*job, due()), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return worker->started() == 1; }));
  ScheduledJob* const all[] = {job};
  dispatcher.shut_down(all);
  EXPECT_TRUE(worker->context(0).stop_token().stop_requested());
  EXPECT_TRUE(executor.join_for(5s)) << "no executor thread holds the run";
  EXPECT_EQ(dispatcher.await_runs(all, 50ms), std::vector<ScheduledJob*>{job});
  std::thread ender([&] {
    std::this_thread::sleep_for(20ms);
    worker->end(0, std::make_exception_ptr(StoppedError("stopped")));
  });
  EXPECT_TRUE(dispatcher.await_runs(all, 5s).empty());
  ender.join();
  EXPECT_EQ(job->stats.runs_stopped, 1u);
}

TEST_F(DispatcherWorkerRunsTest, DrainWaitsForTheWorkersRun) {
  auto* job = add_in_worker();
  ASSERT_EQ(dispatcher.fire(*job, due()), Dispatcher::FireOutcome::started);
  ASSERT_TRUE(eventually([&] { return worker->started() == 1; }));
  ScheduledJob* const drained[] = {job};
  EXPECT_EQ(dispatcher.drain(drained, 50ms), std::vector<ScheduledJob*>{job});
  worker->end(0);
  EXPECT_TRUE(dispatcher.drain(drained, 5s).empty());
  EXPECT_EQ(job->stats.runs_ok, 1u);
}

}  // namespace
}  // namespace jobhost::runtime
