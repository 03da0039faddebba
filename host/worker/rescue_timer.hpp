// RescueTimer: a one-shot timer that one thread waits on, for work that
// usually ends soon but may block: another thread arms it before the work and
// disarms it after, and the waiting thread wakes only when the work outlasted
// it. Arming and disarming wake nobody (a timerfd), so work that ends in time
// costs two system calls and no thread wake-up.
//
// Thread-safety: arm(), disarm() and stop() from any thread; wait() by one.
#pragma once

#include <atomic>
#include <chrono>

namespace jobhost::worker {

class RescueTimer {
 public:
  RescueTimer();
  ~RescueTimer();
  RescueTimer(const RescueTimer&) = delete;
  RescueTimer& operator=(const RescueTimer&) = delete;

  // Runs out `after` from now, unless disarmed or armed again first.
  void arm(std::chrono::microseconds after);
  void disarm();
  // Waits until the timer runs out (true) or stop() is called (false).
  bool wait();
  // Makes wait() return false, now and from now on.
  void stop();

 private:
  int fd_;
  std::atomic<bool> stopped_{false};
};

}  // namespace jobhost::worker
