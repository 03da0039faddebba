#include "runtime/fire_log.hpp"

#include <algorithm>

#include "runtime/missed_fires.hpp"

namespace jobhost::runtime {

state::FireState FireLog::load() {
  state::FireState state;
  if (store_) state = store_->load();
  handed_out_through_ = state.handed_out_through;
  return state;
}

state::FireState FireLog::load_for_added_jobs() {
  state::FireState state;
  if (store_) {
    try {
      state = store_->load();
    } catch (const state::StateError& e) {
      log_->error("{}; planning the jobs from the fires this process handled", e.what());
    }
  }
  state.handed_out_through.reset();
  return state;
}

void FireLog::record(std::chrono::sys_seconds now, const std::vector<state::FireRecord>& jittered) {
  handed_out_through_ = std::max(handed_out_through_.value_or(now), now);
  if (!store_) return;
  try {
    store_->record(*handed_out_through_, jittered);
    if (store_failing_) log_->info("recording fires in {} works again", store_->file().string());
    store_failing_ = false;
  } catch (const state::StateError& e) {
    // The runs go ahead: losing a record costs at most a repeated run
    // after a restart, losing the runs would cost the runs.
    if (!store_failing_) log_->error("{}; running the fires anyway", e.what());
    store_failing_ = true;
  }
}

void FireLog::checkpoint() {
  if (!store_) return;
  try {
    store_->checkpoint_if_due();
    if (checkpoint_failing_) log_->info("copying the log of {} into it works again", store_->file().string());
    checkpoint_failing_ = false;
  } catch (const state::StateError& e) {
    // The log grows meanwhile; nothing recorded in it is lost.
    if (!checkpoint_failing_) log_->error("{}; trying again after the next fires", e.what());
    checkpoint_failing_ = true;
  }
}

std::optional<std::chrono::sys_seconds> FireLog::last_fire(const state::FireState& state, const ScheduledJob& job) {
  std::optional<std::chrono::sys_seconds> last;
  if (const auto row = state.last_fires.find(job.spec.name); row != state.last_fires.end()) last = row->second;
  if (state.handed_out_through) {
    // A fire of a job with jitter is handed out up to `jitter` after it is due.
    const auto covered = *state.handed_out_through - std::chrono::ceil<std::chrono::seconds>(job.spec.policy.jitter);
    try {
      if (const auto latest = latest_fire_at_or_before(*job.spec.schedule, covered)) {
        last = std::max(last.value_or(*latest), *latest);
      }
    } catch (const schedule::ScheduleError&) {
      // No fire to find: the job's spec was checked at load time.
    }
  }
  return last;
}

}  // namespace jobhost::runtime
