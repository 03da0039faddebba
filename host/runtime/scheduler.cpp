#include "runtime/scheduler.hpp"

#include "common/duration.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::runtime {
namespace {

// A fire handled later than this is reported as late (a stalled host, a
// suspended machine).
constexpr auto kLateAfter = std::chrono::seconds(1);

}  // namespace

Scheduler::Scheduler(std::vector<ScheduledJob*> jobs, Dispatcher& dispatcher, std::shared_ptr<spdlog::logger> log)
    : jobs_(std::move(jobs)), dispatcher_(dispatcher), log_(std::move(log)) {}

std::chrono::nanoseconds Scheduler::jitter_delay(std::chrono::nanoseconds jitter, std::chrono::nanoseconds until_next,
                                                 std::minstd_rand& random) {
  // Strictly before the next fire, so that fire still finds this one started.
  const auto bound = std::min(jitter, until_next - std::chrono::milliseconds(1));
  if (bound <= std::chrono::nanoseconds::zero()) return std::chrono::nanoseconds::zero();
  std::uniform_int_distribution<std::int64_t> delay(0, bound.count());
  return std::chrono::nanoseconds(delay(random));
}

Scheduler::Entry Scheduler::entry_for(ScheduledJob& job, std::chrono::sys_seconds due) {
  Entry entry{due, due, &job};
  if (job.policy.jitter > std::chrono::nanoseconds::zero()) {
    entry.dispatch_at += jitter_delay(job.policy.jitter, job.schedule->next(due) - due, random_);
  }
  return entry;
}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
  const auto now = std::chrono::system_clock::now();
  for (ScheduledJob* job : jobs_) {
    if (!job->enabled) continue;
    heap_.push(entry_for(*job, job->schedule->next(now)));
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
    if (next.dispatch_at > now) {
      // Sleeps on the steady clock; a wake-up for any reason re-evaluates.
      wake_.wait_for(lock, next.dispatch_at - now);
      continue;
    }
    heap_.pop();
    if (now - next.dispatch_at > kLateAfter) {
      log_->warn("{}: fire at {} is {} late", next.job->name, schedule::format_iso8601(next.due, next.job->schedule->zone()),
                 format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(now - next.due)));
    }
    dispatcher_.fire(*next.job, next.due);
    // Fires missed while the host could not keep up are not run twice: the
    // next fire is the first one after both the due time and now.
    heap_.push(entry_for(*next.job, next.job->schedule->next(std::max<std::chrono::system_clock::time_point>(
                                        next.due, now - (next.dispatch_at - next.due)))));
  }
}

}  // namespace jobhost::runtime
