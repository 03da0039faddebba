// PluginReloader: hot drop-in. It applies to a running daemon what the
// watcher of its plugin directories saw (loader/plugin_dir_watcher.hpp):
//
// - a removed file: its plugin's jobs stop firing (Scheduler::remove), their
//   runs are asked to stop and drained (Dispatcher::drain, up to the drain
//   timeout), then the jobs and the plugin object are destroyed and the
//   library unloaded (Host::remove_plugin);
// - a replaced file: its new content is checked first (the file, its SHA-256,
//   ELF and ABI; in a worker process, loaded and its jobs set up); refused,
//   it is logged and the old plugin goes on; accepted, the old plugin is
//   drained and removed as above and the new one takes its place;
// - a new file: loaded (checks, private copy, configuration) and its jobs
//   scheduled (Scheduler::add).
//
// A drain that times out kills the plugin's worker (its runs return at
// once) and drains again; for a plugin in the daemon's own process it leaves
// that plugin loaded for the rest of the host's life (Host::leak_plugin),
// logged: it is never unloaded under a running thread. A file that cannot be loaded is logged, naming it and the
// cause, and the other plugins go on.
//
// On SIGHUP, reconfigure() applies the configuration read again: every
// plugin whose settings ([PLUGIN]) or job settings (job.PLUGIN.*) changed is
// reloaded like a replaced file, so that its next fires use them (configure()
// must see them, and a job's schedule, policies and settings are fixed for
// its life). A configuration that is not valid is refused, with the errors
// logged, and the running one kept; host-wide keys that changed are logged
// as taking effect after a restart.
//
// Thread-safety: apply() and reconfigure() may be called from any thread;
// they take turns. The host, the scheduler and the dispatcher must outlive
// the reloader.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <mutex>

#include <spdlog/logger.h>

#include "config/config.hpp"
#include "loader/plugin_dir_snapshot.hpp"
#include "runtime/dispatcher.hpp"
#include "jobs/host.hpp"
#include "runtime/scheduler.hpp"

namespace jobhost::jobs {

class PluginReloader {
 public:
  PluginReloader(Host& host, runtime::Scheduler& scheduler, runtime::Dispatcher& dispatcher, std::chrono::nanoseconds drain_timeout,
                 std::shared_ptr<spdlog::logger> log)
      : host_(host), scheduler_(scheduler), dispatcher_(dispatcher), drain_timeout_(drain_timeout), log_(std::move(log)) {}

  void apply(const loader::PluginDirChanges& changes);
  void reconfigure(const config::Config& next);

 private:
  void unload(const std::filesystem::path& file, const char* why);
  void load(const std::filesystem::path& file);
  // A file whose content changed: its new content replaces the plugin loaded
  // from it only once checked (Host::replace_plugin); refused, the old one
  // goes on.
  void replace(const std::filesystem::path& file);

  Host& host_;
  runtime::Scheduler& scheduler_;
  runtime::Dispatcher& dispatcher_;
  const std::chrono::nanoseconds drain_timeout_;
  std::shared_ptr<spdlog::logger> log_;
  std::mutex mutex_;  // apply() and reconfigure() take turns
};

}  // namespace jobhost::jobs
