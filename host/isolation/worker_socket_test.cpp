#include "isolation/worker_socket.hpp"

#include <gtest/gtest.h>
#include <sys/socket.h>

namespace jobhost::isolation {
namespace {

using protocol::Message;

Settings depth(int depth) { return Settings(std::map<std::string, std::string>{{"depth", std::to_string(depth)}}); }

struct Ends {
  Ends() {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) throw std::runtime_error("socketpair");
    host = std::make_unique<WorkerSocket>(fds[0]);
    worker = std::make_unique<protocol::MessageChannel>(fds[1]);
  }
  // Adds a run of `job` with `settings`, as WorkerConnection does.
  void add(std::uint64_t id, const std::string& job, const Settings& settings) {
    ASSERT_TRUE(host->add_run(id, 0, host->constants_for(job, settings, "/state/" + job, LogLevel::info)));
  }
  // The type of each message the worker receives until a `last` one.
  std::vector<std::string> received_until(const std::string& last) {
    std::vector<std::string> types;
    while (types.empty() || types.back() != last) {
      const auto message = worker->receive();
      if (!message) break;
      types.push_back(protocol::read_string(*message, "t"));
      if (types.back() == "runs") {
        for (const auto& run : protocol::read_runs(*message)) types.back() += " " + std::to_string(run.id);
      }
    }
    return types;
  }
  std::unique_ptr<WorkerSocket> host;
  std::unique_ptr<protocol::MessageChannel> worker;
};

TEST(WorkerSocketTest, AJobsSettingsLeaveOnceAndItsRunsTogether) {
  Ends ends;
  const Settings settings = depth(12);
  ends.add(1, "a", settings);
  ends.add(2, "a", settings);
  ends.host->flush();
  ends.add(3, "a", settings);
  ends.host->flush();
  ASSERT_TRUE(ends.host->send({{"t", "exit"}}));
  EXPECT_EQ(ends.received_until("exit"), (std::vector<std::string>{"job", "runs 1 2", "runs 3", "exit"}));
}

// A run whose job's settings changed gets them before it, and the runs added
// before it keep the ones sent before.
TEST(WorkerSocketTest, ChangedSettingsLeaveBetweenTheRunsThatNeedEach) {
  Ends ends;
  ends.add(1, "a", depth(12));
  ends.add(2, "b", Settings());
  ends.add(3, "a", depth(6));
  ends.add(4, "a", depth(6));
  ends.host->flush();
  ASSERT_TRUE(ends.host->send({{"t", "exit"}}));
  EXPECT_EQ(ends.received_until("exit"),
            (std::vector<std::string>{"job", "runs 1", "job", "runs 2", "job", "runs 3 4", "exit"}));
}

// A stop (or any other message) never overtakes the runs added before it.
TEST(WorkerSocketTest, AMessageSentAfterRunsFollowsThem) {
  Ends ends;
  ends.add(1, "a", Settings());
  ASSERT_TRUE(ends.host->send({{"t", "stop"}, {"run", 1}}));
  EXPECT_EQ(ends.received_until("stop"), (std::vector<std::string>{"job", "runs 1", "stop"}));
}

// Runs name their job by the number its "job" message gave it, which stays
// the job's when its settings change.
TEST(WorkerSocketTest, RunsNameTheirJobByANumberThatStaysTheJobs) {
  Ends ends;
  ends.add(1, "a", depth(12));
  ends.add(2, "b", Settings());
  ends.add(3, "a", depth(6));
  ends.host->flush();
  std::vector<std::string> received;
  for (int i = 0; i < 6; ++i) {
    const auto message = ends.worker->receive();
    ASSERT_TRUE(message);
    if (protocol::read_string(*message, "t") == "job") {
      const auto job = protocol::read_job(*message);
      received.push_back(job.job + "=" + std::to_string(job.number));
    } else {
      for (const auto& run : protocol::read_runs(*message)) {
        received.push_back(std::to_string(run.id) + ":" + std::to_string(run.job));
      }
    }
  }
  EXPECT_EQ(received, (std::vector<std::string>{"a=0", "1:0", "b=1", "2:1", "a=0", "3:0"}));
}

TEST(WorkerSocketTest, TheSettingsAMessageCarriesAreTheRunsOwn) {
  Ends ends;
  ends.add(1, "a", depth(12));
  ends.host->flush();
  const auto job = protocol::read_job(*ends.worker->receive());
  EXPECT_EQ(job.number, 0u);
  EXPECT_EQ(job.job, "a");
  EXPECT_EQ(job.settings.at("depth"), "12");
  EXPECT_EQ(job.state_dir, "/state/a");
  EXPECT_EQ(job.level, LogLevel::info);
}

}  // namespace
}  // namespace jobhost::isolation
