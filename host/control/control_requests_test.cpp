#include "control/control_requests.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "runtime/scheduler_fixture.hpp"

namespace jobhost::control {
namespace {

using namespace std::chrono_literals;

class ControlRequestsTest : public runtime::SchedulerTest {
 protected:
  ControlTarget target{[this] { return observe::HostSnapshot{jobs, "0.1.0", 1, 0, {}, {}, {}}; }, dispatcher,
                       [this] { return clock.now(); }};

  Reply ask(const std::string& request) { return answer_request(request, target); }
};

TEST_F(ControlRequestsTest, StatusIsTheJobsAsJson) {
  add("@hourly", [](JobContext&) {}, "hello.greet");
  const Reply reply = ask("status");
  ASSERT_TRUE(reply.ok);
  const auto jobs = nlohmann::json::parse(reply.body);
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0]["name"], "hello.greet");
  EXPECT_EQ(jobs[0]["paused"], false);
}

TEST_F(ControlRequestsTest, TriggerRunsTheJobNowThroughItsOverlapPolicy) {
  auto* job = add_recording("@yearly", [&](JobContext&) {
    while (!release) std::this_thread::sleep_for(1ms);
  }, "hello.greet");
  const Reply first = ask("trigger hello.greet");
  EXPECT_TRUE(first.ok);
  EXPECT_EQ(first.body, "hello.greet: fire at 2026-03-07T12:00:00+00:00 started\n");
  ASSERT_TRUE(runtime::eventually([&] { return fired_so_far().size() == 1; }));
  const Reply second = ask("trigger hello.greet");
  EXPECT_EQ(second.body,
            "hello.greet: fire at 2026-03-07T12:00:00+00:00 skipped: a run is still running (overlap policy: skip)\n");
  EXPECT_EQ(job->stats.fires_skipped, 1u);
}

TEST_F(ControlRequestsTest, PausedJobsDoNotFireUntilResumed) {
  add_recording("* * * * * *", {}, "hello.greet");
  start();
  EXPECT_EQ(ask("pause hello.greet").body, "hello.greet: paused\n");
  tick(3);
  EXPECT_TRUE(fired_so_far().empty());
  EXPECT_TRUE(nlohmann::json::parse(ask("status").body)[0]["paused"]);
  EXPECT_EQ(ask("resume hello.greet").body, "hello.greet: resumed\n");
  tick();
  EXPECT_TRUE(runtime::eventually([&] { return fired_so_far().size() == 1; }));
  EXPECT_TRUE(shut_down());
  EXPECT_EQ(fired_so_far(), std::vector{runtime::instant("2026-03-07T12:00:04Z")}) << "no catch-up of the pause";
}

TEST_F(ControlRequestsTest, UnknownRequestsAndJobsAreNamed) {
  add("@hourly", [](JobContext&) {}, "hello.greet");
  EXPECT_EQ(ask("dance").body, "unknown request \"dance\" (expected status, trigger JOB, pause JOB or resume JOB)");
  EXPECT_FALSE(ask("dance").ok);
  EXPECT_EQ(ask("pause hello.wave").body, "no job \"hello.wave\" (jobs: hello.greet)");
  EXPECT_FALSE(ask("trigger").ok);
}

}  // namespace
}  // namespace jobhost::control
