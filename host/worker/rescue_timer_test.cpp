#include "worker/rescue_timer.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

namespace jobhost::worker {
namespace {

using namespace std::chrono_literals;

TEST(RescueTimerTest, WakesTheWaiterWhenItRunsOut) {
  RescueTimer timer;
  const auto armed = std::chrono::steady_clock::now();
  timer.arm(2ms);
  EXPECT_TRUE(timer.wait());
  EXPECT_GE(std::chrono::steady_clock::now() - armed, 2ms);
}

TEST(RescueTimerTest, DisarmedInTimeItWakesNobody) {
  RescueTimer timer;
  std::atomic<int> ran_out{0};
  std::thread waiter([&] {
    while (timer.wait()) ++ran_out;
  });
  for (int i = 0; i < 100; ++i) {
    timer.arm(500ms);  // far enough that a loaded machine disarms it in time
    timer.disarm();
  }
  std::this_thread::sleep_for(700ms);
  timer.stop();
  waiter.join();
  EXPECT_EQ(ran_out, 0);
}

TEST(RescueTimerTest, StopEndsAWaitAndEveryLaterOne) {
  RescueTimer timer;
  std::thread stopper([&] {
    std::this_thread::sleep_for(10ms);
    timer.stop();
  });
  EXPECT_FALSE(timer.wait());
  stopper.join();
  EXPECT_FALSE(timer.wait());
}

}  // namespace
}  // namespace jobhost::worker
