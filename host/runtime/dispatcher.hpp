// Dispatcher: what a fire does. It applies the job's overlap policy, hands
// runs to the executor, links each run's stop token to the host's, has the
// watchdog enforce the job's timeout, counts outcomes, and starts the fire
// that a queue or replace policy kept waiting once the job is free.
//
// Thread-safety: fire() may be called from any thread (the scheduler's); the
// executor's workers call back into it when runs end. The jobs, the
// executor, the client provider and the watchdog must outlive it.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <stop_token>

#include "jobhost/client_provider.hpp"
#include "runtime/executor.hpp"
#include "runtime/scheduled_job.hpp"
#include "runtime/watchdog.hpp"

namespace jobhost::runtime {

class Dispatcher {
 public:
  Dispatcher(Executor& executor, ClientProvider& clients, Watchdog& watchdog, std::stop_token host_stop)
      : executor_(executor), clients_(clients), watchdog_(watchdog), host_stop_(std::move(host_stop)) {}

  void fire(ScheduledJob& job, std::chrono::sys_seconds due);

 private:
  // Both are called with job.mutex held through `lock`.
  void start(ScheduledJob& job, std::chrono::sys_seconds due, std::unique_lock<std::mutex>& lock);
  void skip(ScheduledJob& job, std::chrono::sys_seconds due, const std::string& why);
  void run(ScheduledJob& job, const std::shared_ptr<ScheduledJob::Run>& run, std::chrono::sys_seconds due);

  Executor& executor_;
  ClientProvider& clients_;
  Watchdog& watchdog_;
  std::stop_token host_stop_;
};

}  // namespace jobhost::runtime
