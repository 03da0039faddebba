// Turning the loaded plugins' job definitions into ScheduledJobs, with the
// configuration laid over their defaults (job.PLUGIN.JOB.* keys).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "logging/log_hub.hpp"
#include "loader/loaded_plugin.hpp"
#include "runtime/scheduled_job.hpp"
#include "schedule/local_time.hpp"

namespace jobhost::jobs {

struct JobSetup {
  std::vector<std::unique_ptr<runtime::ScheduledJob>> jobs;
  // Configuration that refers to plugins that are not loaded: worth a warning,
  // not a refusal (the plugin may have failed to load, or be absent here).
  std::vector<std::string> warnings;
  // Bad configuration, one line each naming the key: a schedule or enabled
  // value that does not parse, or settings for a job a loaded plugin does not
  // have. A job with an error is left out of `jobs`.
  std::vector<std::string> errors;
  // Enabled jobs that use a chain (as their plugin declares) that is not
  // configured: every run of theirs would fail. Reported, not refused.
  std::vector<std::string> missing_chains;
};

// Settings precedence for a job, lowest first: the plugin's section, the
// job's defaults from its definition, the job's section in the configuration.
// The job's `schedule`, `enabled` and `tz` come from the same layers; a job
// without `tz` matches its schedule in `default_zone` (the host's --tz).
// For a plugin that declares its settings (SDK 1.1), every other key of a
// job's section must be one it declares, with a value of the declared type;
// a plugin that declares nothing earns a warning when it is given settings.
JobSetup set_up_jobs(const std::vector<loader::LoadedPlugin>& plugins, const config::Config& config,
                     const logging::LogHub& logs, const std::filesystem::path& state_dir,
                     const schedule::TimeZone& default_zone);

// A warning for each plugin section (PLUGIN.KEY keys) that no loaded plugin
// owns: a misspelt plugin name, or a plugin that did not load.
std::vector<std::string> sections_of_absent_plugins(const std::vector<loader::LoadedPlugin>& plugins,
                                                    const config::Config& config);

}  // namespace jobhost::jobs
