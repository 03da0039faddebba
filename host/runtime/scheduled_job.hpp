// ScheduledJob: one job as the host runs it. Three parts, each written by
// one part of the host (see each header):
//   spec   — what the job is; jobs::set_up_jobs, read-only afterwards;
//   runs   — its runs in flight; the Dispatcher;
//   stats  — what its runs came to; the Dispatcher and the Scheduler;
// and two flags: `paused` (control: pause/resume) and `next_fire` (the
// Scheduler).
//
// Ownership: jobs::Host owns every ScheduledJob; the scheduler and the
// executor refer to them and never outlive the Host's jobs.
#pragma once

#include <atomic>
#include <cstdint>

#include "runtime/job_run_state.hpp"
#include "runtime/job_spec.hpp"
#include "runtime/job_stats.hpp"

namespace jobhost::runtime {

struct ScheduledJob {
  JobSpec spec;

  // Set by `jobhost pause`: its fires are not run (nor caught up later).
  // (Beside `runs`: a fire reads it with the run state's first lines.)
  std::atomic<bool> paused{false};
  // The next fire the scheduler planned, in seconds since the epoch; 0 when
  // none is planned.
  std::atomic<std::int64_t> next_fire{0};

  JobRunState runs;
  JobStats stats;

  // A run has not returned, or a fire handed out has not been taken yet.
  bool running() { return runs.running(); }
};

}  // namespace jobhost::runtime
