#include "runtime/dispatcher.hpp"

#include <algorithm>
#include <optional>

#include "runtime/job_runner.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::runtime {
namespace {

std::string fire_text(const ScheduledJob& job, std::chrono::sys_seconds due) {
  return "fire at " + schedule::format_iso8601(due, job.schedule->zone());
}

}  // namespace

Dispatcher::FireOutcome Dispatcher::fire(ScheduledJob& job, std::chrono::sys_seconds due) {
  RunPtr run;
  FireOutcome outcome;
  {
    std::lock_guard lock(job.mutex);
    outcome = admit(job, due, run);
  }
  if (outcome == FireOutcome::started && !submit({&run, 1})) return FireOutcome::skipped;
  return outcome;
}

void Dispatcher::fire_all(std::span<const Fire> fires) {
  std::vector<RunPtr> runs;
  runs.reserve(fires.size());
  for (const Fire& fire : fires) {
    RunPtr run;
    std::lock_guard lock(fire.job->mutex);
    if (admit(*fire.job, fire.due, run) == FireOutcome::started) runs.push_back(std::move(run));
  }
  submit(runs);
}

void Dispatcher::shut_down(std::span<ScheduledJob* const> jobs) {
  // A run admitted after a job's sweep below is admitted under its mutex, so
  // its worker sees the flag and skips it.
  shutting_down_ = true;
  for (ScheduledJob* job : jobs) {
    std::lock_guard lock(job->mutex);
    for (const auto& running : job->active) running->stop.request_stop();
  }
}

Dispatcher::FireOutcome Dispatcher::admit(ScheduledJob& job, std::chrono::sys_seconds due, RunPtr& run) {
  const JobPolicy& policy = job.policy;
  if (job.active.empty() || (policy.overlap == Overlap::allow && job.active.size() < policy.max_concurrent)) {
    run = new_run(job, due);
    return FireOutcome::started;
  }
  switch (policy.overlap) {
    case Overlap::skip:
      skip(job, due, "the previous run is still running (overlap policy: skip)");
      return FireOutcome::skipped;
    case Overlap::allow:
      skip(job, due, std::to_string(job.active.size()) + " runs are running (overlap policy: allow, " +
                         "max-concurrent " + std::to_string(policy.max_concurrent) + ")");
      return FireOutcome::skipped;
    case Overlap::queue:
      if (job.queued) {
        skip(job, due, "a run is running and another is queued (overlap policy: queue)");
        return FireOutcome::skipped;
      }
      job.queued = due;
      job.logger->info(fire_text(job, due) + " queued until the running run ends (overlap policy: queue)");
      return FireOutcome::waiting;
    case Overlap::replace:
      if (job.queued) skip(job, *job.queued, "replaced by a later fire (overlap policy: replace)");
      job.queued = due;
      for (const auto& running : job.active) running->stop.request_stop();
      job.logger->info(fire_text(job, due) + ": asked the running run to stop (overlap policy: replace)");
      return FireOutcome::waiting;
  }
  return FireOutcome::skipped;
}

Dispatcher::RunPtr Dispatcher::new_run(ScheduledJob& job, std::chrono::sys_seconds due) {
  auto run = std::make_shared<ScheduledJob::Run>(job, due);
  job.active.push_back(run);
  return run;
}

bool Dispatcher::submit(std::span<const RunPtr> runs) {
  if (runs.empty()) return true;
  std::vector<std::function<void()>> tasks;
  tasks.reserve(runs.size());
  // Two pointers: small enough for std::function to hold without allocating.
  // job.active keeps the run alive until run() has returned.
  for (const RunPtr& run : runs) tasks.emplace_back([this, run = run.get()] { this->run(*run); });
  if (executor_.submit_all(std::move(tasks))) return true;
  for (const RunPtr& run : runs) {
    ScheduledJob& job = run->job;
    std::lock_guard lock(job.mutex);
    job.active.erase(std::find(job.active.begin(), job.active.end(), run));
    skip(job, run->due, "the host is shutting down");
  }
  return false;
}

void Dispatcher::skip(ScheduledJob& job, std::chrono::sys_seconds due, const std::string& why) {
  ++job.fires_skipped;
  job.logger->warn(fire_text(job, due) + " skipped: " + why);
}

void Dispatcher::run(ScheduledJob::Run& run) {
  ScheduledJob& job = run.job;
  std::optional<ScheduledJob::LastRun> last_run;
  if (shutting_down_) {
    skip(job, run.due, "the host is shutting down");
  } else {
    const auto started = std::chrono::system_clock::now();
    job.fire_lag.observe(started - run.due);
    if (job.policy.timeout) watchdog_.watch(job, run.shared_from_this());
    const RunResult result = run_once(job, clients_, run.stop.get_token(), run.due);
    job.run_duration.observe(result.duration);
    run.done = true;
    const char* outcome_name = "ok";
    if (run.timed_out) {
      ++job.runs_timed_out;
      outcome_name = "timeout";
    } else if (result.outcome == RunOutcome::ok) {
      ++job.runs_ok;
    } else if (result.outcome == RunOutcome::stopped) {
      ++job.runs_stopped;
      outcome_name = "stopped";
    } else {
      ++job.runs_failed;
      outcome_name = "failed";
    }
    const auto finished = started + std::chrono::duration_cast<std::chrono::system_clock::duration>(result.duration);
    last_run = ScheduledJob::LastRun{run.due, outcome_name, result.duration, finished};
  }
  RunPtr waiting;
  {
    std::lock_guard lock(job.mutex);
    if (last_run) job.last_run = last_run;
    // Destroys `run`.
    job.active.erase(std::find_if(job.active.begin(), job.active.end(),
                                  [&run](const RunPtr& active) { return active.get() == &run; }));
    if (job.queued && job.active.empty() && !shutting_down_) {
      waiting = new_run(job, *job.queued);
      job.queued.reset();
    }
  }
  if (waiting) submit({&waiting, 1});
}

}  // namespace jobhost::runtime
