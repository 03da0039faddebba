// Daemon: `jobhost run` — every part of the running daemon, wired together.
//
// Construction loads the plugins and sets up their jobs (jobs::Host);
// nothing runs yet. start() checks the job configuration, creates the state
// directories (and the clients, with clients-eager) before any job thread
// exists, then starts the executor, the watchdog and the dispatcher, opens
// the control socket, the state store and the HTTP endpoint, starts the
// scheduler and the plugin directory watcher, and tells systemd it is ready. stop() ends it in the order of docs/architecture.md:
// no more fires or plugin changes, running jobs asked to stop and waited for.
// Destruction unloads everything in reverse.
//
// Ownership: the run command owns the one Daemon of the process.
// Thread-safety: none; one thread (the run command's) calls every member,
// while the parts run their own threads inside.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <spdlog/logger.h>

#include "config/config.hpp"
#include "control/control_socket.hpp"
#include "daemon/systemd_notifier.hpp"
#include "jobs/host.hpp"
#include "jobs/plugin_reloader.hpp"
#include "loader/plugin_dir_watcher.hpp"
#include "observe/host_snapshot.hpp"
#include "observe/http_endpoint.hpp"
#include "runtime/dispatcher.hpp"
#include "runtime/executor.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/system_clock.hpp"
#include "runtime/watchdog.hpp"
#include "state/state_dir_lock.hpp"
#include "state/state_store.hpp"

namespace jobhost::daemon {

class Daemon {
 public:
  // Loads the plugins of `config` and sets up their jobs. Throws ConfigError
  // for bad host-wide configuration.
  explicit Daemon(const config::Config& config);
  ~Daemon();

  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  const jobs::HostSettings& settings() const { return host_.settings(); }
  const std::shared_ptr<spdlog::logger>& log() const { return host_.log(); }

  // Starts firing jobs. Returns 0, or the exit status `jobhost run` ends
  // with when the daemon cannot start, having logged why: 2 for bad job
  // configuration, 1 when another daemon runs on the state directory or its
  // database cannot be read. Throws when the HTTP address cannot be bound.
  // Once SIGINT or SIGTERM has come (runtime::stop_requested), no further
  // plugin loads and no job is scheduled; start() returns 0, ready for stop().
  int start();

  // reload() and stop() may be called only after start() returned 0.
  //
  // SIGHUP: reads the configuration again with `read_config` (a ConfigError
  // it throws is logged and the running configuration kept), applies it to
  // the plugins whose settings changed, and rescans the plugin directories.
  void reload(const std::function<config::Config()>& read_config);

  // Stops firing, asks running jobs to stop and waits up to `timeout` for
  // them (counted from that request); then kills the workers of the jobs
  // still running. `reason` is what systemd is told.
  enum class Stopped {
    in_time,  // every run returned in time
    killed,   // some did not: their workers were killed, and their runs returned
    // Some run is still inside plugin code in this process (isolation none):
    // the Daemon must not be destroyed (that would unload the library under
    // it), and the caller ends the process instead; the logs are flushed.
    abandoned,
  };
  Stopped stop(std::chrono::nanoseconds timeout, const std::string& reason);

 private:
  // What /metrics, /jobs and `status` show; any thread.
  observe::HostSnapshot snapshot();
  void serve_control();

  // Members are destroyed in reverse order, which is the teardown order.
  // Taken by start(); let go last, once nothing of this daemon runs.
  std::optional<state::StateDirLock> state_lock_;
  jobs::Host host_;
  // Made by start(), once the checks are done: their threads are the job
  // threads.
  std::unique_ptr<runtime::Executor> executor_;
  std::unique_ptr<runtime::Watchdog> watchdog_;
  std::unique_ptr<runtime::Dispatcher> dispatcher_;
  std::unique_ptr<control::ControlServer> control_;
  std::unique_ptr<state::StateStore> store_;
  std::unique_ptr<observe::HttpEndpoint> http_;
  std::unique_ptr<runtime::SystemClock> clock_;
  std::unique_ptr<runtime::Scheduler> scheduler_;
  std::unique_ptr<jobs::PluginReloader> reloader_;
  std::unique_ptr<loader::PluginDirWatcher> watcher_;
  std::unique_ptr<SystemdNotifier> systemd_;
};

}  // namespace jobhost::daemon
