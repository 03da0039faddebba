// ScheduledJob: one job as the host runs it — the plugin's definition plus
// what the configuration made of it, and its run-time state.
//
// Ownership: the Host owns every ScheduledJob; the scheduler and the executor
// refer to them and never outlive the Host's jobs. `definition` keeps the
// plugin's library loaded for as long as the job exists.
// Thread-safety: the configuration members are immutable once the job is
// built; the run-time state is atomic.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "jobhost/logger.hpp"
#include "jobhost/plugin.hpp"
#include "jobhost/settings.hpp"
#include "schedule/schedule.hpp"

namespace jobhost::runtime {

struct ScheduledJob {
  std::string name;  // "PLUGIN.JOB"
  std::shared_ptr<const JobDefinition> definition;
  std::unique_ptr<schedule::Schedule> schedule;
  bool enabled = true;
  Settings settings;  // the plugin's settings with the job's own laid over them
  std::filesystem::path state_dir;
  std::unique_ptr<Logger> logger;  // named after the job

  // True from the moment a fire is handed to the executor until its run has
  // returned; a fire that finds it set is skipped (the overlap policy).
  std::atomic<bool> running{false};
  std::atomic<std::uint64_t> runs_ok{0};
  std::atomic<std::uint64_t> runs_failed{0};
  std::atomic<std::uint64_t> runs_stopped{0};
  std::atomic<std::uint64_t> fires_skipped{0};
};

}  // namespace jobhost::runtime
