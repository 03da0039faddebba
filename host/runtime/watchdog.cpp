#include "runtime/watchdog.hpp"

#include "jobhost/duration.hpp"
#include "common/thread_name.hpp"

namespace jobhost::runtime {

Watchdog::Watchdog()
    : thread_([this] {
        name_this_thread("watchdog");
        loop();
      }) {}

Watchdog::~Watchdog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Watchdog::watch(std::shared_ptr<Run> run) {
  const auto at = std::chrono::steady_clock::now() +
                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(*run->job.spec.policy.timeout);
  {
    std::lock_guard lock(mutex_);
    deadlines_.push({at, std::move(run), false});
  }
  wake_.notify_all();
}

void Watchdog::finished(Run& run) {
  // expire() runs under the same lock and reaches the job only while the
  // run is not done.
  std::lock_guard lock(mutex_);
  run.done = true;
}

void Watchdog::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (deadlines_.empty()) {
      wake_.wait(lock);
      continue;
    }
    const auto next = deadlines_.front().at;  // a copy: pushes move the front while it waits
    if (std::chrono::steady_clock::now() < next) {
      wake_.wait_until(lock, next);
      continue;
    }
    expire(deadlines_.pop());
  }
}

void Watchdog::expire(const Deadline& deadline) {
  // Not done: the run has not left job.runs.active yet, so the job still exists,
  // and finished() waits for this to return before it may.
  auto run = deadline.run.lock();
  if (!run || run->done) return;
  ScheduledJob& job = run->job;
  if (!deadline.grace) {
    run->timed_out = true;
    run->stop.request_stop();
    job.spec.logger->warn("run timed out after " + format_duration(*job.spec.policy.timeout) + ": stop requested");
    const auto grace = std::chrono::duration_cast<std::chrono::steady_clock::duration>(job.spec.policy.kill_grace);
    deadlines_.push({deadline.at + grace, run, true});
  } else if (job.spec.worker) {
    const std::string why = "a run of " + job.spec.name + " was still running " +
                            format_duration(job.spec.policy.kill_grace) + " after its timeout asked it to stop";
    job.spec.logger->error("run is stuck: still running " + format_duration(job.spec.policy.kill_grace) +
                           " after its timeout asked it to stop; its worker is killed");
    job.spec.worker->kill_runs(why);
  } else {
    job.spec.logger->error("run is stuck: still running " + format_duration(job.spec.policy.kill_grace) +
                           " after its timeout asked it to stop");
  }
}

}  // namespace jobhost::runtime
