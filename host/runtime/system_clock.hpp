// SystemClock: the real wall clock (CLOCK_REALTIME).
//
// It sleeps on a timerfd armed at an absolute wall-clock instant with
// TFD_TIMER_CANCEL_ON_SET: the kernel wakes it when the clock is stepped and
// when the machine resumes from suspend, so a fire is neither late by the
// length of a suspend nor lost to a clock step. As a second check, a change
// of more than half a second in the offset between the wall clock and the
// monotonic clock (which stops during suspend) between two sleeps also
// counts as a change, in case the clock was set while nobody slept.
//
// Owns two file descriptors (the timerfd and an eventfd for interrupt()).
// Thread-safety: as Clock.
#pragma once

#include <atomic>
#include <chrono>

#include "runtime/clock.hpp"

namespace jobhost::runtime {

class SystemClock : public Clock {
 public:
  // Throws std::system_error when the kernel refuses a descriptor.
  SystemClock();
  ~SystemClock() override;
  SystemClock(const SystemClock&) = delete;
  SystemClock& operator=(const SystemClock&) = delete;

  time_point now() const override;
  Wake sleep_until(time_point deadline) override;
  void interrupt() override;

 private:
  // Wall clock minus monotonic clock, in nanoseconds.
  static std::int64_t wall_offset();

  int timer_fd_ = -1;
  int wake_fd_ = -1;
  std::int64_t last_offset_;  // touched only by the sleeping thread
};

}  // namespace jobhost::runtime
