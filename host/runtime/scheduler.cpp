#include "runtime/scheduler.hpp"

#include "common/duration.hpp"
#include "runtime/job_runner.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::runtime {
namespace {

// A fire handled later than this is reported as late (a stalled host, a
// suspended machine).
constexpr auto kLateAfter = std::chrono::seconds(1);

}  // namespace

Scheduler::Scheduler(std::vector<ScheduledJob*> jobs, Executor& executor, ClientProvider& clients,
                     std::stop_token stop, std::shared_ptr<spdlog::logger> log)
    : jobs_(std::move(jobs)), executor_(executor), clients_(clients), run_stop_(std::move(stop)),
      log_(std::move(log)) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
  const auto now = std::chrono::system_clock::now();
  for (ScheduledJob* job : jobs_) {
    if (!job->enabled) continue;
    heap_.push({job->schedule->next(now), job});
  }
  thread_ = std::thread([this] { loop(); });
}

void Scheduler::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Scheduler::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    if (heap_.empty()) {
      wake_.wait(lock, [this] { return stopping_; });
      break;
    }
    const Entry next = heap_.top();
    const auto now = std::chrono::system_clock::now();
    if (next.due > now) {
      // Sleeps on the steady clock; a wake-up for any reason re-evaluates.
      wake_.wait_for(lock, next.due - now);
      continue;
    }
    heap_.pop();
    if (now - next.due > kLateAfter) {
      log_->warn("{}: fire at {} is {} late", next.job->name, schedule::format_iso8601_local(next.due),
                 format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(now - next.due)));
    }
    fire(*next.job, next.due);
    // Fires missed while the host could not keep up are not run twice: the
    // next fire is the first one after both the due time and now.
    heap_.push({next.job->schedule->next(std::max<std::chrono::system_clock::time_point>(next.due, now)), next.job});
  }
}

void Scheduler::fire(ScheduledJob& job, std::chrono::sys_seconds due) {
  if (job.running.exchange(true)) {
    ++job.fires_skipped;
    job.logger->warn("fire at " + schedule::format_iso8601_local(due) +
                     " skipped: the previous run is still running (overlap policy: skip)");
    return;
  }
  const bool queued = executor_.submit([this, &job, due] {
    if (run_stop_.stop_requested()) {
      ++job.fires_skipped;
      job.logger->warn("fire at " + schedule::format_iso8601_local(due) + " not started: the host is shutting down");
    } else {
      run_once(job, clients_, run_stop_, due);
    }
    job.running = false;
  });
  if (!queued) {
    job.running = false;
    ++job.fires_skipped;
    job.logger->warn("fire at " + schedule::format_iso8601_local(due) + " not started: the host is shutting down");
  }
}

}  // namespace jobhost::runtime
