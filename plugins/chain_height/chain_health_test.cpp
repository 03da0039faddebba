#include "chain_health.hpp"

#include <gtest/gtest.h>

#include "test_fakes.hpp"

namespace chain_height {
namespace {

using namespace std::chrono_literals;
using jobhost::LogLevel;

class ChainHealthTest : public ::testing::Test {
 protected:
  // One run every 15s, as the default schedule does.
  void height(std::uint64_t block) {
    health.saw_height(block, now, 2min, log);
    now += 15s;
  }
  void failure(const std::string& cause) {
    health.saw_failure(cause, now, 2min, log);
    now += 15s;
  }

  ChainHealth health{"main"};
  ChainHealth::TimePoint now{std::chrono::seconds(1'773'046'800)};
  testing::FakeLogger log;
};

TEST_F(ChainHealthTest, AnAdvancingChainLogsOnlyItsHeightAtDebug) {
  height(100);
  height(100);
  height(101);
  height(105);
  EXPECT_EQ(log.take(LogLevel::debug),
            "chain main at block 100\nchain main at block 100\nchain main at block 101\nchain main at block 105\n");
}

TEST_F(ChainHealthTest, AStallIsReportedExactlyAtTheThreshold) {
  height(100);                              // t = 0
  for (int i = 0; i < 7; ++i) height(100);  // t = 15s .. 1m45s
  EXPECT_EQ(log.take(), "");
  health.saw_height(100, now - 1s, 2min, log);  // t = 1m59s
  EXPECT_EQ(log.take(), "");
  height(100);  // t = 2m
  EXPECT_EQ(log.take(), "chain main has not advanced past block 100 for 2m\n");
}

TEST_F(ChainHealthTest, AStallIsRemindedOncePerStallAfter) {
  height(100);
  for (int i = 0; i < 8; ++i) height(100);  // up to t = 2m: the first error
  EXPECT_EQ(log.take(), "chain main has not advanced past block 100 for 2m\n");
  for (int i = 0; i < 7; ++i) height(100);  // t = 2m15s .. 3m45s
  EXPECT_EQ(log.take(), "");
  height(100);  // t = 4m
  EXPECT_EQ(log.take(), "chain main has not advanced past block 100 for 4m\n");
  for (int i = 0; i < 8; ++i) height(99);  // a lagging node is no progress either
  EXPECT_EQ(log.take(), "chain main has not advanced past block 100 for 6m\n");
  height(101);
  EXPECT_EQ(log.take(), "chain main recovered: block 101\n");
  for (int i = 0; i < 8; ++i) height(101);
  EXPECT_EQ(log.take(), "chain main has not advanced past block 101 for 2m\n");
}

TEST_F(ChainHealthTest, AnUnreachableChainIsReportedThenRemindedThenRecovers) {
  height(100);
  failure("connection refused");
  EXPECT_EQ(log.take(), "chain main is unreachable: connection refused\n");
  for (int i = 0; i < 7; ++i) failure("connection refused");
  EXPECT_EQ(log.take(), "");
  failure("timeout");
  EXPECT_EQ(log.take(), "chain main is still unreachable after 2m: timeout\n");
  height(150);
  EXPECT_EQ(log.take(), "chain main recovered: block 150\n");
  height(151);
  EXPECT_EQ(log.take(), "");
}

TEST_F(ChainHealthTest, AChainUnreachableFromTheStartIsReported) {
  failure("no such host");
  EXPECT_EQ(log.take(LogLevel::debug),
            "chain main gave no block number: no such host\nchain main is unreachable: no such host\n");
  height(7);
  EXPECT_EQ(log.take(), "chain main recovered: block 7\n");
}

TEST_F(ChainHealthTest, ANodeThatAnswersAgainWithoutProgressIsStalled) {
  height(100);
  for (int i = 0; i < 8; ++i) failure("connection refused");  // t = 15s .. 2m
  EXPECT_EQ(log.take(), "chain main is unreachable: connection refused\n");
  height(100);  // t = 2m15s
  EXPECT_EQ(log.take(), "chain main has not advanced past block 100 for 2m15s\n");
}

TEST_F(ChainHealthTest, AReturningNodeThatHasNotStalledRecovers) {
  height(100);
  failure("connection refused");
  log.take();
  height(100);  // 30s without a new block is within stall-after
  EXPECT_EQ(log.take(), "chain main recovered: block 100\n");
}

}  // namespace
}  // namespace chain_height
