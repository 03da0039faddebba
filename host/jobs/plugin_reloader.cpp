#include "jobs/plugin_reloader.hpp"

#include <exception>
#include <set>
#include <string>
#include <vector>

#include "jobhost/duration.hpp"
#include "jobs/job_setup.hpp"

namespace jobhost::jobs {

namespace {

// Keys of the host itself (top-level, log.*, chain.*, isolation.*): read
// once, at start-up.
bool is_host_wide(const std::string& key) {
  return key.find('.') == std::string::npos || key.starts_with("log.") || key.starts_with("chain.") ||
         key.starts_with("isolation.");
}

std::vector<std::string> changed_host_wide_keys(const config::Config& before, const config::Config& after) {
  std::set<std::string> keys;
  for (const auto* config : {&before, &after}) {
    for (const auto& [key, values] : config->all()) {
      if (is_host_wide(key) && before.get_all(key) != after.get_all(key)) keys.insert(key);
    }
  }
  return {keys.begin(), keys.end()};
}

bool settings_changed(const loader::LoadedPlugin& plugin, const config::Config& before, const config::Config& after) {
  return before.section(plugin.info.name) != after.section(plugin.info.name) ||
         before.section("job." + plugin.info.name) != after.section("job." + plugin.info.name);
}

}  // namespace

void PluginReloader::apply(const loader::PluginDirChanges& changes) {
  std::lock_guard lock(mutex_);
  for (const auto& file : changes.removed) unload(file, "removed");
  for (const auto& file : changes.changed) replace(file);
  for (const auto& file : changes.added) load(file);
}

void PluginReloader::reconfigure(const config::Config& next) {
  std::lock_guard lock(mutex_);
  const config::Config current = host_.config();
  const std::vector<loader::LoadedPlugin> plugins = host_.plugins();
  std::vector<std::string> errors;
  try {
    read_plugin_allow_list(HostSettings::from(next));
    errors = set_up_jobs(plugins, next, host_.logs(), host_.settings().state_dir, host_.settings().time_zone).errors;
  } catch (const std::exception& e) {
    errors.push_back(e.what());
  }
  if (!errors.empty()) {
    for (const auto& error : errors) log_->error("configuration not applied: {}", error);
    log_->error("the configuration read again is not valid: jobhost goes on with the one it runs");
    return;
  }
  for (const auto& key : changed_host_wide_keys(current, next)) {
    log_->warn("{} changed: it takes effect when jobhost restarts", key);
  }
  host_.set_config(next);
  std::vector<const loader::LoadedPlugin*> changed;
  std::string names;
  for (const auto& plugin : plugins) {
    if (!settings_changed(plugin, current, next)) continue;
    changed.push_back(&plugin);
    names += (names.empty() ? "" : ", ") + plugin.info.name;
  }
  log_->info("configuration read again: {} of {} plugins have new settings{}{}", changed.size(), plugins.size(),
             names.empty() ? "" : ": ", names);
  for (const auto* plugin : changed) {
    unload(plugin->file, "its settings changed");
    load(plugin->file);
  }
}

void PluginReloader::unload(const std::filesystem::path& file, const char* why) {
  const std::optional<JobList> loaded = host_.jobs_of(file);
  if (!loaded) return;  // nothing was loaded from it (it had failed to load)
  const JobList& jobs = *loaded;
  const std::vector<runtime::ScheduledJob*> raw = pointers(jobs);
  scheduler_.remove(raw);
  std::vector<runtime::ScheduledJob*> running = dispatcher_.drain(raw, drain_timeout_);
  if (!running.empty() && running.front()->spec.worker) {
    // In a worker, a run that does not stop can be ended: the worker is
    // killed, and its runs return at once.
    log_->warn("{}: {}; runs did not return within the drain timeout {} after being asked to stop: its worker is "
               "killed", file.string(), why, format_duration(drain_timeout_));
    running.front()->spec.worker->kill_runs("its plugin is being unloaded and its runs did not stop in time");
    running = dispatcher_.drain(raw, drain_timeout_);
  }
  if (running.empty()) {
    host_.remove_plugin(file);
    log_->info("{}: {}; its plugin is unloaded ({} jobs stopped firing)", file.string(), why, jobs.size());
    return;
  }
  std::string names;
  for (const runtime::ScheduledJob* job : running) names += (names.empty() ? "" : ", ") + job->spec.name;
  host_.leak_plugin(file);
  log_->error("{}: {}; runs of {} did not return within the drain timeout {} after being asked to stop: its plugin "
              "stays loaded (leaked) until jobhost restarts",
              file.string(), why, names, format_duration(drain_timeout_));
}

void PluginReloader::replace(const std::filesystem::path& file) {
  if (!host_.jobs_of(file)) return load(file);  // nothing was loaded from it
  bool unloaded = false;
  try {
    const JobList jobs = host_.replace_plugin(file, [&] {
      unload(file, "replaced");
      unloaded = true;
    });
    scheduler_.add(pointers(jobs));
    log_->info("{}: loaded, {} jobs scheduled", file.string(), jobs.size());
  } catch (const std::exception& e) {
    if (unloaded) {
      log_->error("{}: not loaded: {}", file.string(), e.what());
    } else {
      log_->error("{}: replaced by a file that is not loaded: {}; the plugin loaded from it before keeps running",
                  file.string(), e.what());
      host_.note_refused_replacement(file, e.what());
    }
  }
}

void PluginReloader::load(const std::filesystem::path& file) {
  try {
    const JobList jobs = host_.add_plugin(file);
    scheduler_.add(pointers(jobs));
    log_->info("{}: loaded, {} jobs scheduled", file.string(), jobs.size());
  } catch (const std::exception& e) {
    log_->error("{}: not loaded: {}", file.string(), e.what());
  }
}

}  // namespace jobhost::jobs
