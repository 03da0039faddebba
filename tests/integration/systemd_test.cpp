// `jobhost run` under systemd, without systemd: the test plays the service
// manager's part, listening on the notify socket (NOTIFY_SOCKET) and posing
// as the journal (JOURNAL_STREAM naming the daemon's standard error).
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <optional>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/notify_socket.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

using namespace std::chrono_literals;
using namespace testing;  // the support library: processes, temp dirs, logs

std::vector<std::string> daemon_args(const TempDir& dir) {
  return {"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir", (dir / "state").string(),
          "--disable", "hello.greet", "--disable", "tx_watch.confirm", "--disable", "chain_height.watch"};
}

TEST(Systemd, ReadyOnceStartedAndStoppingOnSigterm) {
  TempDir dir;
  NotifySocket socket(dir / "notify");
  const auto log = dir / "jobhost.log";
  auto args = daemon_args(dir);
  args.insert(args.end(), {"--log-file", log.string()});
  BackgroundProcess daemon(JOBHOST_TEST_BINARY, args, dir / "out", dir / "err",
                           {socket.environment(), "WATCHDOG_USEC", "WATCHDOG_PID"});

  const auto ready = socket.receive(20s);
  ASSERT_TRUE(ready) << "no READY=1\n" << read_file(dir / "err") << read_file(log);
  EXPECT_TRUE(std::regex_match(*ready, std::regex(R"(READY=1\nSTATUS=\d+ jobs \(0 enabled\))"))) << *ready;
  // READY=1 only once the daemon is up.
  EXPECT_NE(read_file(log).find("[jobhost] jobhost 0.1.0 started"), std::string::npos) << read_file(log);
  EXPECT_EQ(socket.receive(300ms), std::nullopt) << "nothing more (no watchdog asked for) until stopped";

  daemon.signal(SIGTERM);
  EXPECT_EQ(socket.receive(10s), "STOPPING=1\nSTATUS=stopping on SIGTERM");
  EXPECT_EQ(daemon.wait_for_exit(10s), 0) << read_file(log);
  EXPECT_NE(read_file(log).find("[jobhost] stopped"), std::string::npos) << read_file(log);
}

TEST(Systemd, WatchdogPingsWhenWatchdogSecIsSet) {
  TempDir dir;
  NotifySocket socket(dir / "notify");
  const auto log = dir / "jobhost.log";
  auto args = daemon_args(dir);
  args.insert(args.end(), {"--log-file", log.string()});
  // systemd also sets WATCHDOG_PID to the main process; unset, any process
  // may ping, as sd_watchdog_enabled(3) says.
  BackgroundProcess daemon(JOBHOST_TEST_BINARY, args, dir / "out", dir / "err",
                           {socket.environment(), "WATCHDOG_USEC=400000", "WATCHDOG_PID"});
  const auto ready = socket.receive(20s);
  ASSERT_TRUE(ready) << read_file(dir / "err") << read_file(log);
  EXPECT_EQ(ready->rfind("READY=1\n", 0), 0u) << *ready;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(socket.receive(5s), "WATCHDOG=1") << "ping " << i;
  daemon.signal(SIGTERM);
  // Pings may still come until the daemon has read the signal.
  std::optional<std::string> message;
  do {
    message = socket.receive(10s);
  } while (message == "WATCHDOG=1");
  EXPECT_EQ(message, "STOPPING=1\nSTATUS=stopping on SIGTERM");
  EXPECT_EQ(daemon.wait_for_exit(10s), 0) << read_file(log);
}

TEST(Systemd, LinesToTheJournalCarryPrioritiesAndNoTime) {
  TempDir dir;
  // BackgroundProcess truncates the file rather than replacing it: the inode
  // known now is the one of the daemon's standard error.
  const auto err = dir / "err";
  testing::write_file(err, "");
  struct stat st {};
  ASSERT_EQ(::stat(err.c_str(), &st), 0);
  const std::string stream = std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino);
  BackgroundProcess daemon(JOBHOST_TEST_BINARY, daemon_args(dir), dir / "out", err,
                           {"JOURNAL_STREAM=" + stream, "NOTIFY_SOCKET"});
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (read_file(err).find("started") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(10s), 0) << read_file(err);

  const std::string text = read_file(err);
  EXPECT_NE(text.find("<6>[info] [jobhost] jobhost 0.1.0 started: "), std::string::npos) << text;
  EXPECT_NE(text.find("<4>[warning] [jobhost] no enabled jobs: nothing will run\n"), std::string::npos) << text;
  EXPECT_NE(text.find("<6>[info] [jobhost] stopped\n"), std::string::npos) << text;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(std::regex_search(line, std::regex(R"(^<[2-7]>\[[a-z]+\] \[[\w.]+\] )"))) << line;
    EXPECT_FALSE(std::regex_search(line, std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d)"))) << line;
  }
}

}  // namespace
}  // namespace jobhost
