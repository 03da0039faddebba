#include "runtime/scheduler.hpp"

#include <algorithm>
#include <unordered_set>

#include "jobhost/duration.hpp"
#include "common/thread_name.hpp"
#include "runtime/missed_fires.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::runtime {
namespace {

// A fire handled later than this goes through the misfire policy (a stalled
// host, a stopped process).
constexpr auto kLateAfter = std::chrono::seconds(1);
// Fires handed to the dispatcher at once.
constexpr std::size_t kDispatchChunk = 128;
// How long before an instant its fires are staged: twice what staging took
// last time, within these bounds.
constexpr std::chrono::nanoseconds kMinStageLead = std::chrono::milliseconds(1);
constexpr std::chrono::nanoseconds kMaxStageLead = std::chrono::milliseconds(100);
// When no job is enabled, the thread still wakes this often.
constexpr auto kIdleSleep = std::chrono::hours(24);

// Job names named in one log line; the rest are counted.
constexpr std::size_t kNamesLogged = 10;

std::chrono::sys_seconds whole_seconds(Clock::time_point t) { return std::chrono::floor<std::chrono::seconds>(t); }

// "3 jobs: a.x, a.y, a.z"
std::string describe_jobs(const std::vector<std::string>& names) {
  std::string text = std::to_string(names.size()) + (names.size() == 1 ? " job: " : " jobs: ");
  for (std::size_t i = 0; i < names.size() && i < kNamesLogged; ++i) text += (i == 0 ? "" : ", ") + names[i];
  if (names.size() > kNamesLogged) text += " and " + std::to_string(names.size() - kNamesLogged) + " more";
  return text;
}

}  // namespace

Scheduler::Scheduler(std::vector<ScheduledJob*> jobs, Dispatcher& dispatcher, Clock& clock, state::StateStore* store,
                     std::shared_ptr<spdlog::logger> log)
    : dispatcher_(dispatcher), clock_(clock), log_(std::move(log)), fire_log_(store, log_) {
  const sys_seconds now = whole_seconds(clock_.now());
  for (ScheduledJob* job : jobs) {
    if (job->spec.enabled) take_slot(job, now);
  }
}

Scheduler::~Scheduler() { stop(); }

std::size_t Scheduler::take_slot(ScheduledJob* job, sys_seconds now) {
  std::size_t slot = slots_.size();
  if (free_slots_.empty()) {
    slots_.emplace_back();
  } else {
    slot = free_slots_.back();
    free_slots_.pop_back();
  }
  slots_[slot] = {job, job->spec.policy.starting_deadline.value_or(default_starting_deadline(*job->spec.schedule, now)), {}};
  return slot;
}

std::chrono::nanoseconds Scheduler::jitter_delay(std::chrono::nanoseconds jitter, std::chrono::nanoseconds until_next,
                                                 std::minstd_rand& random) {
  // Strictly before the next fire, so that fire still finds this one started.
  const auto bound = std::min(jitter, until_next - std::chrono::milliseconds(1));
  if (bound <= std::chrono::nanoseconds::zero()) return std::chrono::nanoseconds::zero();
  std::uniform_int_distribution<std::int64_t> delay(0, bound.count());
  return std::chrono::nanoseconds(delay(random));
}

void Scheduler::start() {
  std::lock_guard lock(commands_mutex_);
  const state::FireState state = fire_log_.load();
  const auto now = clock_.now();
  std::vector<Fire> fires;
  for (std::size_t slot = 0; slot < slots_.size(); ++slot) {
    if (!slots_[slot].job) continue;
    schedule_slot(slot, take_last_fire(*slots_[slot].job, state), now, "while the host was down", fires);
  }
  hand_out(fires, now);
  phase_ = Phase::running;
  thread_ = std::thread([this] {
    name_this_thread("scheduler");
    loop();
  });
}

void Scheduler::schedule_slot(std::size_t slot, std::optional<sys_seconds> last, Clock::time_point now,
                              const char* while_, std::vector<Fire>& fires) {
  if (!last) {
    plan(slot, whole_seconds(now));
    return;
  }
  slots_[slot].last_fire = last;
  catch_up(slot, *last, now, while_, fires);
}

std::optional<std::chrono::sys_seconds> Scheduler::take_last_fire(const ScheduledJob& job,
                                                                  const state::FireState& state) {
  std::optional<sys_seconds> last = FireLog::last_fire(state, job);
  if (auto removed = removed_last_fire_.extract(job.spec.name)) {
    last = std::max(last.value_or(removed.mapped()), removed.mapped());
  }
  return last;
}

void Scheduler::stop() {
  stopping_ = true;
  clock_.interrupt();
  if (thread_.joinable()) thread_.join();
  std::lock_guard lock(commands_mutex_);
  phase_ = Phase::stopped;
  // Commands the thread left: nothing fires any more, so they are done.
  commands_.clear();
  commands_done_ = commands_submitted_;
  commands_applied_.notify_all();
}

void Scheduler::add(std::vector<ScheduledJob*> jobs) { submit({true, std::move(jobs)}); }

void Scheduler::remove(std::vector<ScheduledJob*> jobs) { submit({false, std::move(jobs)}); }

std::size_t Scheduler::slot_table_size() {
  std::lock_guard lock(commands_mutex_);
  return slots_.size();
}

void Scheduler::submit(Command command) {
  std::unique_lock lock(commands_mutex_);
  if (phase_ == Phase::stopped) return;
  if (phase_ == Phase::before_start) {
    if (command.add) {
      apply_add(command.jobs, false);
    } else {
      apply_remove(command.jobs);
    }
    return;
  }
  commands_.push_back(std::move(command));
  const std::uint64_t ticket = ++commands_submitted_;
  commands_pending_ = true;
  clock_.interrupt();
  // stop() completes it too, should the thread exit first.
  commands_applied_.wait(lock, [&] { return commands_done_ >= ticket; });
}

void Scheduler::apply_commands() {
  std::lock_guard lock(commands_mutex_);
  commands_pending_ = false;
  for (const Command& command : commands_) {
    if (command.add) {
      apply_add(command.jobs, true);
    } else {
      apply_remove(command.jobs);
    }
  }
  commands_done_ += commands_.size();
  commands_.clear();
  commands_applied_.notify_all();
}

void Scheduler::apply_add(const std::vector<ScheduledJob*>& jobs, bool plan_now) {
  const auto now = clock_.now();
  std::vector<std::size_t> added;
  std::vector<std::string> names;
  for (ScheduledJob* job : jobs) {
    if (!job->spec.enabled) continue;
    added.push_back(take_slot(job, whole_seconds(now)));
    names.push_back(job->spec.name);
  }
  if (added.empty()) return;
  log_->info("scheduling {}", describe_jobs(names));
  if (!plan_now) return;
  const state::FireState state = fire_log_.load_for_added_jobs();
  std::vector<Fire> fires;
  for (std::size_t slot : added) {
    schedule_slot(slot, take_last_fire(*slots_[slot].job, state), now, "while it was not scheduled", fires);
  }
  hand_out(fires, now);
}

void Scheduler::apply_remove(const std::vector<ScheduledJob*>& jobs) {
  const std::unordered_set<const ScheduledJob*> gone(jobs.begin(), jobs.end());
  // Every fire through an entry's planned_after was handled: handed out,
  // or counted as missed.
  heap_.erase_if([&](const Entry& entry) {
    Slot& slot = slots_[entry.slot];
    if (!gone.contains(slot.job)) return false;
    slot.last_fire = std::max(slot.last_fire.value_or(entry.planned_after), entry.planned_after);
    return true;
  });
  std::vector<std::string> names;
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    Slot& slot = slots_[i];
    if (!slot.job || !gone.contains(slot.job)) continue;
    if (slot.last_fire) removed_last_fire_[slot.job->spec.name] = *slot.last_fire;
    slot.job->next_fire = 0;
    names.push_back(slot.job->spec.name);
    slot = {};
    free_slots_.push_back(i);
  }
  if (!names.empty()) log_->info("stopped scheduling {}", describe_jobs(names));
}

void Scheduler::loop() {
  while (!stopping_) {
    if (commands_pending_) {
      unstage();
      apply_commands();
    }
    const auto now = clock_.now();
    if (!staged_.empty()) {
      if (staged_at_ <= now) {
        release(now);
        continue;
      }
    } else if (!heap_.empty()) {
      const auto next = heap_.front().at;
      if (next <= now) {
        fire_due(now);
        continue;
      }
      if (next - now <= stage_lead_) {
        stage();
        continue;
      }
    }
    const auto deadline = !staged_.empty() ? staged_at_
                          : heap_.empty()  ? now + kIdleSleep
                                           : heap_.front().at - stage_lead_;
    if (clock_.sleep_until(deadline) == Clock::Wake::clock_changed) {
      unstage();
      replan(clock_.now());
    }
  }
  unstage();
}

void Scheduler::stage() {
  const auto started = std::chrono::steady_clock::now();
  staged_at_ = heap_.front().at;
  staged_fires_.clear();
  while (!heap_.empty() && heap_.front().at == staged_at_) {
    const Entry& entry = staged_.emplace_back(heap_.pop());
    staged_fires_.push_back({entry.slot, entry.due});
    Dispatcher::prefetch_for_fire(*slots_[entry.slot].job);
  }
  for (const Fire& fire : staged_fires_) plan(fire.slot, fire.due);
  staged_prepared_ = dispatcher_.prepare(unpaused(staged_fires_));
  const auto took = std::chrono::steady_clock::now() - started;
  stage_lead_ = std::clamp<std::chrono::nanoseconds>(2 * took, kMinStageLead, kMaxStageLead);
}

void Scheduler::release(Clock::time_point now) {
  if (now - staged_at_ > kLateAfter) {
    // The host stalled since staging: the misfire policy decides.
    unstage();
    fire_due(now);
    return;
  }
  for (const Fire& fire : staged_fires_) slots_[fire.slot].last_fire = fire.due;
  record(staged_fires_, now);
  dispatcher_.hand_out(std::move(staged_prepared_));
  staged_prepared_ = {};
  staged_.clear();
  fire_log_.checkpoint();
}

void Scheduler::unstage() {
  if (staged_.empty()) return;
  staged_prepared_ = {};
  // Their next fires, planned at staging, give way to the staged ones.
  std::vector<bool> staged_slot(slots_.size());
  for (const Entry& entry : staged_) staged_slot[entry.slot] = true;
  heap_.erase_if([&](const Entry& entry) { return staged_slot[entry.slot]; });
  for (const Entry& entry : staged_) {
    heap_.push(entry);
    slots_[entry.slot].job->next_fire = entry.due.time_since_epoch().count();
  }
  staged_.clear();
}

void Scheduler::fire_due(Clock::time_point now) {
  // Popped and handed out a chunk at a time, so that the first runs start
  // while later fires are still being taken off the heap. Members, so that
  // their room is reused from one wake-up to the next.
  std::vector<Fire>& chunk = due_fires_;
  std::vector<Fire>& on_time = on_time_fires_;  // planned once all are handed out
  on_time.clear();
  bool recorded = false;
  while (!heap_.empty() && heap_.front().at <= now) {
    chunk.clear();
    while (chunk.size() < kDispatchChunk && !heap_.empty() && heap_.front().at <= now) {
      const Entry entry = heap_.pop();
      if (now - entry.at > kLateAfter) {
        catch_up(entry.slot, entry.planned_after, now, "while the host was late", chunk);
        continue;
      }
      chunk.push_back({entry.slot, entry.due});
      on_time.push_back({entry.slot, entry.due});
      slots_[entry.slot].last_fire = entry.due;
      // Dispatched once the chunk is popped: time for its memory to arrive.
      Dispatcher::prefetch_for_fire(*slots_[entry.slot].job);
    }
    // The watermark once per wake-up; again only for fires of jobs with jitter.
    if (!recorded || has_jitter(chunk)) record(chunk, now);
    recorded = true;
    dispatch(chunk);
  }
  for (const Fire& fire : on_time) plan(fire.slot, fire.due);
  fire_log_.checkpoint();
}

void Scheduler::catch_up(std::size_t slot, sys_seconds after, Clock::time_point now, const char* while_,
                         std::vector<Fire>& fires) {
  Slot& s = slots_[slot];
  ScheduledJob& job = *s.job;
  const sys_seconds now_seconds = whole_seconds(now);
  // A fire at or before the last one handed out never runs again.
  if (s.last_fire) after = std::max(after, *s.last_fire);
  const MissedFires missed = find_missed_fires(*job.spec.schedule, after, now_seconds, job.spec.policy.misfire,
                                               s.starting_deadline);
  if (missed.catch_up) {
    log_->warn("{}: {} passed {}; running the one at {} now (misfire: once)", job.spec.name, describe(missed, *job.spec.schedule),
               while_, schedule::format_iso8601(*missed.catch_up, job.spec.schedule->zone()));
    job.stats.fires_missed += missed.count - 1;
    fires.push_back({slot, *missed.catch_up});
    s.last_fire = missed.catch_up;
  } else if (missed.count > 0) {
    const std::string why = job.spec.policy.misfire == Misfire::skip
                                ? "misfire: skip"
                                : "the latest is older than the starting deadline " +
                                      format_duration(s.starting_deadline) + " (misfire: once)";
    log_->warn("{}: {} passed {}; skipped them: {}", job.spec.name, describe(missed, *job.spec.schedule), while_, why);
    job.stats.fires_missed += missed.count;
  }
  plan(slot, std::max(after, now_seconds));
}

void Scheduler::replan(Clock::time_point now) {
  log_->warn("the wall clock changed (it was set, or the machine resumed from suspend): it is now {}; "
             "replanning every job",
             schedule::format_iso8601_local(whole_seconds(now)));
  std::vector<Fire> fires;
  for (const Entry& entry : heap_.take_all()) catch_up(entry.slot, entry.planned_after, now, "when the clock changed", fires);
  hand_out(fires, now);
}

void Scheduler::plan(std::size_t slot, sys_seconds after) {
  const Slot& s = slots_[slot];
  if (s.last_fire) after = std::max(after, *s.last_fire);
  sys_seconds due;
  try {
    due = s.job->spec.schedule->next(after);
  } catch (const schedule::ScheduleError& e) {
    // Checked at load time, so only a spec whose last match has passed.
    log_->error("{}: {}; it will not fire again", s.job->spec.name, e.what());
    s.job->next_fire = 0;
    return;
  }
  s.job->next_fire = due.time_since_epoch().count();
  Entry entry{due, due, after, slot};
  if (s.job->spec.policy.jitter > std::chrono::nanoseconds::zero()) {
    entry.at += jitter_delay(s.job->spec.policy.jitter, s.job->spec.schedule->next(due) - due, random_);
  }
  heap_.push(entry);
}

void Scheduler::hand_out(const std::vector<Fire>& fires, Clock::time_point now) {
  record(fires, now);
  dispatch(fires);
}

bool Scheduler::has_jitter(const std::vector<Fire>& fires) const {
  return std::any_of(fires.begin(), fires.end(), [this](const Fire& fire) {
    return slots_[fire.slot].job->spec.policy.jitter > std::chrono::nanoseconds::zero();
  });
}

void Scheduler::record(const std::vector<Fire>& fires, Clock::time_point now) {
  std::vector<state::FireRecord> jittered;
  for (const Fire& fire : fires) {
    const ScheduledJob& job = *slots_[fire.slot].job;
    if (job.spec.policy.jitter > std::chrono::nanoseconds::zero()) jittered.push_back({job.spec.name, fire.due});
  }
  fire_log_.record(whole_seconds(now), jittered);
}

std::vector<Dispatcher::Fire> Scheduler::unpaused(const std::vector<Fire>& fires) const {
  std::vector<Dispatcher::Fire> runnable;
  runnable.reserve(fires.size());
  for (const Fire& fire : fires) {
    ScheduledJob* job = slots_[fire.slot].job;
    if (!job->paused) runnable.push_back({job, fire.due});  // a paused job's is handled: not run, not missed later
  }
  return runnable;
}

void Scheduler::dispatch(const std::vector<Fire>& fires) {
  const std::vector<Dispatcher::Fire> runnable = unpaused(fires);
  // In chunks, so that the first runs start while later ones are prepared.
  for (std::size_t first = 0; first < runnable.size(); first += kDispatchChunk) {
    dispatcher_.fire_all(std::span(runnable).subspan(first, std::min(kDispatchChunk, runnable.size() - first)));
  }
}

}  // namespace jobhost::runtime
