#include "verdict.hpp"

#include <gtest/gtest.h>

namespace tx_watch {
namespace {

using namespace std::chrono_literals;
using jobhost::TxStatus;

const std::chrono::system_clock::time_point kSeen{std::chrono::seconds(1'700'000'000)};

jobhost::TxInfo info(TxStatus status, std::optional<std::uint64_t> block = std::nullopt) {
  jobhost::TxInfo info;
  info.status = status;
  info.block_number = block;
  return info;
}

Config three_confirmations() {
  Config config;
  config.confirmations = 3;
  config.drop_after = 10min;
  return config;
}

TEST(Judge, MinedTransactionsFinishWithEnoughConfirmations) {
  const Config config = three_confirmations();
  EXPECT_EQ(judge(info(TxStatus::success, 100), kSeen, kSeen, 100, config), std::nullopt);  // 1 confirmation
  EXPECT_EQ(judge(info(TxStatus::success, 100), kSeen, kSeen, 101, config), std::nullopt);  // 2
  auto verdict = judge(info(TxStatus::success, 100), kSeen, kSeen, 102, config);
  ASSERT_TRUE(verdict);
  EXPECT_EQ(verdict->outcome, Outcome::success);
  EXPECT_EQ(verdict->block, 100u);
  EXPECT_EQ(verdict->confirmations, 3u);

  verdict = judge(info(TxStatus::failed, 100), kSeen, kSeen, 150, config);
  ASSERT_TRUE(verdict);
  EXPECT_EQ(verdict->outcome, Outcome::failed);
  EXPECT_EQ(verdict->confirmations, 51u);
}

TEST(Judge, AHeadBehindTheBlockCountsAsNoConfirmation) {
  Config config;
  EXPECT_EQ(judge(info(TxStatus::success, 100), kSeen, kSeen, 99, config), std::nullopt);
  EXPECT_TRUE(judge(info(TxStatus::success, 100), kSeen, kSeen, 100, config));
}

TEST(Judge, AMinedStatusWithoutABlockWaits) {
  EXPECT_EQ(judge(info(TxStatus::success), kSeen, kSeen, 1000, Config()), std::nullopt);
}

TEST(Judge, UnknownTransactionsAreDroppedOnlyAfterDropAfter) {
  const Config config = three_confirmations();
  EXPECT_EQ(judge(info(TxStatus::not_found), kSeen, kSeen + 10min, 100, config), std::nullopt);
  auto verdict = judge(info(TxStatus::not_found), kSeen, kSeen + 10min + 1s, 100, config);
  ASSERT_TRUE(verdict);
  EXPECT_EQ(verdict->outcome, Outcome::dropped);
  EXPECT_EQ(verdict->block, std::nullopt);
  EXPECT_EQ(verdict->confirmations, 0u);
}

TEST(Judge, TransactionsInTheNodesPoolWaitForever) {
  EXPECT_EQ(judge(info(TxStatus::pending), kSeen, kSeen + 24h, 100, three_confirmations()), std::nullopt);
}

}  // namespace
}  // namespace tx_watch
