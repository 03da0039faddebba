// `jobhost status|trigger|pause|resume` against a running daemon, through its
// control socket.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <thread>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

using namespace std::chrono_literals;
using namespace testing;  // the support library: processes, temp dirs, logs

class ControlTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::string state = (dir / "state").string();

  std::unique_ptr<BackgroundProcess> start_daemon(const std::string& log = "jobhost.log") {
    auto daemon = std::make_unique<BackgroundProcess>(
        JOBHOST_TEST_BINARY,
        std::vector<std::string>{"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir", state, "--schedule",
                                 "hello.greet=@hourly", "--log-file", (dir / log).string()},
        dir / "out", dir / "err");
    // Until its socket answers.
    for (int i = 0; i < 100 && run_jobhost({"status", "--state-dir", state}).exit_status != 0; ++i) {
      std::this_thread::sleep_for(100ms);
    }
    return daemon;
  }
};

TEST_F(ControlTest, StatusTriggerPauseAndResume) {
  auto daemon = start_daemon();
  const auto status = run_jobhost({"status", "--state-dir", state});
  EXPECT_EQ(status.exit_status, 0) << status.err;
  EXPECT_EQ(status.out.find("JOB "), 0u) << status.out;
  const auto hello = status.out.find("\nhello.greet ");
  ASSERT_NE(hello, std::string::npos) << status.out;
  const std::string line = status.out.substr(hello + 1, status.out.find('\n', hello + 1) - hello - 1);
  const std::string isolation = testing::isolation_under_test() == "process" ? "process: running (pid " : "none ";
  EXPECT_NE(line.find(" enabled  " + isolation), std::string::npos) << line;
  EXPECT_TRUE(line.ends_with(" Logs the greeting with the scheduled time")) << line;
  // A config file being edited, with a bad value of a key status does not
  // need, keeps no one from looking at the running daemon.
  write_file(dir / "edited.conf", "state-dir = " + state + "\nworkers = 0\n");
  const auto edited = run_jobhost({"status", "--config", (dir / "edited.conf").string()});
  EXPECT_EQ(edited.exit_status, 0) << edited.err;
  EXPECT_NE(edited.out.find("\nhello.greet "), std::string::npos) << edited.out;
  const auto check = run_jobhost({"check", "--config", (dir / "edited.conf").string()});
  EXPECT_EQ(check.exit_status, 2);
  EXPECT_NE(check.err.find("workers: \"0\" is not a whole number from 1 to 1024"), std::string::npos) << check.err;

  const auto trigger = run_jobhost({"trigger", "hello.greet", "--state-dir", state});
  EXPECT_EQ(trigger.exit_status, 0) << trigger.err;
  EXPECT_NE(trigger.out.find("hello.greet: fire at "), std::string::npos) << trigger.out;
  for (int i = 0; i < 50 && read_file(dir / "jobhost.log").find("[hello.greet] Hello") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(read_file(dir / "jobhost.log").find("[hello.greet] Hello"), std::string::npos) << read_file(dir / "jobhost.log");

  EXPECT_EQ(run_jobhost({"pause", "hello.greet", "--state-dir", state}).out, "hello.greet: paused\n");
  EXPECT_NE(run_jobhost({"status", "--state-dir", state}).out.find("hello.greet         paused"), std::string::npos);
  EXPECT_EQ(run_jobhost({"resume", "hello.greet", "--state-dir", state}).out, "hello.greet: resumed\n");

  const auto unknown = run_jobhost({"pause", "hello.nope", "--state-dir", state});
  EXPECT_EQ(unknown.exit_status, 1);
  EXPECT_NE(unknown.err.find("jobhost: no job \"hello.nope\" (jobs: "), std::string::npos) << unknown.err;

  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait_for_exit(10s), 0) << read_file(dir / "jobhost.log");
}

TEST_F(ControlTest, NoDaemonIsOneLineAndStatusOne) {
  const auto status = run_jobhost({"status", "--state-dir", state});
  EXPECT_EQ(status.exit_status, 1);
  EXPECT_EQ(status.err, "jobhost: no jobhost daemon is running with this state directory (nothing listens at " + state +
                            "/jobhost.sock)\n");
}

TEST_F(ControlTest, ASecondDaemonOnTheSameStateDirectoryRefusesToStart) {
  auto first = start_daemon();
  const auto second = run_jobhost({"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir", state}, 20s);
  EXPECT_EQ(second.exit_status, 1);
  EXPECT_NE(second.err.find("another jobhost daemon is running with this state directory"), std::string::npos)
      << second.err;
  EXPECT_EQ(run_jobhost({"status", "--state-dir", state}).exit_status, 0) << "the first one still answers";

  // Without the socket file, the lock on the directory still stops it.
  std::filesystem::remove(std::filesystem::path(state) / "jobhost.sock");
  const auto third = run_jobhost({"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir", state}, 20s);
  EXPECT_EQ(third.exit_status, 1);
  EXPECT_NE(third.err.find("another jobhost daemon is running with this state directory (" + state + " is locked)"),
            std::string::npos)
      << third.err;
}

TEST_F(ControlTest, AUserOtherThanTheDaemonsMayNotUseIt) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to act as another user";
  auto daemon = start_daemon();
  // A copy of the binary that `nobody` can reach (the build tree may not be).
  std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                               std::filesystem::perms::group_exec | std::filesystem::perms::others_read |
                                               std::filesystem::perms::others_exec);
  std::filesystem::copy_file(JOBHOST_TEST_BINARY, dir / "jobhost");
  const auto as_nobody =
      testing::run_process("/usr/bin/setpriv", {"--reuid=nobody", "--regid=nogroup", "--clear-groups",
                                                (dir / "jobhost").string(), "status", "--state-dir", state});
  EXPECT_EQ(as_nobody.exit_status, 1) << as_nobody.out;
  EXPECT_EQ(as_nobody.err, "jobhost: may not use " + state +
                               "/jobhost.sock (Permission denied): run as the daemon's user or root\n");
}

}  // namespace
}  // namespace jobhost
