// ScheduledJob: one job as the host runs it — the plugin's definition plus
// what the configuration made of it, and its run-time state.
//
// Ownership: the Host owns every ScheduledJob; the scheduler and the executor
// refer to them and never outlive the Host's jobs. `definition` keeps the
// plugin's library loaded for as long as the job exists.
// Thread-safety: the configuration members are immutable once the job is
// built; the run-time state is atomic or guarded by `mutex`.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include "jobhost/logger.hpp"
#include "jobhost/plugin.hpp"
#include "jobhost/settings.hpp"
#include "runtime/histogram.hpp"
#include "runtime/job_policy.hpp"
#include "schedule/schedule.hpp"

namespace jobhost::runtime {

struct ScheduledJob {
  std::string name;  // "PLUGIN.JOB"
  std::shared_ptr<const JobDefinition> definition;
  std::unique_ptr<schedule::Schedule> schedule;
  bool enabled = true;
  // Set by `jobhost pause`: its fires are not run (nor caught up later).
  std::atomic<bool> paused{false};
  // Set by Dispatcher::retire() when its plugin is about to be unloaded:
  // no run of it starts again. Written under `mutex`.
  std::atomic<bool> retired{false};
  Settings settings;  // the plugin's settings with the job's own laid over them
  std::filesystem::path state_dir;
  std::unique_ptr<Logger> logger;  // named after the job

  JobPolicy policy;

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
  // (overlap queue or replace); guarded by `mutex`.
  std::mutex mutex;
  std::vector<std::shared_ptr<Run>> active;
  std::optional<std::chrono::sys_seconds> queued;
  // Runs that returned, reused by the next fires so that a fire allocates
  // nothing. Only of a job without a timeout: the watchdog may still hold a
  // run of one after it returned. Guarded by `mutex`.
  std::vector<std::shared_ptr<Run>> idle_runs;

  // A run has not returned, or a fire handed out has not been taken yet.
  bool running() {
    std::lock_guard lock(mutex);
    return !active.empty() || fire_handed_out.load(std::memory_order_relaxed);
  }

  // The last run that returned; guarded by `mutex`.
  struct LastRun {
    std::chrono::sys_seconds scheduled;
    const char* outcome;  // "ok", "failed", "stopped", "timeout"
    std::chrono::nanoseconds duration;
    std::chrono::system_clock::time_point finished;
  };
  std::optional<LastRun> last_run;

  // The next fire the scheduler planned, in seconds since the epoch; 0 when
  // none is planned.
  std::atomic<std::int64_t> next_fire{0};

  // Read without a lock. run_duration and the runs_ counters are written
  // under `mutex` (Histogram::observe_serialized, count_serialized()).
  Histogram run_duration{kRunDurationBounds};
  Histogram fire_lag{kFireLagBounds};  // a run's start minus its fire instant

  std::atomic<std::uint64_t> runs_ok{0};
  std::atomic<std::uint64_t> runs_failed{0};
  std::atomic<std::uint64_t> runs_stopped{0};
  std::atomic<std::uint64_t> runs_timed_out{0};
  std::atomic<std::uint64_t> fires_skipped{0};  // by the overlap policy
  std::atomic<std::uint64_t> fires_missed{0};   // passed while the host was down, late or the clock jumped, not caught up
};

// Adds one to a counter whose writers hold a lock: a plain load and store
// rather than an atomic read-modify-write (see Histogram::observe_serialized).
inline void count_serialized(std::atomic<std::uint64_t>& counter) {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

}  // namespace jobhost::runtime
