// JobRunState: a job's runs in flight, as the Dispatcher tracks them — the
// runs that have not returned, the fire waiting for them, the fire handed to
// the executor that no worker has taken yet, and whether the job is retired.
//
// Owned by the job; written only by the Dispatcher (and the Watchdog, which
// marks a Run as timed out), under `mutex` unless a member says otherwise.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <vector>

namespace jobhost::runtime {

struct ScheduledJob;
class RunContext;

// One run, from the moment its fire is handed to the executor until it has
// returned.
struct Run : std::enable_shared_from_this<Run> {
  Run(ScheduledJob& of, std::chrono::sys_seconds fire, std::chrono::steady_clock::time_point fire_on_steady_clock)
      : job(of), due(fire), due_on_steady_clock(fire_on_steady_clock) {}
  ScheduledJob& job;
  std::chrono::sys_seconds due;  // the fire it runs
  // `due` on the steady clock, as the clocks stood when the fire was handed
  // out: the run's lag is measured on the clock its duration needs anyway.
  std::chrono::steady_clock::time_point due_on_steady_clock;
  std::stop_source stop;               // requested at shutdown, timeout or replace
  std::atomic<bool> timed_out{false};  // its timeout passed while it ran
  // run() returned; with a timeout, set under the watchdog's lock (see
  // Watchdog::finished).
  std::atomic<bool> done{false};
  // Of a run in a worker process, which ends on another thread: when it
  // started, and its context, made on the first fire and kept as the run is
  // reused (RunContext::reschedule).
  std::chrono::steady_clock::time_point started;
  std::shared_ptr<RunContext> context;
  // Makes a run that returned the run of `fire`. A stop source whose stop
  // was requested is replaced; one never requested is kept (no allocation).
  void reuse(std::chrono::sys_seconds fire, std::chrono::steady_clock::time_point fire_on_steady_clock) {
    due = fire;
    due_on_steady_clock = fire_on_steady_clock;
    // Relaxed: the run reaches other threads through a lock (the job's, the
    // executor's), and a plain store does not wait for the line to arrive.
    timed_out.store(false, std::memory_order_relaxed);
    done.store(false, std::memory_order_relaxed);
    if (stop.stop_requested()) stop = std::stop_source();
  }
};

struct JobRunState {
  // Set by Dispatcher::retire() when the job's plugin is about to be
  // unloaded: no run of it starts again. Written under `mutex`.
  std::atomic<bool> retired{false};

  // A fire handed to the executor that no worker has taken yet.
  // Dispatcher::prepare() writes the fields below when it finds it clear,
  // and Dispatcher::hand_out() sets it just before the executor has the
  // fire; the worker that takes the fire reads them, applies the overlap
  // policy and clears it, under `mutex`.
  std::atomic<bool> fire_handed_out{false};
  std::chrono::sys_seconds handed_out_due{};
  std::chrono::steady_clock::time_point handed_out_due_on_steady_clock{};
  // The job whose fire was handed out a few places after this one's: the
  // worker taking this fire asks for its memory early. Only a hint, never
  // read through: that job may be gone by then.
  const ScheduledJob* handed_out_ahead = nullptr;

  // The runs that have not returned yet, and the fire waiting for them
  // (overlap queue or replace).
  std::mutex mutex;
  std::vector<std::shared_ptr<Run>> active;
  std::optional<std::chrono::sys_seconds> queued;
  // Runs that returned, reused by the next fires so that a fire allocates
  // nothing. Only of a job without a timeout: the watchdog may still hold a
  // run of one after it returned.
  std::vector<std::shared_ptr<Run>> idle_runs;

  // A run has not returned, or a fire handed out has not been taken yet.
  bool running() {
    std::lock_guard lock(mutex);
    return !active.empty() || fire_handed_out.load(std::memory_order_relaxed);
  }
};

}  // namespace jobhost::runtime
