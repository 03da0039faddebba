// Scheduler: the one thread that decides when jobs fire.
//
// It keeps the next fire instant of every enabled job in a min-heap, sleeps
// until the earliest one is due (no polling), hands the fire to the
// dispatcher (overlap policy, executor) and computes that job's next fire.
// A job with jitter is dispatched a random delay after its fire instant —
// never as late as its next one — while the run still sees the fire instant
// as its scheduled time.
//
// Thread-safety: start() and stop() are called by the owner; the scheduler
// thread is the only one that touches the heap. Lifetime: the jobs and the
// dispatcher must outlive the scheduler; stop() (or the destructor) returns
// only when the thread has exited.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <queue>
#include <random>
#include <stop_token>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "runtime/dispatcher.hpp"
#include "runtime/scheduled_job.hpp"

namespace jobhost::runtime {

class Scheduler {
 public:
  Scheduler(std::vector<ScheduledJob*> jobs, Dispatcher& dispatcher, std::shared_ptr<spdlog::logger> log);
  ~Scheduler();

  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Computes every job's first fire after now and starts the thread.
  void start();
  // Stops firing and joins the thread. Runs already handed out go on.
  void stop();

  // A random delay in [0, jitter] that stays before the job's next fire
  // (`until_next` after this one).
  static std::chrono::nanoseconds jitter_delay(std::chrono::nanoseconds jitter, std::chrono::nanoseconds until_next,
                                               std::minstd_rand& random);

 private:
  struct Entry {
    std::chrono::system_clock::time_point dispatch_at;  // the fire instant plus any jitter
    std::chrono::sys_seconds due;                       // the fire instant
    ScheduledJob* job;
    bool operator>(const Entry& other) const { return dispatch_at > other.dispatch_at; }
  };

  void loop();
  Entry entry_for(ScheduledJob& job, std::chrono::sys_seconds due);

  std::vector<ScheduledJob*> jobs_;
  Dispatcher& dispatcher_;
  std::shared_ptr<spdlog::logger> log_;
  std::minstd_rand random_{std::random_device{}()};

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  std::thread thread_;
};

}  // namespace jobhost::runtime
