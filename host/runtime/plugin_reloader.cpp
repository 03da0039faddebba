#include "runtime/plugin_reloader.hpp"

#include <exception>
#include <string>

#include "common/duration.hpp"

namespace jobhost::runtime {

void PluginReloader::apply(const plugins::PluginDirChanges& changes) {
  for (const auto& file : changes.removed) unload(file, "removed");
  for (const auto& file : changes.changed) {
    unload(file, "replaced");
    load(file);
  }
  for (const auto& file : changes.added) load(file);
}

void PluginReloader::unload(const std::filesystem::path& file, const char* why) {
  const JobList jobs = host_.jobs_of(file);
  const std::vector<ScheduledJob*> raw = pointers(jobs);
  scheduler_.remove(raw);
  const std::vector<ScheduledJob*> running = dispatcher_.drain(raw, drain_timeout_);
  if (running.empty()) {
    host_.remove_plugin(file);
    log_->info("{}: {}; its plugin is unloaded ({} jobs stopped firing)", file.string(), why, jobs.size());
    return;
  }
  std::string names;
  for (const ScheduledJob* job : running) names += (names.empty() ? "" : ", ") + job->name;
  host_.leak_plugin(file);
  log_->error("{}: {}; runs of {} did not return within the drain timeout {} after being asked to stop: its plugin "
              "stays loaded (leaked) until jobhost restarts",
              file.string(), why, names, format_duration(drain_timeout_));
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

}  // namespace jobhost::runtime
