// JobSpec: what a job is — the plugin's definition with the configuration
// laid over it (name, schedule, settings, policy, loggers).
//
// Written once, by jobs::set_up_jobs (and by tests), before the job reaches
// the scheduler; read-only from then on, so any thread reads it without a
// lock. `definition` keeps the plugin's library loaded while the spec lives.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "jobhost/logger.hpp"
#include "jobhost/plugin.hpp"
#include "jobhost/settings.hpp"
#include "runtime/job_policy.hpp"
#include "runtime/plugin_worker.hpp"
#include "schedule/schedule.hpp"

namespace jobhost::runtime {

struct JobSpec {
  std::string name;  // "PLUGIN.JOB"
  std::shared_ptr<const JobDefinition> definition;
  std::unique_ptr<schedule::Schedule> schedule;
  bool enabled = true;
  Settings settings;  // the plugin's settings with the job's own laid over them
  std::filesystem::path state_dir;
  std::unique_ptr<Logger> logger;      // named after the job: the host's lines about it
  std::unique_ptr<Logger> run_logger;  // the same name: what its runs write, within its plugin's budget
  JobPolicy policy;
  // The worker process the job's plugin runs in; nullptr when it runs in
  // this one. The Dispatcher starts the job's runs there without waiting
  // for them; the watchdog kills it for a run still running kill-grace
  // after its timeout.
  std::shared_ptr<PluginWorker> worker;
};

}  // namespace jobhost::runtime
