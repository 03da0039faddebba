// SystemClock when the wall clock is set. Setting it is machine-wide, so
// these tests run while no other test does (RUN_SERIAL), and they set it to
// what it already reads.
#include "runtime/system_clock.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <ctime>
#include <thread>

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;

// Setting the clock needs CAP_SYS_TIME, which a container rarely has: the
// test then says so and is skipped.
TEST(SystemClock, SettingTheWallClockWakesTheSleeper) {
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  if (clock_settime(CLOCK_REALTIME, &now) != 0) GTEST_SKIP() << "cannot set the clock here (errno " << errno << ")";
  SystemClock clock;
  std::thread setter([] {
    std::this_thread::sleep_for(50ms);
    timespec later{};
    clock_gettime(CLOCK_REALTIME, &later);
    clock_settime(CLOCK_REALTIME, &later);  // a step of (almost) nothing is still a set
  });
  EXPECT_EQ(clock.sleep_until(clock.now() + 1h), Clock::Wake::clock_changed);
  setter.join();
}

}  // namespace
}  // namespace jobhost::runtime
