#include "height_watch.hpp"

#include <gtest/gtest.h>

#include "test_fakes.hpp"

namespace chain_height {
namespace {

using namespace std::chrono_literals;
using jobhost::LogLevel;
using testing::FakeContext;

class HeightWatchTest : public ::testing::Test {
 protected:
  void run() {
    job.run(context);
    context.now += 15s;
  }

  FakeContext context;
  HeightWatch job;
};

TEST_F(HeightWatchTest, LogsEveryChainsHeightAtDebug) {
  context.job_settings = testing::settings({{"chains", "main, sepolia"}});
  context.add_chain("main").set_head(100);
  context.add_chain("sepolia").set_head(7);
  run();
  EXPECT_EQ(context.logger.take(LogLevel::debug), "chain main at block 100\nchain sepolia at block 7\n");
}

TEST_F(HeightWatchTest, OneFailingChainDoesNotStopTheOthers) {
  context.job_settings = testing::settings({{"chains", "main,gone,flaky,sepolia"}, {"stall-after", "1m"}});
  context.add_chain("main").set_head(100);
  auto& flaky = context.add_chain("flaky");
  flaky.fail_with(jobhost::TransportError("connection refused"));
  auto& sepolia = context.add_chain("sepolia");
  sepolia.set_head(7);
  run();
  EXPECT_EQ(context.logger.take(),
            "chain gone is unreachable: no chain named \"gone\"\n"
            "chain flaky is unreachable: connection refused\n");

  // A minute later main has stalled, sepolia advanced, flaky is back.
  flaky.stop_failing();
  flaky.set_head(5);
  for (int i = 0; i < 4; ++i) {
    sepolia.set_head(8 + i);
    run();
  }
  EXPECT_EQ(context.logger.take(),
            "chain flaky recovered: block 5\n"
            "chain main has not advanced past block 100 for 1m\n"
            "chain gone is still unreachable after 1m: no chain named \"gone\"\n");
}

TEST_F(HeightWatchTest, HonoursTheStopToken) {
  context.job_settings = testing::settings({{"chains", "main,sepolia"}});
  context.add_chain("main").set_head(1);
  context.add_chain("sepolia").set_head(1);
  context.stop.request_stop();
  run();
  EXPECT_EQ(context.logger.take(LogLevel::trace), "");
}

TEST_F(HeightWatchTest, BadJobSettingsFailTheRun) {
  context.job_settings = testing::settings({{"chains", ","}});
  EXPECT_THROW(run(), jobhost::ConfigError);
}

}  // namespace
}  // namespace chain_height
