// A daemon killed with SIGKILL and started again: the fires it missed while
// down are caught up exactly once, and no fire runs twice.
#include <gtest/gtest.h>
#include <signal.h>

#include <map>
#include <regex>
#include <thread>

#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

using namespace std::chrono_literals;
using namespace testing;  // the support library: processes, temp dirs, logs

// The scheduled instants hello greeted in this log, in order.
std::vector<std::string> greeted(const std::string& log) {
  std::vector<std::string> instants;
  const std::regex greeting(R"(\[hello\.greet\] Hi \(scheduled for (\S+)\))");
  for (std::sregex_iterator it(log.begin(), log.end(), greeting), end; it != end; ++it) instants.push_back((*it)[1]);
  return instants;
}

// Waits up to 20s for `log` to hold `greetings` greetings.
void wait_for_greetings(const std::filesystem::path& log, std::size_t greetings) {
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (greeted(read_file(log)).size() < greetings && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(50ms);
  }
}

std::vector<std::string> daemon_args(const TempDir& dir, const std::string& log) {
  return {"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir", (dir / "state").string(),
          "--schedule", "hello.greet=*/2 * * * * *", "--set", "hello.greeting=Hi", "--log-file", (dir / log).string()};
}

TEST(Restart, MissedFiresAreCaughtUpExactlyOnceAfterAKill) {
  TempDir dir;
  {
    BackgroundProcess first(JOBHOST_TEST_BINARY, daemon_args(dir, "first.log"), dir / "out1", dir / "err1");
    wait_for_greetings(dir / "first.log", 2);
    first.signal(SIGKILL);
    EXPECT_EQ(first.wait_for_exit(10s), 128 + SIGKILL);
  }
  const auto before = greeted(read_file(dir / "first.log"));
  ASSERT_GE(before.size(), 2u) << read_file(dir / "first.log") << read_file(dir / "err1");

  std::this_thread::sleep_for(5s);  // two or three fires pass while it is down

  {
    BackgroundProcess second(JOBHOST_TEST_BINARY, daemon_args(dir, "second.log"), dir / "out2", dir / "err2");
    wait_for_greetings(dir / "second.log", 3);
    second.signal(SIGTERM);
    EXPECT_EQ(second.wait_for_exit(10s), 0) << read_file(dir / "err2");
  }
  const std::string log = read_file(dir / "second.log");
  const auto after = greeted(log);
  ASSERT_GE(after.size(), 3u) << log;

  // One catch-up line, for the latest missed fire, which is greeted first.
  const std::regex catch_up(R"(hello\.greet: (\d+) fires? \(.*\) passed while the host was down; running the one at (\S+) now)");
  std::smatch match;
  ASSERT_TRUE(std::regex_search(log, match, catch_up)) << log;
  EXPECT_GE(std::stoi(match[1]), 2) << log;
  // (The log line gives the offset, the greeting "Z": compare the wall time.)
  EXPECT_EQ(after.front().substr(0, 19), match[2].str().substr(0, 19)) << log;
  EXPECT_EQ(std::distance(std::sregex_iterator(log.begin(), log.end(), catch_up), std::sregex_iterator()), 1) << log;

  // No instant was greeted twice, across both lives of the daemon.
  std::map<std::string, int> times;
  for (const auto& instant : before) ++times[instant];
  for (const auto& instant : after) ++times[instant];
  for (const auto& [instant, count] : times) EXPECT_EQ(count, 1) << instant << " ran " << count << " times\n" << log;
  EXPECT_GT(after.front(), before.back()) << "the catch-up is newer than anything run before";
}

}  // namespace
}  // namespace jobhost
