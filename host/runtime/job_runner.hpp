// Running one job once: the boundary between host and plugin code. Whatever
// the job throws is caught here and logged with the job's name; the caller
// counts the outcome.
// Thread-safe: may run for different jobs (and, later, for the same job) on
// several threads at once.
#pragma once

#include <chrono>
#include <exception>
#include <stop_token>

#include "jobhost/client_provider.hpp"
#include "runtime/scheduled_job.hpp"

namespace jobhost::runtime {

// killed: the host killed what ran it (its worker process; see
// run_killed_error.hpp).
enum class RunOutcome { ok, failed, stopped, killed };

struct RunResult {
  RunOutcome outcome;
  std::chrono::nanoseconds duration;  // on the steady clock
};

// `stop`: the run's stop source; the job gets a token of it only when it asks
// for one. It must outlive the call. `started`: now, as the caller read it
// (the run's duration is measured from it).
RunResult run_once(ScheduledJob& job, ClientProvider& clients, const std::stop_source& stop,
                   std::chrono::system_clock::time_point scheduled, std::chrono::steady_clock::time_point started);

// run_once() in two halves, for a run that ends on another thread than the
// one that started it (a run in a worker process): log_run_start() when it
// starts, run_result() when it has ended, with what the job threw (null for
// nothing). run_result() logs the outcome and measures the duration from
// `started`.
void log_run_start(ScheduledJob& job, std::chrono::system_clock::time_point scheduled);
RunResult run_result(ScheduledJob& job, std::chrono::steady_clock::time_point started, std::exception_ptr thrown);

}  // namespace jobhost::runtime
