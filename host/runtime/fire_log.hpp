// FireLog: the scheduler's memory of the fires it handed out, kept in the
// state store so that a restart neither repeats a fire nor loses one.
//
// It keeps the watermark "every fire through this second was handed out"
// (never lowered, so that after the clock went back no fire through it is
// taken for missed), writes it with the fires of jobs with jitter, and
// copies the store's log into its file when due. A failing store is logged
// once, and again when it works again; the runs go ahead either way.
//
// Without a store (null) it only keeps the watermark.
// Thread-safety: none; the scheduler's thread (or its owner before start())
// calls it.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <vector>

#include <spdlog/logger.h>

#include "runtime/scheduled_job.hpp"
#include "state/state_store.hpp"

namespace jobhost::runtime {

class FireLog {
 public:
  FireLog(state::StateStore* store, std::shared_ptr<spdlog::logger> log) : store_(store), log_(std::move(log)) {}

  // What the store holds (nothing without a store); the watermark starts
  // from it. Throws state::StateError when the store cannot be read.
  state::FireState load();
  // The same, for jobs added later: a store that cannot be read is logged
  // and gives nothing. Its watermark is left out: it covers the jobs
  // scheduled before, not these.
  state::FireState load_for_added_jobs();

  // Every fire through `now` was handed out, and `jittered` too (fires of
  // jobs with jitter, handed out up to their jitter after they were due).
  void record(std::chrono::sys_seconds now, const std::vector<state::FireRecord>& jittered);
  // Copies the store's log into its file when due: after a wake-up's runs
  // are handed out, since it syncs the file to disk (see state::StateStore).
  void checkpoint();

  // The last fire of `job` that `state` says was handed out.
  static std::optional<std::chrono::sys_seconds> last_fire(const state::FireState& state, const ScheduledJob& job);

 private:
  state::StateStore* store_;
  std::shared_ptr<spdlog::logger> log_;
  std::optional<std::chrono::sys_seconds> handed_out_through_;  // see state::FireState
  bool store_failing_ = false;                                  // the last record() failed; logged once
  bool checkpoint_failing_ = false;                             // the last checkpoint() failed; logged once
};

}  // namespace jobhost::runtime
