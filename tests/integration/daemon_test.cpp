// `jobhost run` as a daemon: it fires jobs, and stops cleanly on SIGTERM.
#include <gtest/gtest.h>
#include <signal.h>

#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "support/fake_node.hpp"
#include "support/ganache.hpp"
#include "support/count.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

using namespace std::chrono_literals;
using namespace testing;  // the support library: processes, temp dirs, logs

TEST(Daemon, RunsHelloEverySecondAndStopsOnSigterm) {
  TempDir dir;
  const auto log = dir / "jobhost.log";
  BackgroundProcess daemon(JOBHOST_TEST_BINARY,
                           {"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir", (dir / "state").string(),
                            "--schedule", "hello.greet=* * * * * *", "--set", "hello.greeting=Howdy", "--log-file",
                            log.string()},
                           dir / "out", dir / "err");
  // Waited for, not timed: a sanitizer build on a busy machine may take a
  // while to start; the greetings' times then show that none was missed or
  // doubled.
  ASSERT_TRUE(log_holds(log, "[hello.greet] Howdy (scheduled for ", 3, 15s)) << read_file(dir / "err") << read_file(log);
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(10s), 0) << read_file(dir / "err") << read_file(log);

  const std::string text = read_file(log);
  std::vector<std::string> scheduled;
  const std::regex greeting(R"(Howdy \(scheduled for (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\))");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), greeting); it != std::sregex_iterator(); ++it) {
    scheduled.push_back((*it)[1]);
  }
  ASSERT_GE(scheduled.size(), 3u) << text;
  // "2026-01-02T03:04:05Z": the second of the day.
  const auto second_of_day = [](const std::string& stamp) {
    return std::stoi(stamp.substr(11, 2)) * 3600 + std::stoi(stamp.substr(14, 2)) * 60 + std::stoi(stamp.substr(17, 2));
  };
  for (std::size_t i = 1; i < scheduled.size(); ++i) {
    const int apart = (second_of_day(scheduled[i]) - second_of_day(scheduled[i - 1]) + 86400) % 86400;
    EXPECT_EQ(apart, 1) << "greetings one second apart, none missed or doubled\n" << text;
  }
  EXPECT_NE(text.find("[jobhost] jobhost"), std::string::npos) << text;
  EXPECT_NE(text.find("received SIGTERM"), std::string::npos) << text;
  EXPECT_NE(text.find("[jobhost] stopped"), std::string::npos) << text;
  // Every greeting names a whole second: the scheduled time, not the start.
  EXPECT_TRUE(std::regex_search(text, std::regex(R"(Howdy \(scheduled for \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\))")))
      << text;
  EXPECT_TRUE(read_file(dir / "err").empty()) << "logs go to the file only";
}

TEST(Daemon, SigtermWhilePluginsLoadLoadsNoMoreAndSchedulesNothing) {
  TempDir dir;
  const auto plugins = dir / "plugins";
  std::filesystem::create_directory(plugins);
  copy_fixture("slow", plugins, "a_slow.so");  // loaded first: the files go in name order
  copy_fixture("good", plugins, "b_good.so");
  const auto log = dir / "jobhost.log";
  BackgroundProcess daemon(JOBHOST_TEST_BINARY,
                           {"run", "--plugin-dir", plugins.string(), "--state-dir", (dir / "state").string(),
                            "--set", "slow.configure-delay=2s", "--log-file", log.string()},
                           dir / "out", dir / "err");
  ASSERT_TRUE(log_holds(log, "[slow] configuring slowly")) << read_file(log) << read_file(dir / "err");
  const auto asked = std::chrono::steady_clock::now();
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(15s), 0) << read_file(log);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 5s) << "it waited for more than the plugin being configured";
  const std::string text = read_file(log);
  EXPECT_NE(text.find("asked to stop while starting: no job is scheduled"), std::string::npos) << text;
  EXPECT_EQ(text.find("configured with word"), std::string::npos) << "b_good.so was loaded after SIGTERM\n" << text;
  EXPECT_EQ(text.find("[slow.wait]"), std::string::npos) << "a job ran after SIGTERM\n" << text;
  EXPECT_EQ(text.find("[slow.fail]"), std::string::npos) << "a job ran after SIGTERM\n" << text;
}

// In a worker, a configure() that would take long is not waited for: the
// worker is killed, and the daemon exits at once.
TEST(Daemon, SigtermWhileAWorkerConfiguresItsPluginKillsTheWorker) {
  TempDir dir;
  const auto plugins = dir / "plugins";
  std::filesystem::create_directory(plugins);
  copy_fixture("slow", plugins);
  const auto log = dir / "jobhost.log";
  BackgroundProcess daemon(JOBHOST_TEST_BINARY,
                           {"run", "--plugin-dir", plugins.string(), "--state-dir", (dir / "state").string(),
                            "--set", "slow.configure-delay=30s", "--log-file", log.string()},
                           dir / "out", dir / "err");
  ASSERT_TRUE(log_holds(log, "[slow] configuring slowly")) << read_file(log) << read_file(dir / "err");
  const auto asked = std::chrono::steady_clock::now();
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(15s), 0) << read_file(log);
  EXPECT_LT(std::chrono::steady_clock::now() - asked, 3s) << "it waited for configure()";
  const std::string text = read_file(log);
  EXPECT_NE(text.find("slow.so: the worker was killed: the daemon is stopping during configure() and jobs()"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("asked to stop while starting: no job is scheduled"), std::string::npos) << text;
}

TEST(Daemon, SigintStopsALongJobThroughItsStopToken) {
  TempDir dir;
  copy_fixture("slow", dir.path());
  const auto log = dir / "jobhost.log";
  BackgroundProcess daemon(JOBHOST_TEST_BINARY,
                           {"run", "--plugin-dir", dir.path().string(), "--state-dir", (dir / "state").string(),
                            "--disable", "slow.fail", "--log-file", log.string()},
                           dir / "out", dir / "err");
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (read_file(log).find("waiting for stop") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  // A fire finds the run still going.
  ASSERT_TRUE(log_holds(log, "skipped: the previous run is still running")) << read_file(log);
  daemon.signal(SIGINT);
  EXPECT_EQ(daemon.wait_for_exit(10s), 0) << read_file(log);
  const std::string text = read_file(log);
  EXPECT_NE(text.find("[slow.wait] stop honoured"), std::string::npos) << text;
  EXPECT_NE(text.find("received SIGINT"), std::string::npos) << text;
  EXPECT_GE(count(text, "skipped: the previous run is still running"), 1u) << text;
}

TEST(Daemon, ABrokenPluginDoesNotStopTheOthers) {
  TempDir dir;
  copy_fixture("good", dir.path());
  copy_fixture("unresolved_symbol", dir.path());
  testing::write_file(dir / "junk.so", "junk");
  const auto log = dir / "jobhost.log";
  BackgroundProcess daemon(JOBHOST_TEST_BINARY,
                           {"run", "--plugin-dir", dir.path().string(), "--state-dir", (dir / "state").string(),
                            "--log-file", log.string()},
                           dir / "out", dir / "err");
  const auto ticks = dir / "state" / "plugins" / "good" / "ticks";
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (read_file(ticks).size() < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(10s), 0);
  const std::string text = read_file(log);
  EXPECT_GE(read_file(ticks).size(), 2u) << text;
  EXPECT_NE(text.find("unresolved_symbol.so: unresolved symbol jobhost_sdk_global_init"), std::string::npos) << text;
  EXPECT_NE(text.find("junk.so: not an ELF file"), std::string::npos) << text;
}

TEST(Daemon, ClientsEagerCreatesEveryClientAtStartUp) {
  TempDir dir;
  testing::fake::FakeNode node;
  node.set_handler(testing::fake::rpc([](const nlohmann::json& call) { return testing::fake::result(call, "0x1"); }));
  const auto log = dir / "jobhost.log";
  BackgroundProcess daemon(JOBHOST_TEST_BINARY,
                           {"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir", (dir / "state").string(),
                            "--disable", "hello.greet", "--disable", "tx_watch.confirm", "--disable",
                            "chain_height.watch", "--clients-eager", "--chain", "main=" + node.url(), "--chain",
                            "down=http://127.0.0.1:" + std::to_string(testing::free_port()), "--log-file",
                            log.string()},
                           dir / "out", dir / "err");
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (read_file(log).find("jobhost 0.1.0 started") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(10s), 0);
  const std::string text = read_file(log);
  EXPECT_NE(text.find("chain \"main\": client created"), std::string::npos) << text;
  EXPECT_NE(text.find("chain \"down\": client could not be created (attempt 1)"), std::string::npos) << text;
  EXPECT_EQ(node.request_count(), 1u) << "no job ran, yet the client exists";
}

TEST(Daemon, SighupDoesNotStopIt) {
  TempDir dir;
  const auto log = dir / "jobhost.log";
  BackgroundProcess daemon(JOBHOST_TEST_BINARY,
                           {"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir", (dir / "state").string(),
                            "--log-file", log.string()},
                           dir / "out", dir / "err");
  const auto deadline = std::chrono::steady_clock::now() + 10s;
  while (read_file(log).find("started:") == std::string::npos && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
  daemon.signal(SIGHUP);
  EXPECT_EQ(daemon.wait_for_exit(500ms), -1) << "still running after SIGHUP\n" << read_file(log);
  EXPECT_TRUE(log_holds(log, "received SIGHUP: reading the configuration again")) << read_file(log);
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(10s), 0) << read_file(log);
}

}  // namespace
}  // namespace jobhost
