#include "daemon/systemd_notifier.hpp"

#include <gtest/gtest.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

#include <spdlog/sinks/ostream_sink.h>

#include "support/notify_socket.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::daemon {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Sets environment variables for the length of a test, and puts back what was
// there before.
class ScopedEnv {
 public:
  ~ScopedEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second) {
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      } else {
        ::unsetenv(it->first.c_str());
      }
    }
  }
  void set(const std::string& name, const std::string& value) {
    save(name);
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  void unset(const std::string& name) {
    save(name);
    ::unsetenv(name.c_str());
  }

 private:
  void save(const std::string& name) {
    const char* value = std::getenv(name.c_str());
    saved_.emplace_back(name, value ? std::optional<std::string>(value) : std::nullopt);
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

// What systemd would listen on, named by NOTIFY_SOCKET while it exists.
class ListeningManager {
 public:
  explicit ListeningManager(ScopedEnv& env) : socket_(dir_ / "notify") { env.set("NOTIFY_SOCKET", socket_.path()); }
  std::optional<std::string> receive(std::chrono::milliseconds timeout = 5s) const { return socket_.receive(timeout); }

 private:
  testing::TempDir dir_;
  testing::NotifySocket socket_;
};

std::uint64_t monotonic_usec() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000u + static_cast<std::uint64_t>(now.tv_nsec) / 1'000u;
}

class SystemdNotifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env.unset("NOTIFY_SOCKET");
    env.unset("WATCHDOG_USEC");
    env.unset("WATCHDOG_PID");
  }
  ScopedEnv env;
};

TEST_F(SystemdNotifierTest, WithoutNotifySocketEverythingIsANoOp) {
  env.set("WATCHDOG_USEC", "200000");
  env.set("WATCHDOG_PID", std::to_string(::getpid()));
  SystemdNotifier notifier;
  EXPECT_FALSE(notifier.enabled());
  EXPECT_FALSE(notifier.watchdog_timeout());
  EXPECT_FALSE(notifier.ready("running"));
  EXPECT_FALSE(notifier.reloading());
  EXPECT_FALSE(notifier.stopping());
  EXPECT_FALSE(notifier.status("idle"));
  EXPECT_FALSE(notifier.ping());
}

TEST_F(SystemdNotifierTest, ReadyStoppingAndStatusAreExactDatagrams) {
  ListeningManager socket(env);
  SystemdNotifier notifier;
  ASSERT_TRUE(notifier.enabled());
  EXPECT_FALSE(notifier.watchdog_timeout()) << "no WATCHDOG_USEC: no pings";

  EXPECT_TRUE(notifier.ready());
  EXPECT_EQ(socket.receive(), "READY=1");
  EXPECT_TRUE(notifier.ready("3 jobs (2 enabled)"));
  EXPECT_EQ(socket.receive(), "READY=1\nSTATUS=3 jobs (2 enabled)");
  EXPECT_TRUE(notifier.status("two\nlines"));
  EXPECT_EQ(socket.receive(), "STATUS=two lines");
  EXPECT_TRUE(notifier.stopping());
  EXPECT_EQ(socket.receive(), "STOPPING=1");
  EXPECT_TRUE(notifier.stopping("stopping"));
  EXPECT_EQ(socket.receive(), "STOPPING=1\nSTATUS=stopping");
  EXPECT_TRUE(notifier.ping());
  EXPECT_EQ(socket.receive(), "WATCHDOG=1");
  EXPECT_EQ(socket.receive(200ms), std::nullopt) << "nothing else, and no pings";
}

TEST_F(SystemdNotifierTest, ReloadingCarriesTheMonotonicClockThenReadyEndsIt) {
  ListeningManager socket(env);
  SystemdNotifier notifier;
  const std::uint64_t before = monotonic_usec();
  EXPECT_TRUE(notifier.reloading("reloading the configuration"));
  const std::uint64_t after = monotonic_usec();
  const auto message = socket.receive();
  ASSERT_TRUE(message);
  std::smatch match;
  ASSERT_TRUE(std::regex_match(*message, match,
                               std::regex("RELOADING=1\nMONOTONIC_USEC=([0-9]+)\nSTATUS=reloading the configuration")))
      << *message;
  const std::uint64_t stamp = std::stoull(match[1].str());
  EXPECT_GE(stamp, before);
  EXPECT_LE(stamp, after);

  EXPECT_TRUE(notifier.reloading());
  const auto bare = socket.receive();
  ASSERT_TRUE(bare);
  EXPECT_TRUE(std::regex_match(*bare, std::regex("RELOADING=1\nMONOTONIC_USEC=[0-9]+"))) << *bare;
  EXPECT_TRUE(notifier.ready());
  EXPECT_EQ(socket.receive(), "READY=1");
}

TEST_F(SystemdNotifierTest, WatchdogPingsComeRepeatedlyAtHalfTheInterval) {
  ListeningManager socket(env);
  env.set("WATCHDOG_USEC", "200000");
  env.set("WATCHDOG_PID", std::to_string(::getpid()));
  std::vector<Clock::time_point> arrivals;
  const auto start = Clock::now();
  {
    SystemdNotifier notifier;
    ASSERT_EQ(notifier.watchdog_timeout(), std::chrono::microseconds(200000));
    while (arrivals.size() < 8) {
      const auto message = socket.receive(2s);
      ASSERT_EQ(message, "WATCHDOG=1");
      arrivals.push_back(Clock::now());
    }
  }
  std::vector<Clock::duration> gaps{arrivals.front() - start};  // the first ping waits too
  for (std::size_t i = 1; i < arrivals.size(); ++i) gaps.push_back(arrivals[i] - arrivals[i - 1]);
  std::sort(gaps.begin(), gaps.end());
  const auto ms = [](Clock::duration d) { return std::chrono::duration_cast<std::chrono::milliseconds>(d).count(); };
  // Every 100 ms: never sooner on the whole (one late reception makes the
  // next gap look short, so the eight together are checked); well within the
  // 200 ms timeout on a machine not overloaded (the median, so that one slow
  // wake-up does not fail the test).
  EXPECT_GE(arrivals.back() - start, 750ms) << "8 pings in " << ms(arrivals.back() - start) << " ms";
  EXPECT_LE(gaps[gaps.size() / 2], 170ms) << "median gap " << ms(gaps[gaps.size() / 2]) << " ms";

  // Gone with the notifier: no ping after it.
  while (socket.receive(0ms)) {
  }
  EXPECT_EQ(socket.receive(300ms), std::nullopt);
}

TEST_F(SystemdNotifierTest, NoPingsWhenTheWatchdogIsForAnotherProcess) {
  ListeningManager socket(env);
  env.set("WATCHDOG_USEC", "200000");
  env.set("WATCHDOG_PID", std::to_string(::getpid() + 1));
  SystemdNotifier notifier;
  EXPECT_TRUE(notifier.enabled());
  EXPECT_FALSE(notifier.watchdog_timeout());
  EXPECT_EQ(socket.receive(300ms), std::nullopt);
}

TEST_F(SystemdNotifierTest, DestructionDoesNotWaitOutTheInterval) {
  ListeningManager socket(env);
  env.set("WATCHDOG_USEC", "60000000");  // a ping every 30 s
  env.set("WATCHDOG_PID", std::to_string(::getpid()));
  auto notifier = std::make_unique<SystemdNotifier>();
  ASSERT_EQ(notifier->watchdog_timeout(), std::chrono::seconds(60));
  std::this_thread::sleep_for(100ms);  // the ping thread is waiting by now
  const auto start = Clock::now();
  notifier.reset();
  EXPECT_LT(Clock::now() - start, 5s);
  EXPECT_EQ(socket.receive(0ms), std::nullopt) << "the first ping comes half an interval after start";
}

TEST_F(SystemdNotifierTest, AMessageThatCannotBeSentIsLoggedNotThrown) {
  testing::TempDir dir;
  env.set("NOTIFY_SOCKET", (dir / "nobody-listens").string());
  std::ostringstream out;
  auto log = std::make_shared<spdlog::logger>("systemd", std::make_shared<spdlog::sinks::ostream_sink_mt>(out));
  SystemdNotifier notifier(log);
  EXPECT_TRUE(notifier.enabled());
  EXPECT_FALSE(notifier.ready("running"));
  EXPECT_NE(out.str().find("systemd notification READY=1 not sent"), std::string::npos) << out.str();
}

}  // namespace
}  // namespace jobhost::daemon
