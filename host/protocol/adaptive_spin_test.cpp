#include "protocol/adaptive_spin.hpp"

#include <gtest/gtest.h>

namespace jobhost::protocol {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(AdaptiveSpinTest, SpinsWhileRepliesComeQuicklyAndStopsAfterARunOfSlowOnes) {
  AdaptiveSpin spin(2);
  EXPECT_EQ(spin.budget(), AdaptiveSpin::kMaxSpin);
  for (int i = 0; i < 20; ++i) spin.record(microseconds(10));
  EXPECT_EQ(spin.budget(), AdaptiveSpin::kMaxSpin);
  spin.record(milliseconds(1));  // one slow call among quick ones
  EXPECT_EQ(spin.budget(), AdaptiveSpin::kMaxSpin) << "one slow reply stopped the spinning";
  for (int i = 0; i < 5; ++i) spin.record(milliseconds(2));  // a node over the network
  EXPECT_EQ(spin.budget(), microseconds(0)) << "it spins while every reply takes milliseconds";
}

TEST(AdaptiveSpinTest, SpinsAgainOnceRepliesAreQuickAgain) {
  AdaptiveSpin spin(2);
  for (int i = 0; i < 20; ++i) spin.record(milliseconds(2));
  ASSERT_EQ(spin.budget(), microseconds(0));
  int calls = 0;
  while (spin.budget() == microseconds(0) && calls < 100) {
    spin.record(microseconds(30));  // sleeping for a quick reply costs a wake-up
    ++calls;
  }
  EXPECT_LT(calls, 16) << "it did not spin again after many quick replies";
}

TEST(AdaptiveSpinTest, NeverSpinsOnOneCore) {
  AdaptiveSpin spin(1);
  for (int i = 0; i < 20; ++i) spin.record(microseconds(10));
  EXPECT_EQ(spin.budget(), microseconds(0));
}

TEST(AdaptiveSpinTest, SpinSlotsLetAsManySpinAtOnceAsThereAreSlots) {
  SpinSlots slots(2);
  EXPECT_TRUE(slots.take());
  EXPECT_TRUE(slots.take());
  EXPECT_FALSE(slots.take());
  slots.give_back();
  EXPECT_TRUE(slots.take());
  EXPECT_FALSE(SpinSlots(0).take());
}

TEST(AdaptiveSpinTest, CountsTheCoresOfThisProcess) { EXPECT_GE(usable_cores(), 1u); }

}  // namespace
}  // namespace jobhost::protocol
