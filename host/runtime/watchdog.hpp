// Watchdog: enforces job timeouts on its own thread.
//
// At a run's deadline it requests the run's stop token and marks it timed
// out; if the run still has not returned `kill_grace` later, it kills the
// worker process the job's plugin runs in (the run ends as killed; the
// worker restarts), or, for a plugin in this process, logs the run as stuck
// (a C++ thread cannot be killed; the overlap policy keeps the job from
// piling up more runs behind it). Deadlines are on the steady clock.
//
// Thread-safety: watch() and finished() may be called from any thread.
// Lifetime: a deadline reaches its job only through its run, and only until
// finished() is called for that run; so a job may be destroyed once its runs
// have finished, while stale deadlines of it are still queued.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "runtime/scheduled_job.hpp"
#include "runtime/timer_heap.hpp"

namespace jobhost::runtime {

class Watchdog {
 public:
  Watchdog();
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Starts watching `run`, whose job has policy.timeout.
  void watch(std::shared_ptr<Run> run);
  // Marks `run` done once it has returned. From then on the watchdog never
  // touches the run's job: if it is acting on the run right now, this waits
  // until it is through.
  void finished(Run& run);

 private:
  struct Deadline {
    std::chrono::steady_clock::time_point at;
    std::weak_ptr<Run> run;
    bool grace;  // false: the timeout; true: the end of kill-grace
  };

  void loop();
  void expire(const Deadline& deadline);

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  TimerHeap<Deadline> deadlines_;
  std::thread thread_;
};

}  // namespace jobhost::runtime
