// PluginReloader: hot drop-in. It applies to a running daemon what the
// watcher of its plugin directories saw (plugins/plugin_dir_watcher.hpp):
//
// - a removed file: its plugin's jobs stop firing (Scheduler::remove), their
//   runs are asked to stop and drained (Dispatcher::drain, up to the drain
//   timeout), then the jobs and the plugin object are destroyed and the
//   library unloaded (Host::remove_plugin);
// - a replaced file: the same, then the new file is loaded;
// - a new file: loaded (checks, private copy, configuration) and its jobs
//   scheduled (Scheduler::add).
//
// A drain that times out leaves that plugin loaded for the rest of the
// host's life (Host::leak_plugin), logged: it is never unloaded under a
// running thread. A file that cannot be loaded is logged, naming it and the
// cause, and the other plugins go on.
//
// Thread-safety: apply() is called by one thread at a time (the watcher's).
// The host, the scheduler and the dispatcher must outlive the reloader.
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>

#include <spdlog/logger.h>

#include "plugins/plugin_dir_snapshot.hpp"
#include "runtime/dispatcher.hpp"
#include "runtime/host.hpp"
#include "runtime/scheduler.hpp"

namespace jobhost::runtime {

class PluginReloader {
 public:
  PluginReloader(Host& host, Scheduler& scheduler, Dispatcher& dispatcher, std::chrono::nanoseconds drain_timeout,
                 std::shared_ptr<spdlog::logger> log)
      : host_(host), scheduler_(scheduler), dispatcher_(dispatcher), drain_timeout_(drain_timeout), log_(std::move(log)) {}

  void apply(const plugins::PluginDirChanges& changes);

 private:
  void unload(const std::filesystem::path& file, const char* why);
  void load(const std::filesystem::path& file);

  Host& host_;
  Scheduler& scheduler_;
  Dispatcher& dispatcher_;
  const std::chrono::nanoseconds drain_timeout_;
  std::shared_ptr<spdlog::logger> log_;
};

}  // namespace jobhost::runtime
