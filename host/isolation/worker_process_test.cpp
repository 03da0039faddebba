#include "isolation/worker_process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace jobhost::isolation {
namespace {

int status_of(pid_t pid) {
  await_exit(pid, std::chrono::seconds(5));
  return collect(pid);
}

TEST(WorkerProcessTest, DescribesHowAProcessEnded) {
  const pid_t segv = ::fork();
  if (segv == 0) ::raise(SIGSEGV), ::_exit(0);
  EXPECT_EQ(describe_exit(status_of(segv)), "died: SIGSEGV");
  const pid_t three = ::fork();
  if (three == 0) ::_exit(3);
  EXPECT_EQ(describe_exit(status_of(three)), "exited with status 3");
}

TEST(WorkerProcessTest, AwaitExitKillsAProcessThatOutstaysItsWelcome) {
  const pid_t sleeper = ::fork();
  if (sleeper == 0) {
    ::pause();
    ::_exit(0);
  }
  const auto start = std::chrono::steady_clock::now();
  await_exit(sleeper, std::chrono::milliseconds(50));
  EXPECT_EQ(describe_exit(collect(sleeper)), "died: SIGKILL");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
}

TEST(WorkerProcessTest, AMissingExecutableEndsWithItsOwnStatus) {
  const auto worker = spawn_worker("/nonexistent/jobhost-worker", "/nonexistent/copy.so", 0);
  ::close(worker.socket);
  EXPECT_EQ(describe_exit(status_of(worker.pid)),
            "exited before it started: the worker executable could not be run");
}

TEST(WorkerProcessTest, TheWorkerExecutableIsNamedByTheEnvironmentInTests) {
  EXPECT_TRUE(std::filesystem::exists(worker_executable())) << worker_executable();
}

}  // namespace
}  // namespace jobhost::isolation
