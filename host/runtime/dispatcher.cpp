#include "runtime/dispatcher.hpp"

#include <algorithm>
#include <optional>
#include <thread>

#include "common/write_batch.hpp"
#include "runtime/job_runner.hpp"
#include "runtime/run_context.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::runtime {
namespace {

constexpr const char* kUnloading = "its plugin is being unloaded";
// How far ahead in a hand-out a fire's worker prefetches (see
// JobRunState::handed_out_ahead): a few runs' time, enough for memory
// another core wrote to arrive.
constexpr std::size_t kLookAhead = 8;
// Fires of jobs in one worker process taken by one task: starting a run
// there only queues it, and a task that starts many writes the worker once
// (write_batch.hpp); a plugin with thousands of jobs still has its fires
// taken by every executor thread.
constexpr std::size_t kMostFiresTakenTogether = 64;

// Asks for every cache line of `*object` at once, for writing, rather than
// waiting for each in turn as the code reaches it. Never reads it: a
// prefetch of memory that is gone does nothing.
template <typename T>
void prefetch_for_write(const T* object) {
  constexpr std::size_t kCacheLine = 64;
  const char* begin = reinterpret_cast<const char*>(object);
  for (std::size_t offset = 0; offset < sizeof(T); offset += kCacheLine) __builtin_prefetch(begin + offset, 1);
}

std::string fire_text(const ScheduledJob& job, std::chrono::sys_seconds due) {
  return "fire at " + schedule::format_iso8601(due, job.spec.schedule->zone());
}

// `fires` with those of jobs in worker processes grouped by worker (in their
// order otherwise), so that one task takes a worker's fires and writes to it
// once; nothing when no job has a worker.
std::vector<Dispatcher::Fire> grouped_by_worker(std::span<const Dispatcher::Fire> fires) {
  if (std::none_of(fires.begin(), fires.end(), [](const Dispatcher::Fire& fire) { return fire.job->spec.worker; })) {
    return {};  // nothing allocated on a daemon without worker processes
  }
  std::vector<std::pair<const PluginWorker*, std::size_t>> keys;
  keys.reserve(fires.size());
  for (std::size_t i = 0; i < fires.size(); ++i) keys.emplace_back(fires[i].job->spec.worker.get(), i);
  std::sort(keys.begin(), keys.end());
  std::vector<Dispatcher::Fire> grouped;
  grouped.reserve(fires.size());
  for (const auto& [worker, i] : keys) grouped.push_back(fires[i]);
  return grouped;
}

}  // namespace

void Dispatcher::prefetch_for_fire(const ScheduledJob& job) {
  // The lines prepare() reads and writes: the flags and the fire handed out.
  __builtin_prefetch(&job.paused);
  __builtin_prefetch(&job.runs.fire_handed_out, 1);
  __builtin_prefetch(&job.runs.handed_out_ahead, 1);
}

Dispatcher::~Dispatcher() {
  // A run in a worker that await_runs() saw end may still be returning from
  // release() on the worker's reader.
  while (ends_elsewhere_.load(std::memory_order_acquire) != 0) std::this_thread::yield();
}

Dispatcher::ClockOffset Dispatcher::clock_offset() {
  return std::chrono::system_clock::now().time_since_epoch() - std::chrono::steady_clock::now().time_since_epoch();
}

std::chrono::steady_clock::time_point Dispatcher::on_steady_clock(std::chrono::sys_seconds due, ClockOffset offset) {
  return std::chrono::steady_clock::time_point(due.time_since_epoch() - offset);
}

Dispatcher::FireOutcome Dispatcher::fire(ScheduledJob& job, std::chrono::sys_seconds due) {
  const auto due_on_steady_clock = on_steady_clock(due, clock_offset());
  RunPtr run;
  FireOutcome outcome;
  {
    std::lock_guard lock(job.runs.mutex);
    outcome = admit(job, due, due_on_steady_clock, run);
  }
  if (outcome == FireOutcome::started && !submit(run)) return FireOutcome::skipped;
  return outcome;
}

Dispatcher::PreparedFires Dispatcher::prepare(std::span<const Fire> fires) {
  const std::vector<Fire> grouped = grouped_by_worker(fires);
  if (!grouped.empty()) fires = grouped;
  const ClockOffset offset = clock_offset();
  PreparedFires prepared;
  prepared.tasks.reserve(fires.size());
  prepared.jobs.reserve(fires.size());
  std::vector<ScheduledJob*> group;  // consecutive fires of jobs in one worker process
  for (const Fire& fire : fires) {
    ScheduledJob& job = *fire.job;
    if (job.runs.fire_handed_out.load(std::memory_order_acquire)) {
      skip(job, fire.due, "its previous fire has not started yet (every worker is busy)");
      continue;
    }
    job.runs.handed_out_due = fire.due;
    job.runs.handed_out_due_on_steady_clock = on_steady_clock(fire.due, offset);
    job.runs.handed_out_ahead = nullptr;  // until a fire kLookAhead places later is prepared
    if (prepared.jobs.size() >= kLookAhead) prepared.jobs[prepared.jobs.size() - kLookAhead]->runs.handed_out_ahead = &job;
    prepared.jobs.push_back(&job);
    if (!group.empty() && (group.size() == kMostFiresTakenTogether || group.front()->spec.worker != job.spec.worker)) {
      add_group_task(prepared, group);
    }
    if (job.spec.worker) {
      group.push_back(&job);
    } else {
      // Two pointers: small enough for std::function to hold without allocating.
      prepared.tasks.emplace_back([this, &job] { take_fire(job); });
    }
  }
  add_group_task(prepared, group);
  return prepared;
}

void Dispatcher::add_group_task(PreparedFires& prepared, std::vector<ScheduledJob*>& group) {
  if (group.empty()) return;
  prepared.tasks.emplace_back([this, jobs = std::move(group)] {
    for (ScheduledJob* job : jobs) take_fire(*job);
  });
  group.clear();
}

void Dispatcher::hand_out(PreparedFires prepared) {
  if (prepared.tasks.empty()) return;
  // Before the executor has them: a worker may take one at once. Published
  // to the workers by the executor's lock.
  for (ScheduledJob* job : prepared.jobs) job->runs.fire_handed_out.store(true, std::memory_order_relaxed);
  if (executor_.submit_all(std::move(prepared.tasks))) return;
  for (ScheduledJob* job : prepared.jobs) {
    skip(*job, job->runs.handed_out_due, "the host is shutting down");
    job->runs.fire_handed_out.store(false, std::memory_order_relaxed);
  }
}

void Dispatcher::fire_all(std::span<const Fire> fires) { hand_out(prepare(fires)); }

void Dispatcher::take_fire(ScheduledJob& job) {
  prefetch_for_write(&job);
  if (job.runs.handed_out_ahead) prefetch_for_write(job.runs.handed_out_ahead);
  RunPtr run;
  bool retired;
  {
    std::lock_guard lock(job.runs.mutex);
    const std::chrono::sys_seconds due = job.runs.handed_out_due;
    const auto due_on_steady_clock = job.runs.handed_out_due_on_steady_clock;
    admit(job, due, due_on_steady_clock, run);
    // Once admitted, so that whoever sees it clear sees what admit() did.
    job.runs.fire_handed_out.store(false, std::memory_order_release);
    retired = job.runs.retired.load(std::memory_order_relaxed);
  }
  // A drain() may destroy the job from here on unless `run` keeps it active.
  if (run) {
    this->run(*run);
  } else if (retired) {
    wake_drainers();
  }
}

void Dispatcher::shut_down(std::span<ScheduledJob* const> jobs) {
  // A run admitted after a job's sweep below is admitted under its mutex, so
  // its worker sees the flag and skips it.
  shutting_down_ = true;
  for (ScheduledJob* job : jobs) {
    std::lock_guard lock(job->runs.mutex);
    for (const auto& running : job->runs.active) running->stop.request_stop();
  }
}

void Dispatcher::retire(std::span<ScheduledJob* const> jobs) {
  for (ScheduledJob* job : jobs) {
    std::lock_guard lock(job->runs.mutex);
    retire_locked(*job);
  }
}

void Dispatcher::retire_locked(ScheduledJob& job) {
  // Under the mutex, like admit(), so no fire is admitted or queued after it.
  job.runs.retired = true;
  if (job.runs.queued) {
    skip(job, *job.runs.queued, kUnloading);
    job.runs.queued.reset();
  }
}

std::vector<ScheduledJob*> Dispatcher::drain(std::span<ScheduledJob* const> jobs, std::chrono::nanoseconds timeout) {
  for (ScheduledJob* job : jobs) {
    std::lock_guard lock(job->runs.mutex);
    retire_locked(*job);
    for (const auto& running : job->runs.active) running->stop.request_stop();
  }
  return await_runs(jobs, timeout);
}

std::vector<ScheduledJob*> Dispatcher::await_runs(std::span<ScheduledJob* const> jobs,
                                                  std::chrono::nanoseconds timeout) {
  using std::chrono::steady_clock;
  const auto now = steady_clock::now();
  const auto wait = std::chrono::duration_cast<steady_clock::duration>(timeout);
  const auto deadline = wait >= steady_clock::time_point::max() - now ? steady_clock::time_point::max() : now + wait;
  std::vector<ScheduledJob*> running;
  // A run of a retired job that leaves job.runs.active after the check below
  // notifies under drain_mutex_, so not before this waits.
  std::unique_lock lock(drain_mutex_);
  for (;;) {
    running.clear();
    for (ScheduledJob* job : jobs) {
      if (job->running()) running.push_back(job);
    }
    if (running.empty() || steady_clock::now() >= deadline) return running;
    run_ended_.wait_until(lock, deadline);
  }
}

void Dispatcher::wake_drainers() {
  std::lock_guard lock(drain_mutex_);
  run_ended_.notify_all();
}

Dispatcher::FireOutcome Dispatcher::admit(ScheduledJob& job, std::chrono::sys_seconds due,
                                          std::chrono::steady_clock::time_point due_on_steady_clock, RunPtr& run) {
  if (job.runs.retired.load(std::memory_order_relaxed)) {  // written under job.runs.mutex, held here
    skip(job, due, kUnloading);
    return FireOutcome::skipped;
  }
  const JobPolicy& policy = job.spec.policy;
  if (job.runs.active.empty() || (policy.overlap == Overlap::allow && job.runs.active.size() < policy.max_concurrent)) {
    run = new_run(job, due, due_on_steady_clock);
    return FireOutcome::started;
  }
  switch (policy.overlap) {
    case Overlap::skip:
      skip(job, due, "the previous run is still running (overlap policy: skip)");
      return FireOutcome::skipped;
    case Overlap::allow:
      skip(job, due, std::to_string(job.runs.active.size()) + " runs are running (overlap policy: allow, " +
                         "max-concurrent " + std::to_string(policy.max_concurrent) + ")");
      return FireOutcome::skipped;
    case Overlap::queue:
      if (job.runs.queued) {
        skip(job, due, "a run is running and another is queued (overlap policy: queue)");
        return FireOutcome::skipped;
      }
      job.runs.queued = due;
      job.spec.logger->info(fire_text(job, due) + " queued until the running run ends (overlap policy: queue)");
      return FireOutcome::waiting;
    case Overlap::replace:
      if (job.runs.queued) skip(job, *job.runs.queued, "replaced by a later fire (overlap policy: replace)");
      job.runs.queued = due;
      for (const auto& running : job.runs.active) running->stop.request_stop();
      job.spec.logger->info(fire_text(job, due) + ": asked the running run to stop (overlap policy: replace)");
      return FireOutcome::waiting;
  }
  return FireOutcome::skipped;
}

Dispatcher::RunPtr Dispatcher::new_run(ScheduledJob& job, std::chrono::sys_seconds due,
                                       std::chrono::steady_clock::time_point due_on_steady_clock) {
  RunPtr run;
  if (job.runs.idle_runs.empty()) {
    run = std::make_shared<Run>(job, due, due_on_steady_clock);
  } else {
    run = std::move(job.runs.idle_runs.back());
    job.runs.idle_runs.pop_back();
    run->reuse(due, due_on_steady_clock);
  }
  job.runs.active.push_back(run);
  return run;
}

bool Dispatcher::submit(const RunPtr& run) {
  // Two pointers: small enough for std::function to hold without allocating.
  // job.runs.active keeps the run alive until run() has returned.
  if (executor_.submit([this, run = run.get()] { this->run(*run); })) return true;
  ScheduledJob& job = run->job;
  bool retired;
  {
    std::lock_guard lock(job.runs.mutex);
    job.runs.active.erase(std::find(job.runs.active.begin(), job.runs.active.end(), run));
    skip(job, run->due, "the host is shutting down");
    retired = job.runs.retired;
  }
  if (retired) wake_drainers();
  return false;
}

void Dispatcher::skip(ScheduledJob& job, std::chrono::sys_seconds due, const std::string& why) {
  ++job.stats.fires_skipped;
  job.spec.logger->warn(fire_text(job, due) + " skipped: " + why);
}

void Dispatcher::run(Run& run) {
  ScheduledJob& job = run.job;
  // A run reads or counts in nearly every line of its job, which another
  // core wrote last (the scheduler's, or the worker of its previous run).
  prefetch_for_write(&job);
  if (shutting_down_) {
    skip(job, run.due, "the host is shutting down");
    return release(run, nullptr);
  }
  if (job.runs.retired) {
    skip(job, run.due, kUnloading);
    return release(run, nullptr);
  }
  const auto started = std::chrono::steady_clock::now();
  job.stats.fire_lag.observe(started - run.due_on_steady_clock);
  if (job.spec.policy.timeout) watchdog_.watch(run.shared_from_this());
  if (!job.spec.worker) {
    // The run may take long: what this thread's claim sent before it goes now.
    WriteBatch::flush_open();
    return ran(run, started, run_once(job, clients_, run.stop, run.due, started));
  }
  // In a worker process: this thread only sends the run, and the worker's
  // reader ends it. The context lives as long as the run.
  log_run_start(job, run.due);
  run.started = started;
  if (run.context) {
    run.context->reschedule(run.due);
  } else {
    run.context = std::make_shared<RunContext>(job, clients_, run.stop, run.due);
  }
  // Two pointers: small enough for std::function to hold without allocating.
  job.spec.worker->start_run(job.spec.definition->name, *run.context, [this, &run](std::exception_ptr thrown) {
    ends_elsewhere_.fetch_add(1, std::memory_order_relaxed);
    ran(run, run.started, run_result(run.job, run.started, thrown));
    // The last touch of this dispatcher (see ~Dispatcher).
    ends_elsewhere_.fetch_sub(1, std::memory_order_release);
  });
}

void Dispatcher::ran(Run& run, std::chrono::steady_clock::time_point started, const RunResult& result) {
  ScheduledJob& job = run.job;
  if (job.spec.policy.timeout) {
    watchdog_.finished(run);  // after it, run.timed_out is settled
  } else {
    run.done.store(true, std::memory_order_release);
  }
  Ended ended{.last_run = {}, .count = &job.stats.runs_ok};
  const char* outcome_name = "ok";
  if (result.outcome == RunOutcome::killed) {
    ended.count = &job.stats.runs_killed;
    outcome_name = "killed";
  } else if (run.timed_out) {
    ended.count = &job.stats.runs_timed_out;
    outcome_name = "timeout";
  } else if (result.outcome == RunOutcome::stopped) {
    ended.count = &job.stats.runs_stopped;
    outcome_name = "stopped";
  } else if (result.outcome == RunOutcome::failed) {
    ended.count = &job.stats.runs_failed;
    outcome_name = "failed";
  }
  // On the system clock, as it stood when the fire was handed out.
  const auto lag = started - run.due_on_steady_clock;
  const auto finished = run.due + std::chrono::duration_cast<std::chrono::system_clock::duration>(lag + result.duration);
  ended.last_run = JobStats::LastRun{run.due, outcome_name, result.duration, finished};
  release(run, &ended);
}

void Dispatcher::release(Run& run, const Ended* ended) {
  ScheduledJob& job = run.job;
  RunPtr waiting;
  bool retired;
  {
    std::lock_guard lock(job.runs.mutex);
    if (ended) {
      job.stats.last_run = ended->last_run;
      job.stats.run_duration.observe_serialized(ended->last_run.duration);
      count_serialized(*ended->count);
    }
    // From here on, `job` (and `run` with it) may be destroyed by a drain()
    // unless `waiting` keeps it active: read nothing of either after the lock.
    const auto it = std::find_if(job.runs.active.begin(), job.runs.active.end(),
                                 [&run](const RunPtr& active) { return active.get() == &run; });
    if (!job.spec.policy.timeout) job.runs.idle_runs.push_back(std::move(*it));
    job.runs.active.erase(it);
    retired = job.runs.retired;
    // A retired job has nothing queued (retire_locked dropped it).
    if (job.runs.queued && job.runs.active.empty() && !shutting_down_) {
      waiting = new_run(job, *job.runs.queued, on_steady_clock(*job.runs.queued, clock_offset()));
      job.runs.queued.reset();
    }
  }
  if (retired || shutting_down_) wake_drainers();
  if (waiting) submit(waiting);
}

}  // namespace jobhost::runtime
