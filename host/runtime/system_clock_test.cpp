#include "runtime/system_clock.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;

TEST(SystemClock, SleepsUntilAWallClockDeadline) {
  SystemClock clock;
  const auto deadline = clock.now() + 50ms;
  EXPECT_EQ(clock.sleep_until(deadline), Clock::Wake::deadline);
  EXPECT_GE(clock.now(), deadline);
  EXPECT_LT(clock.now(), deadline + 1s);
}

TEST(SystemClock, APastDeadlineReturnsAtOnce) {
  SystemClock clock;
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(clock.sleep_until(clock.now() - 1h), Clock::Wake::deadline);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 1s);
}

TEST(SystemClock, InterruptWakesTheSleeper) {
  SystemClock clock;
  std::thread waker([&] {
    std::this_thread::sleep_for(20ms);
    clock.interrupt();
  });
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_EQ(clock.sleep_until(clock.now() + 1h), Clock::Wake::interrupted);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 10s);
  waker.join();
}

TEST(SystemClock, AnInterruptBeforeTheSleepIsNotLost) {
  SystemClock clock;
  clock.interrupt();
  EXPECT_EQ(clock.sleep_until(clock.now() + 1h), Clock::Wake::interrupted);
}

}  // namespace
}  // namespace jobhost::runtime
