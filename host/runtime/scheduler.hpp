// Scheduler: the one thread that decides when jobs fire.
//
// It keeps the next fire instant of every enabled job in a min-heap and
// sleeps on the wall clock until the earliest one is due (no polling).
// Shortly before an instant (twice as long as that took last time, 1 ms to
// 100 ms) it stages the instant's fires: takes them off the heap, plans
// their next fires and has the dispatcher prepare them. At the instant it
// records in the state store that every fire due by now is handed out (one
// row, however many: see state::FireState) and hands the prepared fires to
// the executor in one step; the workers apply the overlap policies. So the
// first run starts one store write after the instant, and the scheduler
// leaves the cores to the workers. A command, a clock change or a stop
// between staging and the instant first puts the staged fires back. Fires
// found due without having been staged (a late wake-up) are taken off the
// heap and handed out a chunk at a time, then planned. A job's `next_fire`
// moves on once its fire is staged.
// A job with jitter is dispatched a random delay after its fire instant —
// never as late as its next one — while the run still sees the fire instant
// as its scheduled time.
//
// What was handed out is kept in the state store by the FireLog
// (fire_log.hpp). Once a wake-up's fires are handed out and planned, the
// store's log is copied into its file when due, so that the disk sync this
// takes never delays a run.
//
// Missed fires: at start-up (from the last fires in the state store), when
// the wall clock changes (a step, a resume from suspend) and when a fire is
// handled more than a second late, the fires that passed unhandled go
// through the job's misfire policy (missed_fires.hpp): one catch-up run or
// none, and a log line saying what was skipped. A fire at or before a job's
// last handed-out fire never runs again, whichever way the clock moved.
//
// Jobs come and go while it runs (a plugin dropped in, replaced, removed):
// add() and remove() queue a command that the scheduler thread applies at
// its next wake-up (they interrupt its sleep). An added job is planned like
// a job at start-up, from the last fire the scheduler or the store knows for
// its name, so that the job of a replaced plugin neither repeats the fires
// of the job it replaces nor loses the misfire policy for those that passed
// between the two.
//
// Thread-safety: start() and stop() are called by the owner; add() and
// remove() by any thread but the scheduler thread, before or after start().
// Once started, the scheduler thread is the only one that touches the heap
// and the store.
// Lifetime: the dispatcher, the clock and the store must outlive the
// scheduler; a job must outlive it or its remove(). stop() (or the
// destructor) returns only when the thread has exited.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>

#include "runtime/clock.hpp"
#include "runtime/dispatcher.hpp"
#include "runtime/fire_log.hpp"
#include "runtime/scheduled_job.hpp"
#include "runtime/timer_heap.hpp"
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

  // Schedules `jobs` (the disabled ones are left out). A job whose name was
  // removed before (the same job of a replaced plugin) goes on from the last
  // fire handled for that name, in this process or, for a job with jitter,
  // in the store: no fire at or before it runs again and the fires missed
  // since go through the job's misfire policy, as at start(). Any other job
  // is planned from now. Before start() the jobs are only registered
  // (start() plans them).
  void add(std::vector<ScheduledJob*> jobs);
  // Stops scheduling `jobs` and returns once the scheduler thread has
  // dropped them: no fire of them is handed to the dispatcher afterwards
  // (runs handed out before go on: see Dispatcher::drain). Jobs not
  // scheduled are ignored.
  //
  // Both return once the scheduler thread has applied them. Before start()
  // they apply directly; after stop() nothing fires any more and they do
  // nothing; one still waiting when stop() joins the thread returns then. So
  // neither waits for a thread that is not there; neither may be called
  // from the scheduler thread itself (no plugin code runs on it).
  void remove(std::vector<ScheduledJob*> jobs);

  // The size of the slot table, live and free slots (it grows only when more
  // jobs are scheduled at once than ever before). For tests.
  std::size_t slot_table_size();

  // A random delay in [0, jitter] that stays before the job's next fire
  // (`until_next` after this one).
  static std::chrono::nanoseconds jitter_delay(std::chrono::nanoseconds jitter, std::chrono::nanoseconds until_next,
                                               std::minstd_rand& random);

 private:
  using sys_seconds = std::chrono::sys_seconds;

  // One scheduled job; a free slot has no job. Freed slots are reused by the
  // next add(), so the table is as large as the most jobs scheduled at once.
  struct Slot {
    ScheduledJob* job;
    std::chrono::seconds starting_deadline;
    // No fire at or before it runs: the last fire handed out, or for a job
    // that replaced a removed one, the last fire that one handled.
    std::optional<sys_seconds> last_fire;
  };
  struct Entry {
    Clock::time_point at;  // when it is dispatched: the fire instant plus any jitter
    sys_seconds due;                // the fire instant
    sys_seconds planned_after;      // `due` is the first fire after this
    std::size_t slot;
  };
  struct Fire {
    std::size_t slot;
    sys_seconds due;
  };
  struct Command {
    bool add;  // or remove
    std::vector<ScheduledJob*> jobs;
  };
  enum class Phase { before_start, running, stopped };

  // Puts `job` in a free slot, or a new one.
  std::size_t take_slot(ScheduledJob* job, sys_seconds now);
  // Queues `command` for the scheduler thread and waits until it is
  // applied, or applies it directly when there is no thread.
  void submit(Command command);
  // Applies the queued commands. Scheduler thread.
  void apply_commands();
  // Put `jobs` in slots and plan them (when `plan_now`), or take them out.
  // Called with commands_mutex_ held.
  void apply_add(const std::vector<ScheduledJob*>& jobs, bool plan_now);
  void apply_remove(const std::vector<ScheduledJob*>& jobs);
  // Plans a job just scheduled whose last fire handled was `last`: the fires
  // missed since go through its misfire policy (into `fires`); without one,
  // it is planned from now.
  void schedule_slot(std::size_t slot, std::optional<sys_seconds> last, Clock::time_point now, const char* while_,
                     std::vector<Fire>& fires);
  // The last fire of `job` that the store knows or a removed job of the same
  // name handled (taking it out of removed_last_fire_).
  std::optional<sys_seconds> take_last_fire(const ScheduledJob& job, const state::FireState& state);

  void loop();
  // Hands out the fires due at `now`.
  void fire_due(Clock::time_point now);
  // Takes the fires of the next instant off the heap, plans their next fires
  // and prepares them for the dispatcher, so that at the instant handing
  // them out is one step.
  void stage();
  // At the staged instant: records and hands out the staged fires.
  void release(Clock::time_point now);
  // Puts staged fires back on the heap, as if never staged: before a
  // command is applied, after the clock changed, at stop.
  void unstage();
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
  // Records in the fire log that every fire through `now` was handed out,
  // and these fires of jobs with jitter.
  void record(const std::vector<Fire>& fires, Clock::time_point now);
  // Hands the fires of jobs not paused to the dispatcher.
  void dispatch(const std::vector<Fire>& fires);
  // The fires of jobs not paused, as the dispatcher takes them.
  std::vector<Dispatcher::Fire> unpaused(const std::vector<Fire>& fires) const;
  bool has_jitter(const std::vector<Fire>& fires) const;

  std::vector<Slot> slots_;
  std::vector<std::size_t> free_slots_;
  // Name -> the last fire handled by a job removed since, so that a job of
  // the same name added later goes on from it. One entry per name removed
  // and not added again.
  std::map<std::string, sys_seconds> removed_last_fire_;
  Dispatcher& dispatcher_;
  Clock& clock_;
  std::shared_ptr<spdlog::logger> log_;
  FireLog fire_log_;
  std::minstd_rand random_{std::random_device{}()};

  std::atomic<bool> stopping_{false};
  // The next fire of every scheduled job not staged.
  TimerHeap<Entry> heap_;

  // add() and remove() commands. Jobs enter and leave the slots, the heap
  // and removed_last_fire_ only under commands_mutex_: from the owner's
  // thread while there is no scheduler thread, then only from it.
  std::mutex commands_mutex_;
  std::condition_variable commands_applied_;
  Phase phase_ = Phase::before_start;    // guarded by commands_mutex_
  std::deque<Command> commands_;         // guarded by commands_mutex_
  std::uint64_t commands_submitted_ = 0;  // guarded by commands_mutex_
  std::uint64_t commands_done_ = 0;       // guarded by commands_mutex_
  std::atomic<bool> commands_pending_{false};  // the loop's cheap check
  // fire_due(): the chunk of fires being handed out, and the fires on time,
  // whose next fires are planned once all are handed out.
  std::vector<Fire> due_fires_;
  std::vector<Fire> on_time_fires_;
  // The staged instant: its heap entries (none when nothing is staged), its
  // fires, and those of them prepared for the dispatcher (not paused).
  std::vector<Entry> staged_;
  std::vector<Fire> staged_fires_;
  Dispatcher::PreparedFires staged_prepared_;
  Clock::time_point staged_at_;
  // How long before an instant its fires are staged (see stage()).
  std::chrono::nanoseconds stage_lead_{std::chrono::milliseconds(1)};
  std::thread thread_;
};

}  // namespace jobhost::runtime
