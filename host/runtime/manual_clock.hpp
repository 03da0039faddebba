// ManualClock: a Clock for tests, whose time moves only when the test says.
//
// advance() lets time pass as it normally does, stall() as a stopped process
// sees it; set() steps the wall clock
// (or stands for a resume from suspend) and wakes the sleeper with
// Wake::clock_changed. Every change of the time wakes the sleeper, which then
// reads now() again; settle() waits until it is asleep again, so a test can
// step time and then look at what the scheduler did, without sleeping.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "runtime/clock.hpp"

namespace jobhost::runtime {

class ManualClock : public Clock {
 public:
  explicit ManualClock(time_point start) : now_(start) {}

  time_point now() const override {
    std::lock_guard lock(mutex_);
    return now_;
  }

  Wake sleep_until(time_point deadline) override {
    std::unique_lock lock(mutex_);
    ++sleeps_;
    asleep_ = true;
    changed_.notify_all();
    const auto time = now_;
    const auto steps = steps_;
    changed_.wait(lock, [&] { return interrupted_ || now_ != time || steps_ != steps || now_ >= deadline; });
    asleep_ = false;
    if (steps_ != steps) return Wake::clock_changed;
    if (interrupted_) {
      interrupted_ = false;
      return Wake::interrupted;
    }
    return Wake::deadline;
  }

  void interrupt() override {
    std::lock_guard lock(mutex_);
    interrupted_ = true;
    changed_.notify_all();
  }

  // Time passes by `by`, then waits until the sleeper is asleep again.
  void advance(std::chrono::nanoseconds by) {
    std::chrono::nanoseconds left = by;
    // In steps of at most a second, as a running clock would be read.
    while (left > std::chrono::nanoseconds::zero()) {
      const auto step = std::min<std::chrono::nanoseconds>(left, std::chrono::seconds(1));
      change([&] { now_ += step; });
      left -= step;
    }
  }

  // Time passes by `by` in one step, as a stopped or stalled process sees
  // it (not a change of the clock), then waits until the sleeper is asleep
  // again.
  void stall(std::chrono::nanoseconds by) {
    change([&] { now_ += by; });
  }

  // The wall clock is set to `to` (forward, backward, or the end of a
  // suspend), then waits until the sleeper is asleep again.
  void set(time_point to) {
    change([&] {
      now_ = to;
      ++steps_;
    });
  }

  // Waits until a thread sleeps in sleep_until().
  void wait_for_sleeper() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return asleep_; });
  }

 private:
  template <class Change>
  void change(Change apply) {
    std::unique_lock lock(mutex_);
    const std::uint64_t sleeps = sleeps_;
    const bool was_asleep = asleep_;
    apply();
    changed_.notify_all();
    // The sleeper wakes, does its work and sleeps again.
    if (was_asleep) changed_.wait(lock, [&] { return sleeps_ > sleeps; });
  }

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  time_point now_;
  std::uint64_t steps_ = 0;
  std::uint64_t sleeps_ = 0;
  bool asleep_ = false;
  bool interrupted_ = false;
};

}  // namespace jobhost::runtime
