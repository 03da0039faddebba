// The incident, as a regression test: 200 jobs fire in the same second on the
// host's first start, each asking for chain clients for the first time.
// Exactly one client is created per chain (one eth_chainId reaches each node),
// every job gets the same instance, a chain that cannot be reached is tried
// once and does not disturb the others. Run in the tsan preset too, where any
// data race fails the daemon.
#include <gtest/gtest.h>
#include <signal.h>

#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "support/count.hpp"
#include "support/fake_node.hpp"
#include "support/ganache.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

using namespace std::chrono_literals;
using namespace testing;  // the support library: processes, temp dirs, logs

// A node that answers eth_chainId; counts how often each node was asked.
std::size_t chain_id_calls(const testing::fake::FakeNode& node) {
  std::size_t calls = 0;
  for (const auto& request : node.requests()) calls += request.parsed().at("method") == "eth_chainId" ? 1 : 0;
  return calls;
}

void answer_chain_id(testing::fake::FakeNode& node) {
  node.set_handler(testing::fake::rpc([](const nlohmann::json& call) { return testing::fake::result(call, "0x539"); }));
}

// A cron spec for one second, `ahead` from now, in UTC (the daemon runs with TZ=UTC).
std::string spec_for(std::chrono::seconds ahead) {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + ahead);
  std::tm utc{};
  gmtime_r(&t, &utc);
  return std::to_string(utc.tm_sec) + " " + std::to_string(utc.tm_min) + " " + std::to_string(utc.tm_hour) + " * * *";
}

TEST(Stampede, TwoHundredJobsInOneSecondCreateEachClientExactlyOnce) {
  setenv("TZ", "UTC", 1);
  TempDir dir;
  testing::copy_fixture("stampede", dir.path());
  testing::fake::FakeNode x;
  testing::fake::FakeNode y;
  answer_chain_id(x);
  answer_chain_id(y);
  const auto log = dir / "host.log";
  const auto sdk_log = dir / "sdk.log";
  // Far enough ahead for a daemon started slowly (a sanitizer build on a
  // busy machine takes seconds) to be running by then: an instant missed
  // comes again only tomorrow.
  const std::string instant = spec_for(6s);
  BackgroundProcess daemon(
      JOBHOST_TEST_BINARY,
      {"run", "--plugin-dir", dir.path().string(), "--state-dir", (dir / "state").string(), "--workers", "200",
       "--set", "stampede.chains=x,y,z", "--set", "stampede.schedule=" + instant, "--chain", "x=" + x.url(),
       "--chain", "y=" + y.url(), "--chain", "z=http://127.0.0.1:" + std::to_string(testing::free_port()),
       "--sdk-log-file", sdk_log.string(), "--set", "chain.y.log-file=" + (dir / "." / "sdk.log").string(),
       "--log-level", "sdk=debug", "--log-file", log.string()},
      dir / "out", dir / "err");

  const auto deadline = std::chrono::steady_clock::now() + 25s;
  while (count(read_file(log), "chain z unavailable") < 200 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(100ms);
  }
  daemon.signal(SIGTERM);
  ASSERT_EQ(daemon.wait_for_exit(20s), 0) << read_file(dir / "err");
  const std::string text = read_file(log);

  EXPECT_EQ(chain_id_calls(x), 1u) << "one initialisation of chain x (the jobs fire at " << instant << ")\n" << text;
  EXPECT_EQ(chain_id_calls(y), 1u) << "one initialisation of chain y";
  EXPECT_EQ(count(text, "chain \"x\": client created"), 1u) << text;
  EXPECT_EQ(count(text, "chain \"y\": client created"), 1u) << text;
  EXPECT_EQ(count(text, "chain \"z\": client could not be created"), 1u) << "one attempt, then backoff\n" << text;

  // Every one of the 200 jobs got a client for x and y, and the same one.
  for (const char* chain : {"x", "y"}) {
    const std::regex line(std::string(R"(\[stampede\.job_(\d+)\] chain )") + chain + R"( client (\d+) id 1337)");
    std::set<std::string> jobs;
    std::set<std::string> addresses;
    for (auto it = std::sregex_iterator(text.begin(), text.end(), line); it != std::sregex_iterator(); ++it) {
      jobs.insert((*it)[1]);
      addresses.insert((*it)[2]);
    }
    EXPECT_EQ(jobs.size(), 200u) << chain;
    EXPECT_EQ(addresses.size(), 1u) << chain;
  }
  EXPECT_EQ(count(text, "chain z unavailable: chain \"z\" is unavailable"), 200u) << text;
  EXPECT_EQ(count(text, "skipped"), 0u) << text;

  // The SDK loggers of x and y share one file (given by two spellings of its
  // path), and their lines do not appear in the host's log.
  const std::string sdk_text = read_file(sdk_log);
  EXPECT_NE(sdk_text.find("[sdk.x]"), std::string::npos) << sdk_text;
  EXPECT_NE(sdk_text.find("[sdk.y]"), std::string::npos) << sdk_text;
  EXPECT_EQ(text.find("[sdk.x]"), std::string::npos) << text;
}

}  // namespace
}  // namespace jobhost
