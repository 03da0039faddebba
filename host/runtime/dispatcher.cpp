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

void Dispatcher::fire(ScheduledJob& job, std::chrono::sys_seconds due) {
  std::unique_lock lock(job.mutex);
  if (job.active.empty()) return start(job, due, lock);
  const JobPolicy& policy = job.policy;
  switch (policy.overlap) {
    case Overlap::skip:
      return skip(job, due, "the previous run is still running (overlap policy: skip)");
    case Overlap::allow:
      if (job.active.size() < policy.max_concurrent) return start(job, due, lock);
      return skip(job, due, std::to_string(job.active.size()) + " runs are running (overlap policy: allow, " +
                                "max-concurrent " + std::to_string(policy.max_concurrent) + ")");
    case Overlap::queue:
      if (job.queued) return skip(job, due, "a run is running and another is queued (overlap policy: queue)");
      job.queued = due;
      job.logger->info(fire_text(job, due) + " queued until the running run ends (overlap policy: queue)");
      return;
    case Overlap::replace:
      if (job.queued) skip(job, *job.queued, "replaced by a later fire (overlap policy: replace)");
      job.queued = due;
      for (const auto& running : job.active) running->stop.request_stop();
      job.logger->info(fire_text(job, due) + ": asked the running run to stop (overlap policy: replace)");
      return;
  }
}

void Dispatcher::skip(ScheduledJob& job, std::chrono::sys_seconds due, const std::string& why) {
  ++job.fires_skipped;
  job.logger->warn(fire_text(job, due) + " skipped: " + why);
}

void Dispatcher::start(ScheduledJob& job, std::chrono::sys_seconds due, std::unique_lock<std::mutex>&) {
  auto run = std::make_shared<ScheduledJob::Run>();
  job.active.push_back(run);
  const bool queued = executor_.submit([this, &job, run, due] { this->run(job, run, due); });
  if (!queued) {
    job.active.erase(std::find(job.active.begin(), job.active.end(), run));
    skip(job, due, "the host is shutting down");
  }
}

void Dispatcher::run(ScheduledJob& job, const std::shared_ptr<ScheduledJob::Run>& run,
                     std::chrono::sys_seconds due) {
  if (host_stop_.stop_requested()) {
    skip(job, due, "the host is shutting down");
  } else {
    // Shutdown reaches the run through its own stop source.
    std::stop_callback on_shutdown(host_stop_, [&run] { run->stop.request_stop(); });
    if (job.policy.timeout) watchdog_.watch(job, run);
    const RunOutcome outcome = run_once(job, clients_, run->stop.get_token(), due);
    run->done = true;
    if (run->timed_out) {
      ++job.runs_timed_out;
    } else if (outcome == RunOutcome::ok) {
      ++job.runs_ok;
    } else if (outcome == RunOutcome::stopped) {
      ++job.runs_stopped;
    } else {
      ++job.runs_failed;
    }
  }
  std::unique_lock lock(job.mutex);
  job.active.erase(std::find(job.active.begin(), job.active.end(), run));
  if (job.queued && job.active.empty() && !host_stop_.stop_requested()) {
    const auto waiting = *job.queued;
    job.queued.reset();
    start(job, waiting, lock);
  }
}

}  // namespace jobhost::runtime
