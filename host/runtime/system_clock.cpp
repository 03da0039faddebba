#include "runtime/system_clock.hpp"

#include <cerrno>
#include <cstdint>
#include <ctime>
#include <system_error>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/timerfd.h>
#include <unistd.h>

namespace jobhost::runtime {
namespace {

// Longer sleeps are cut into pieces of this, so that a far deadline never
// overflows the timer.
constexpr auto kLongestSleep = std::chrono::hours(24);
// A jump of the wall clock against the monotonic clock bigger than this is a
// change of the clock, not drift correction.
constexpr std::int64_t kOffsetTolerance = 500'000'000;

std::system_error last_error(const char* what) { return {errno, std::generic_category(), what}; }

std::int64_t nanoseconds_of(clockid_t clock) {
  timespec now{};
  clock_gettime(clock, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

}  // namespace

SystemClock::SystemClock() : last_offset_(wall_offset()) {
  timer_fd_ = timerfd_create(CLOCK_REALTIME, TFD_CLOEXEC);
  if (timer_fd_ < 0) throw last_error("timerfd_create");
  wake_fd_ = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake_fd_ < 0) {
    close(timer_fd_);
    throw last_error("eventfd");
  }
}

SystemClock::~SystemClock() {
  close(timer_fd_);
  close(wake_fd_);
}

std::int64_t SystemClock::wall_offset() { return nanoseconds_of(CLOCK_REALTIME) - nanoseconds_of(CLOCK_MONOTONIC); }

Clock::time_point SystemClock::now() const { return std::chrono::system_clock::now(); }

Clock::Wake SystemClock::sleep_until(time_point deadline) {
  const auto latest = now() + kLongestSleep;
  if (deadline > latest) deadline = latest;
  const auto since_epoch = std::chrono::duration_cast<std::chrono::nanoseconds>(deadline.time_since_epoch());
  itimerspec timer{};
  timer.it_value.tv_sec = static_cast<time_t>(since_epoch.count() / 1'000'000'000);
  timer.it_value.tv_nsec = static_cast<long>(since_epoch.count() % 1'000'000'000);
  if (timer.it_value.tv_sec == 0 && timer.it_value.tv_nsec == 0) timer.it_value.tv_nsec = 1;  // 0 would disarm
  if (timerfd_settime(timer_fd_, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &timer, nullptr) != 0) {
    throw last_error("timerfd_settime");
  }
  Wake wake = Wake::deadline;
  pollfd fds[2] = {{timer_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  while (poll(fds, 2, -1) < 0) {
    if (errno != EINTR) throw last_error("poll");
  }
  if (fds[1].revents & POLLIN) {
    std::uint64_t count;
    [[maybe_unused]] const auto ignored = read(wake_fd_, &count, sizeof count);
    wake = Wake::interrupted;
  }
  if (fds[0].revents & POLLIN) {
    std::uint64_t expirations;
    if (read(timer_fd_, &expirations, sizeof expirations) < 0 && errno == ECANCELED) wake = Wake::clock_changed;
  }
  const std::int64_t offset = wall_offset();
  // A change outranks an interrupt: the caller re-checks why it was
  // interrupted on every wake-up anyway.
  if (offset - last_offset_ > kOffsetTolerance || last_offset_ - offset > kOffsetTolerance) wake = Wake::clock_changed;
  last_offset_ = offset;
  return wake;
}

void SystemClock::interrupt() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto ignored = write(wake_fd_, &one, sizeof one);
}

}  // namespace jobhost::runtime
