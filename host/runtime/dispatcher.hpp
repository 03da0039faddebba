// Dispatcher: what a fire does. It applies the job's overlap policy, hands
// runs to the executor, has the watchdog enforce the job's timeout, counts
// outcomes, and starts the fire that a queue or replace policy kept waiting
// once the job is free. At shutdown it asks the running runs to stop; before
// a plugin is unloaded it retires and drains that plugin's jobs.
//
// The scheduler's fires are handed to the executor as they are, and the
// worker that takes one applies the overlap policy then, so that at a busy
// instant the workers on every core share that work, rather than the
// scheduler's thread doing it for all the fires while the workers wait.
//
// A run of a job whose plugin is in a worker process is only started by
// the executor's thread (PluginWorker::start_run), which goes on to the next
// fire; it ends on the thread that reads the worker's messages.
//
// Thread-safety: every public member may be called from any thread, except
// that prepare(), hand_out() and fire_all() are called by one
// thread at a time (the scheduler's). The executor's workers call back into
// it when they take a fire and when runs end.
// Lifetime: the executor, the client provider and the watchdog must outlive
// it, and it must outlive every run it started (shut_down(), the executor
// joined, then await_runs() returned empty). A job must outlive its fires and runs: it may be destroyed once
// drain() returned without it (or after shut_down() once the executor has
// joined), never while a fire of it may still be taken or a run of it start
// or end.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <span>
#include <vector>

#include "jobhost/client_provider.hpp"
#include "runtime/executor.hpp"
#include "runtime/job_runner.hpp"
#include "runtime/scheduled_job.hpp"
#include "runtime/watchdog.hpp"

namespace jobhost::runtime {

class Dispatcher {
 public:
  struct Fire {
    ScheduledJob* job;
    std::chrono::sys_seconds due;
  };

  Dispatcher(Executor& executor, ClientProvider& clients, Watchdog& watchdog)
      : executor_(executor), clients_(clients), watchdog_(watchdog) {}
  ~Dispatcher();
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  // What the overlap policy made of a fire.
  enum class FireOutcome {
    started,  // a run was handed to the executor
    waiting,  // it waits for the running run (queue, replace)
    skipped,  // it was skipped and logged
  };

  // Applies the overlap policy to a fire now, on the calling thread.
  FireOutcome fire(ScheduledJob& job, std::chrono::sys_seconds due);

  // Fires prepared for the executor, not handed out yet.
  struct PreparedFires {
    std::vector<std::function<void()>> tasks;
    std::vector<ScheduledJob*> jobs;
  };
  // Prepares `fires` to be handed out in one batch, those of jobs in worker
  // processes grouped by worker, up to 64 of one worker taken by one task
  // (starting a run there only queues it): each is admitted (its
  // job's overlap policy applied) by the worker that takes it, when it takes
  // it. A fire of a job whose previous fire no worker has taken yet (every
  // worker is busy) is skipped and logged here, so that the executor holds
  // at most one fire per job.
  PreparedFires prepare(std::span<const Fire> fires);
  // Hands prepared fires to the executor (skips them when it is closed).
  // Until then no other fire of their jobs may be prepared; prepared fires
  // that are never handed out are simply dropped.
  void hand_out(PreparedFires prepared);
  // prepare(), then hand_out().
  void fire_all(std::span<const Fire> fires);
  // Asks for the memory of `job` that a fire of it reads and writes, without
  // waiting for it: a caller about to fire many jobs calls it for each a
  // little ahead, so that their memory, which other cores wrote last,
  // arrives meanwhile. Reads nothing of the job.
  static void prefetch_for_fire(const ScheduledJob& job);

  // From now on no run starts (fires, and runs the executor has not started
  // yet, are skipped and logged), and the runs of `jobs` that have not
  // returned are asked to stop. Call it once the scheduler has stopped.
  void shut_down(std::span<ScheduledJob* const> jobs);

  // Retires `jobs`, whose plugin is about to be unloaded: from now on their
  // fires are skipped ("its plugin is being unloaded", counted in
  // stats.fires_skipped), the fire a queue or replace policy kept waiting is
  // dropped the same way, and a run the executor has not started yet is
  // skipped instead of run. Runs already running go on. Irreversible.
  void retire(std::span<ScheduledJob* const> jobs);

  // Retires `jobs`, asks their running runs to stop and waits up to
  // `timeout` for all of them to return. Returns the jobs that still have a
  // run (empty: fully drained, and the jobs may be destroyed: nothing of the
  // dispatcher, the executor or the watchdog touches them again). A job
  // returned must not be destroyed; a later drain() may succeed.
  std::vector<ScheduledJob*> drain(std::span<ScheduledJob* const> jobs, std::chrono::nanoseconds timeout);

  // After shut_down(): waits up to `timeout` for the runs of `jobs` to end
  // (the ones in worker processes end there, not on an executor thread).
  // Returns the jobs that still have a run, as drain() does.
  std::vector<ScheduledJob*> await_runs(std::span<ScheduledJob* const> jobs, std::chrono::nanoseconds timeout);

 private:
  using RunPtr = std::shared_ptr<Run>;
  // The system clock's time minus the steady clock's, read at once: a fire
  // instant minus it is that instant on the steady clock.
  using ClockOffset = std::chrono::nanoseconds;
  static ClockOffset clock_offset();
  static std::chrono::steady_clock::time_point on_steady_clock(std::chrono::sys_seconds due, ClockOffset offset);

  // A worker takes the fire handed out for `job`: admits it, and runs it if
  // admitted.
  void take_fire(ScheduledJob& job);
  // Adds a task taking the fires of `group` (emptied) to `prepared`.
  void add_group_task(PreparedFires& prepared, std::vector<ScheduledJob*>& group);

  // What the overlap policy makes of a fire; `run` is set to the run to
  // start when the outcome is `started`. Called with job.runs.mutex held.
  FireOutcome admit(ScheduledJob& job, std::chrono::sys_seconds due,
                    std::chrono::steady_clock::time_point due_on_steady_clock, RunPtr& run);
  // Marks a new run of `job` active. Called with job.runs.mutex held.
  static RunPtr new_run(ScheduledJob& job, std::chrono::sys_seconds due,
                        std::chrono::steady_clock::time_point due_on_steady_clock);
  // Hands the run to the executor; skips it (and returns false) when it is
  // closed.
  bool submit(const RunPtr& run);
  void skip(ScheduledJob& job, std::chrono::sys_seconds due, const std::string& why);
  // Runs `run` on an executor thread, or starts it in the job's worker
  // process; it stays alive in job.runs.active until it has ended.
  void run(Run& run);
  // `run` has ended: counts its outcome and releases it.
  void ran(Run& run, std::chrono::steady_clock::time_point started, const RunResult& result);
  // What a run that ran leaves in its job's statistics.
  struct Ended {
    JobStats::LastRun last_run;
    std::atomic<std::uint64_t>* count;  // of its outcome
  };
  // Takes `run` out of job.runs.active (counting `ended`, null for a run that
  // was skipped) and starts the fire its end let through (queue, replace).
  void release(Run& run, const Ended* ended);
  // Retires `job`. Called with job.runs.mutex held.
  void retire_locked(ScheduledJob& job);
  // Wakes drain() and await_runs(): a run of a retired job left
  // job.runs.active, or one ended during shutdown. Touches no job.
  void wake_drainers();

  Executor& executor_;
  ClientProvider& clients_;
  Watchdog& watchdog_;
  std::atomic<bool> shutting_down_{false};
  // Runs in workers ending now, on their workers' readers: the executor's
  // join covers the runs ending on its threads, not these.
  std::atomic<std::size_t> ends_elsewhere_{0};
  // drain() waits on `run_ended_` holding `drain_mutex_`, which is taken
  // before a job's mutex, never while one is held.
  std::mutex drain_mutex_;
  std::condition_variable run_ended_;
};

}  // namespace jobhost::runtime
