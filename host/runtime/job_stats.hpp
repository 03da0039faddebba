// JobStats: what a job's fires and runs came to — counters, histograms and
// the last run — for /metrics, /jobs and `status`.
//
// Written by the Dispatcher (a run's outcome, under the job's run-state
// mutex; see JobRunState) and by the Scheduler (fires missed). Read without
// a lock by observe/ and control/, except last_run, which is read under the
// job's run-state mutex.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

#include "runtime/histogram.hpp"

namespace jobhost::runtime {

struct JobStats {
  // The last run that returned; guarded by the job's run-state mutex.
  struct LastRun {
    std::chrono::sys_seconds scheduled;
    const char* outcome;  // "ok", "failed", "stopped", "timeout", "killed"
    std::chrono::nanoseconds duration;
    std::chrono::system_clock::time_point finished;
  };
  std::optional<LastRun> last_run;

  // run_duration and the runs_ counters are written under the run-state
  // mutex (Histogram::observe_serialized, count_serialized()).
  Histogram run_duration{kRunDurationBounds};
  Histogram fire_lag{kFireLagBounds};  // a run's start minus its fire instant

  std::atomic<std::uint64_t> runs_ok{0};
  std::atomic<std::uint64_t> runs_failed{0};
  std::atomic<std::uint64_t> runs_stopped{0};
  std::atomic<std::uint64_t> runs_timed_out{0};
  std::atomic<std::uint64_t> runs_killed{0};  // its worker was killed (kill-grace, shutdown)
  std::atomic<std::uint64_t> fires_skipped{0};  // by the overlap policy
  std::atomic<std::uint64_t> fires_missed{0};   // passed while the host was down, late or the clock jumped, not caught up
};

// Adds one to a counter whose writers hold a lock: a plain load and store
// rather than an atomic read-modify-write (see Histogram::observe_serialized).
inline void count_serialized(std::atomic<std::uint64_t>& counter) {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

}  // namespace jobhost::runtime
