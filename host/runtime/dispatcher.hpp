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
#include <span>
#include <stop_token>
#include <vector>

#include "jobhost/client_provider.hpp"
#include "runtime/executor.hpp"
#include "runtime/scheduled_job.hpp"
#include "runtime/watchdog.hpp"

namespace jobhost::runtime {

class Dispatcher {
 public:
  struct Fire {
    ScheduledJob* job;
    std::chrono::sys_seconds due;
  };

  Dispatcher(Executor& executor, ClientProvider& clients, Watchdog& watchdog, std::stop_token host_stop)
      : executor_(executor), clients_(clients), watchdog_(watchdog), host_stop_(std::move(host_stop)) {}

  // What the overlap policy made of a fire.
  enum class FireOutcome {
    started,  // a run was handed to the executor
    waiting,  // it waits for the running run (queue, replace)
    skipped,  // it was skipped and logged
  };

  FireOutcome fire(ScheduledJob& job, std::chrono::sys_seconds due);
  // The fires of one instant: the runs they start reach the executor in one
  // batch.
  void fire_all(std::span<const Fire> fires);

 private:
  // A run admitted by the overlap policy, to be handed to the executor.
  struct Start {
    ScheduledJob* job;
    std::shared_ptr<ScheduledJob::Run> run;
    std::chrono::sys_seconds due;
  };

  // What the overlap policy makes of a fire; `run` is set to the run to
  // start when the outcome is `started`. Called with job.mutex held.
  FireOutcome admit(ScheduledJob& job, std::chrono::sys_seconds due, std::shared_ptr<ScheduledJob::Run>& run);
  // Marks a new run of `job` active. Called with job.mutex held.
  static std::shared_ptr<ScheduledJob::Run> new_run(ScheduledJob& job);
  // Hands the runs to the executor; skips them (and returns false) when it
  // is closed.
  bool submit(std::vector<Start> starts);
  void skip(ScheduledJob& job, std::chrono::sys_seconds due, const std::string& why);
  void run(ScheduledJob& job, const std::shared_ptr<ScheduledJob::Run>& run, std::chrono::sys_seconds due);

  Executor& executor_;
  ClientProvider& clients_;
  Watchdog& watchdog_;
  std::stop_token host_stop_;
};

}  // namespace jobhost::runtime
