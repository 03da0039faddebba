#include "worker/rescue_timer.hpp"

#include <sys/timerfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <system_error>

namespace jobhost::worker {
namespace {

void set(int fd, std::chrono::nanoseconds after) {
  itimerspec spec{};
  spec.it_value.tv_sec = static_cast<time_t>(after.count() / 1'000'000'000);
  spec.it_value.tv_nsec = static_cast<long>(after.count() % 1'000'000'000);
  if (::timerfd_settime(fd, 0, &spec, nullptr) != 0) throw std::system_error(errno, std::generic_category(), "timerfd_settime");
}

}  // namespace

RescueTimer::RescueTimer() : fd_(::timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC)) {
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "timerfd_create");
}

RescueTimer::~RescueTimer() { ::close(fd_); }

void RescueTimer::arm(std::chrono::microseconds after) { set(fd_, after); }

void RescueTimer::disarm() { set(fd_, std::chrono::nanoseconds(0)); }

bool RescueTimer::wait() {
  std::uint64_t expirations;
  while (!stopped_) {
    if (::read(fd_, &expirations, sizeof expirations) == sizeof expirations) return !stopped_;
    if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "reading a timerfd");
  }
  return false;
}

void RescueTimer::stop() {
  stopped_ = true;
  set(fd_, std::chrono::nanoseconds(1));  // wakes a wait() in progress
}

}  // namespace jobhost::worker
