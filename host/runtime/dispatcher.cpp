#include "runtime/dispatcher.hpp"

#include <algorithm>

#include "runtime/job_runner.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::runtime {
namespace {

std::string fire_text(const ScheduledJob& job, std::chrono::sys_seconds due) {
  return "fire at " + schedule::format_iso8601(due, job.schedule->zone());
}

}  // namespace

Dispatcher::FireOutcome Dispatcher::fire(ScheduledJob& job, std::chrono::sys_seconds due) {
  std::shared_ptr<ScheduledJob::Run> run;
  FireOutcome outcome;
  {
    std::lock_guard lock(job.mutex);
    outcome = admit(job, due, run);
  }
  if (outcome == FireOutcome::started && !submit({{&job, std::move(run), due}})) return FireOutcome::skipped;
  return outcome;
}

void Dispatcher::fire_all(std::span<const Fire> fires) {
  std::vector<Start> starts;
  for (const Fire& fire : fires) {
    std::shared_ptr<ScheduledJob::Run> run;
    std::lock_guard lock(fire.job->mutex);
    if (admit(*fire.job, fire.due, run) == FireOutcome::started) starts.push_back({fire.job, std::move(run), fire.due});
  }
  submit(std::move(starts));
}

Dispatcher::FireOutcome Dispatcher::admit(ScheduledJob& job, std::chrono::sys_seconds due,
                                          std::shared_ptr<ScheduledJob::Run>& run) {
  const JobPolicy& policy = job.policy;
  if (job.active.empty() || (policy.overlap == Overlap::allow && job.active.size() < policy.max_concurrent)) {
    run = new_run(job);
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

std::shared_ptr<ScheduledJob::Run> Dispatcher::new_run(ScheduledJob& job) {
  auto run = std::make_shared<ScheduledJob::Run>();
  job.active.push_back(run);
  return run;
}

bool Dispatcher::submit(std::vector<Start> starts) {
  if (starts.empty()) return true;
  std::vector<std::function<void()>> tasks;
  tasks.reserve(starts.size());
  for (const Start& start : starts) {
    tasks.push_back([this, job = start.job, run = start.run, due = start.due] { this->run(*job, run, due); });
  }
  if (executor_.submit_all(std::move(tasks))) return true;
  for (const Start& start : starts) {
    std::lock_guard lock(start.job->mutex);
    auto& active = start.job->active;
    active.erase(std::find(active.begin(), active.end(), start.run));
    skip(*start.job, start.due, "the host is shutting down");
  }
  return false;
}

void Dispatcher::skip(ScheduledJob& job, std::chrono::sys_seconds due, const std::string& why) {
  ++job.fires_skipped;
  job.logger->warn(fire_text(job, due) + " skipped: " + why);
}

void Dispatcher::run(ScheduledJob& job, const std::shared_ptr<ScheduledJob::Run>& run,
                     std::chrono::sys_seconds due) {
  if (host_stop_.stop_requested()) {
    skip(job, due, "the host is shutting down");
  } else {
    // Shutdown reaches the run through its own stop source.
    std::stop_callback on_shutdown(host_stop_, [&run] { run->stop.request_stop(); });
    job.fire_lag.observe(std::chrono::system_clock::now() - due);
    if (job.policy.timeout) watchdog_.watch(job, run);
    const auto started = std::chrono::steady_clock::now();
    const RunOutcome outcome = run_once(job, clients_, run->stop.get_token(), due);
    const auto duration = std::chrono::steady_clock::now() - started;
    job.run_duration.observe(duration);
    run->done = true;
    const char* outcome_name = "ok";
    if (run->timed_out) {
      ++job.runs_timed_out;
      outcome_name = "timeout";
    } else if (outcome == RunOutcome::ok) {
      ++job.runs_ok;
    } else if (outcome == RunOutcome::stopped) {
      ++job.runs_stopped;
      outcome_name = "stopped";
    } else {
      ++job.runs_failed;
      outcome_name = "failed";
    }
    std::lock_guard lock(job.mutex);
    job.last_run = ScheduledJob::LastRun{due, outcome_name, duration, std::chrono::system_clock::now()};
  }
  std::vector<Start> waiting;
  {
    std::lock_guard lock(job.mutex);
    job.active.erase(std::find(job.active.begin(), job.active.end(), run));
    if (job.queued && job.active.empty() && !host_stop_.stop_requested()) {
      waiting.push_back({&job, new_run(job), *job.queued});
      job.queued.reset();
    }
  }
  submit(std::move(waiting));
}

}  // namespace jobhost::runtime
