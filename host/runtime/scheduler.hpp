// Scheduler: the one thread that decides when jobs fire.
//
// It keeps the next fire instant of every enabled job in a min-heap, sleeps
// until the earliest one is due (no polling), hands the fire to the executor
// and computes that job's next fire. A fire that finds the job's previous run
// still running (or still queued) is skipped and logged.
//
// Thread-safety: start() and stop() are called by the owner; the scheduler
// thread is the only one that touches the heap. Lifetime: the jobs, the
// executor and the client provider must outlive the scheduler; stop() (or the
// destructor) returns only when the thread has exited.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <queue>
#include <stop_token>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "jobhost/client_provider.hpp"
#include "runtime/executor.hpp"
#include "runtime/scheduled_job.hpp"

namespace jobhost::runtime {

class Scheduler {
 public:
  // `stop` is handed to every run; the owner requests it at shutdown.
  Scheduler(std::vector<ScheduledJob*> jobs, Executor& executor, ClientProvider& clients, std::stop_token stop,
            std::shared_ptr<spdlog::logger> log);
  ~Scheduler();

  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Computes every job's first fire after now and starts the thread.
  void start();
  // Stops firing and joins the thread. Runs already handed out go on.
  void stop();

 private:
  struct Entry {
    std::chrono::sys_seconds due;
    ScheduledJob* job;
    bool operator>(const Entry& other) const { return due > other.due; }
  };

  void loop();
  void fire(ScheduledJob& job, std::chrono::sys_seconds due);

  std::vector<ScheduledJob*> jobs_;
  Executor& executor_;
  ClientProvider& clients_;
  std::stop_token run_stop_;
  std::shared_ptr<spdlog::logger> log_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  std::thread thread_;
};

}  // namespace jobhost::runtime
