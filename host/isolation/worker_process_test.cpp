#include "isolation/worker_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>

#include "support/temp_dir.hpp"

namespace jobhost::isolation {
namespace {

int status_of(pid_t pid) {
  await_exit(pid, std::chrono::seconds(5));
  return collect(pid);
}

TEST(WorkerProcessTest, DescribesHowAProcessEnded) {
  const pid_t segv = ::fork();
  if (segv == 0) {
    ::signal(SIGSEGV, SIG_DFL);  // a sanitizer's handler would exit instead
    ::raise(SIGSEGV);
    ::_exit(0);
  }
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
  ::close(worker.lane);
  ::close(worker.output);
  EXPECT_EQ(describe_exit(status_of(worker.pid)),
            "exited before it started: the worker executable could not be run");
}

// With the shell as the "worker", the copy's path is a script it runs.
TEST(WorkerProcessTest, AWorkerStartsWithOnlyItsSocketsAndPipeIgnoringTerminationRequestsAndWithoutCoreDumps) {
  testing::TempDir dir;
  const auto script = dir / "worker.sh";
  testing::write_file(script,
                      "kill -TERM $$; kill -INT $$; kill -HUP $$\n"  // ignored
                      "[ \"$(ulimit -c)\" = 0 ] || exit 4\n"
                      "[ -e /proc/$$/fd/3 ] || exit 5\n"
                      "[ -e /proc/$$/fd/4 ] || exit 5\n"
                      "[ -e /proc/$$/fd/5 ] && exit 6\n"
                      "[ -e /proc/$$/fd/42 ] && exit 6\n"
                      "read -r _ _ _ _ group _ < /proc/$$/stat; [ \"$group\" = $$ ] || exit 7\n"
                      "grep -q '^NoNewPrivs:[[:space:]]*1' /proc/$$/status || exit 8\n"
                      "case \"$(readlink /proc/$$/fd/1) $(readlink /proc/$$/fd/2)\" in pipe:*' 'pipe:*) ;; *) exit 10;; esac\n"
                      "exit 9\n");
  // A descriptor of the host's that is not close-on-exec stays out all the same.
  const int host_file = ::open(script.c_str(), O_RDONLY);
  ASSERT_EQ(::dup2(host_file, 42), 42);
  const auto worker = spawn_worker("/bin/sh", script, 0);
  ::close(worker.socket);
  ::close(worker.lane);
  ::close(worker.output);
  ::close(42);
  ::close(host_file);
  EXPECT_EQ(describe_exit(status_of(worker.pid)), "exited with status 9");
}

TEST(WorkerProcessTest, AWorkerIsTheOomKillersChoiceBeforeTheDaemon) {
  int own = 0;
  std::ifstream("/proc/self/oom_score_adj") >> own;
  testing::TempDir dir;
  const auto script = dir / "worker.sh";
  testing::write_file(script, "[ \"$(cat /proc/$$/oom_score_adj)\" = " + std::to_string(std::min(own + 500, 1000)) +
                                  " ] || exit 4\nexit 9\n");
  const auto worker = spawn_worker("/bin/sh", script, 0);
  ::close(worker.socket);
  ::close(worker.lane);
  ::close(worker.output);
  EXPECT_EQ(describe_exit(status_of(worker.pid)), "exited with status 9");
}

TEST(WorkerProcessTest, TheWorkerExecutableIsNamedByTheEnvironmentInTests) {
  EXPECT_TRUE(std::filesystem::exists(worker_executable())) << worker_executable();
}

}  // namespace
}  // namespace jobhost::isolation
