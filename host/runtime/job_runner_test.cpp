#include "runtime/job_runner.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "clients/chain_client_provider.hpp"
#include "jobhost/error.hpp"
#include "runtime/test_job.hpp"

namespace jobhost::runtime {
namespace {

class JobRunnerTest : public ::testing::Test {
 protected:
  logging::LogHub logs{logging::LogOptions{}};
  clients::ChainClientProvider clients{{}, {}, logs.make("clients")};
  std::stop_source stop;
  const std::chrono::system_clock::time_point scheduled = std::chrono::sys_days{std::chrono::year{2026} / 3 / 9};

  RunResult run_now(ScheduledJob& job) {
    return run_once(job, clients, stop, scheduled, std::chrono::steady_clock::now());
  }
  RunOutcome run(ScheduledJob& job) { return run_now(job).outcome; }
};

TEST_F(JobRunnerTest, GivesTheJobItsContext) {
  std::string seen_name;
  std::chrono::system_clock::time_point seen_time;
  bool stop_seen = true;
  auto job = make_test_job(logs, "@hourly", [&](JobContext& context) {
    seen_name = context.job_name();
    seen_time = context.scheduled_time();
    stop_seen = context.stop_token().stop_requested();
    EXPECT_EQ(context.settings().get_or("colour", ""), "blue");
    EXPECT_EQ(context.log().name(), "test.job");
  });
  job->spec.settings = Settings(std::map<std::string, std::string>{{"colour", "blue"}});
  EXPECT_EQ(run(*job), RunOutcome::ok);
  EXPECT_EQ(seen_name, "test.job");
  EXPECT_EQ(seen_time, scheduled);
  EXPECT_FALSE(stop_seen);
}

TEST_F(JobRunnerTest, ContainsEveryKindOfException) {
  auto standard = make_test_job(logs, "@hourly", [](JobContext&) { throw std::runtime_error("boom"); });
  auto odd = make_test_job(logs, "@hourly", [](JobContext&) { throw 7; });
  auto client = make_test_job(logs, "@hourly", [](JobContext& context) { context.clients().chain("main"); });
  EXPECT_EQ(run(*standard), RunOutcome::failed);
  EXPECT_EQ(run(*odd), RunOutcome::failed);
  EXPECT_EQ(run(*client), RunOutcome::failed);
}

TEST_F(JobRunnerTest, MeasuresHowLongTheRunTook) {
  auto job = make_test_job(logs, "@hourly", [](JobContext&) { std::this_thread::sleep_for(std::chrono::milliseconds(20)); });
  const RunResult result = run_now(*job);
  EXPECT_EQ(result.outcome, RunOutcome::ok);
  EXPECT_GE(result.duration, std::chrono::milliseconds(20));
}

TEST_F(JobRunnerTest, AStoppedErrorCountsAsStopped) {
  auto job = make_test_job(logs, "@hourly", [](JobContext&) { throw StoppedError("asked to stop"); });
  EXPECT_EQ(run(*job), RunOutcome::stopped);
}

}  // namespace
}  // namespace jobhost::runtime
