// Clock: the wall clock the scheduler reads and sleeps on.
//
// Fire instants are wall-clock instants, so the scheduler sleeps on the wall
// clock itself and is told when it is set: a step of the clock (NTP, an
// operator) or a resume from suspend. SystemClock is the real one; tests use
// ManualClock to step time without sleeping.
//
// Thread-safety: now() and interrupt() may be called from any thread;
// sleep_until() by one thread at a time.
#pragma once

#include <chrono>

namespace jobhost::runtime {

class Clock {
 public:
  using time_point = std::chrono::system_clock::time_point;

  // Why sleep_until() returned.
  enum class Wake {
    deadline,       // the deadline passed, or a spurious wake-up: read now() again
    interrupted,    // interrupt() was called
    clock_changed,  // the wall clock was set or the machine resumed from suspend
  };

  virtual ~Clock() = default;

  virtual time_point now() const = 0;

  // Blocks until the wall clock reaches `deadline`, interrupt() is called or
  // the wall clock changes. An interrupt() while nobody sleeps makes the next
  // sleep_until() return at once.
  virtual Wake sleep_until(time_point deadline) = 0;

  virtual void interrupt() = 0;
};

}  // namespace jobhost::runtime
