// Watchdog: enforces job timeouts on its own thread.
//
// At a run's deadline it requests the run's stop token and marks it timed
// out; if the run still has not returned `kill_grace` later, it logs the run
// as stuck (a C++ thread cannot be killed; the overlap policy keeps the job
// from piling up more runs behind it). Deadlines are on the steady clock.
//
// Thread-safety: watch() may be called from any thread. The jobs watched must
// outlive the watchdog.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <queue>
#include <thread>
#include <vector>

#include "runtime/scheduled_job.hpp"

namespace jobhost::runtime {

class Watchdog {
 public:
  Watchdog();
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  // Starts watching `run` of `job`, which has job.policy.timeout.
  void watch(ScheduledJob& job, std::shared_ptr<ScheduledJob::Run> run);

 private:
  struct Deadline {
    std::chrono::steady_clock::time_point at;
    ScheduledJob* job;
    std::weak_ptr<ScheduledJob::Run> run;
    bool grace;  // false: the timeout; true: the end of kill-grace
    bool operator>(const Deadline& other) const { return at > other.at; }
  };

  void loop();
  void expire(const Deadline& deadline);

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::priority_queue<Deadline, std::vector<Deadline>, std::greater<>> deadlines_;
  std::thread thread_;
};

}  // namespace jobhost::runtime
