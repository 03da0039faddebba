// Scheduler: the one thread that decides when jobs fire.
//
// It keeps the next fire instant of every enabled job in a min-heap and
// sleeps on the wall clock until the earliest one is due (no polling). At a
// wake-up it records in the state store that every fire due by now is
// handed out (one row, however many: see state::FireState), takes the due
// fires off the heap and hands them to the dispatcher (overlap policy,
// executor) a chunk at a time, then plans their next fires.
// A job with jitter is dispatched a random delay after its fire instant —
// never as late as its next one — while the run still sees the fire instant
// as its scheduled time.
//
// Missed fires: at start-up (from the last fires in the state store), when
// the wall clock changes (a step, a resume from suspend) and when a fire is
// handled more than a second late, the fires that passed unhandled go
// through the job's misfire policy (missed_fires.hpp): one catch-up run or
// none, and a log line saying what was skipped. A fire at or before a job's
// last handed-out fire never runs again, whichever way the clock moved.
//
// Thread-safety: start() and stop() are called by the owner; the scheduler
// thread is the only one that touches the heap and the store once started.
// Lifetime: the jobs, the dispatcher, the clock and the store must outlive
// the scheduler; stop() (or the destructor) returns only when the thread has
// exited.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "runtime/clock.hpp"
#include "runtime/dispatcher.hpp"
#include "runtime/scheduled_job.hpp"
#include "state/state_store.hpp"

namespace jobhost::runtime {

class Scheduler {
 public:
  // `store` may be null: then nothing is remembered across restarts.
  Scheduler(std::vector<ScheduledJob*> jobs, Dispatcher& dispatcher, Clock& clock, state::StateStore* store,
            std::shared_ptr<spdlog::logger> log);
  ~Scheduler();

  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // Reads the last fires from the store, applies the misfire policy to what
  // was missed while the host was down, and starts the thread. Throws
  // state::StateError when the store cannot be read.
  void start();
  // Stops firing and joins the thread. Runs already handed out go on.
  void stop();

  // A random delay in [0, jitter] that stays before the job's next fire
  // (`until_next` after this one).
  static std::chrono::nanoseconds jitter_delay(std::chrono::nanoseconds jitter, std::chrono::nanoseconds until_next,
                                               std::minstd_rand& random);

 private:
  using sys_seconds = std::chrono::sys_seconds;

  struct Slot {
    ScheduledJob* job;
    std::chrono::seconds starting_deadline;
    std::optional<sys_seconds> last_fire;  // the last fire handed out
  };
  struct Entry {
    Clock::time_point dispatch_at;  // the fire instant plus any jitter
    sys_seconds due;                // the fire instant
    sys_seconds planned_after;      // `due` is the first fire after this
    std::size_t slot;
    bool operator>(const Entry& other) const { return dispatch_at > other.dispatch_at; }
  };
  struct Fire {
    std::size_t slot;
    sys_seconds due;
  };

  void loop();
  // Hands out the fires due at `now`.
  void fire_due(Clock::time_point now);
  // Applies the misfire policy to the fires of `slot` in (after, now], then
  // plans its next fire after now. `while_` says what happened, for the log.
  void catch_up(std::size_t slot, sys_seconds after, Clock::time_point now, const char* while_,
                std::vector<Fire>& fires);
  // Replans every job after the wall clock changed.
  void replan(Clock::time_point now);
  // Pushes the slot's first fire after both `after` and its last fire.
  void plan(std::size_t slot, sys_seconds after);
  // record(), then dispatch().
  void hand_out(const std::vector<Fire>& fires, Clock::time_point now);
  // Records in the store that every fire through `now` was handed out, and
  // these fires of jobs with jitter.
  void record(const std::vector<Fire>& fires, Clock::time_point now);
  // Hands the fires of jobs not paused to the dispatcher.
  void dispatch(const std::vector<Fire>& fires);
  bool has_jitter(const std::vector<Fire>& fires) const;
  // The job's last fire handed out, as the store knows it.
  static std::optional<sys_seconds> last_fire_in(const state::FireState& state, const ScheduledJob& job);

  std::vector<Slot> slots_;
  Dispatcher& dispatcher_;
  Clock& clock_;
  state::StateStore* store_;
  std::shared_ptr<spdlog::logger> log_;
  std::minstd_rand random_{std::random_device{}()};

  std::optional<sys_seconds> handed_out_through_;  // see state::FireState
  bool store_failing_ = false;                     // the last record() failed; logged once
  std::atomic<bool> stopping_{false};
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> heap_;
  // fire_due(): the chunk of fires being handed out, and the fires on time,
  // whose next fires are planned once all are handed out.
  std::vector<Fire> due_fires_;
  std::vector<Fire> on_time_fires_;
  std::thread thread_;
};

}  // namespace jobhost::runtime
