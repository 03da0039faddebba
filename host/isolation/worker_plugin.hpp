// WorkerPlugin: a plugin that runs in a worker process, across the worker's
// deaths and restarts. Its job definitions' run functions forward each run
// to the worker of the moment (WorkerConnection).
//
// Supervision: when the worker dies (signal, exit, a kill, a broken socket),
// its runs in flight fail with the cause, and it is restarted after a
// backoff — 1 s, doubling up to 60 s, back to 1 s once a worker has lived a
// minute. After `quarantine_deaths` deaths within `quarantine_window` the
// plugin is quarantined: logged once, no restart, every run fails at once
// saying so, until its file changes (a new WorkerPlugin) or SIGHUP
// (release_quarantine). While the worker is down, runs fail at once, naming
// the cause and the restart. A worker hung as a whole (it answers no ping)
// is killed, and so dies like any other.
//
// Ownership: owns its worker; the LoadedPlugin's job definitions share
// ownership of it (they are its members).
// Thread-safety: any thread.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "isolation/supervisor.hpp"
#include "isolation/worker_connection.hpp"
#include "loader/loaded_plugin.hpp"
#include "loader/plugin_loader.hpp"

namespace jobhost::isolation {

struct SupervisionPolicy {
  std::chrono::milliseconds first_backoff{1000};
  std::chrono::milliseconds max_backoff{60000};
  std::chrono::milliseconds healthy_after{60000};  // a worker this old resets the backoff
  std::size_t quarantine_deaths = 5;
  std::chrono::milliseconds quarantine_window{5 * 60 * 1000};
  std::chrono::milliseconds start_patience{60000};  // for each handshake answer
  std::chrono::milliseconds stop_patience{5000};    // for a worker asked to exit
  // A worker silent this long is pinged, and killed when silent as long
  // again (WorkerConnection::serve); zero: never.
  std::chrono::milliseconds ping_interval{5000};
};

// What starting a worker needs from the host.
struct WorkerEnvironment {
  Supervisor& supervisor;
  ClientProvider* clients;  // nullptr: chain calls fail (check, list)
  SupervisionPolicy policy = {};
  // Asked while a worker loads its plugin (its first start and restarts):
  // once it says yes, the worker is killed and the load fails. None: never.
  std::function<bool()> stop_loading = {};
};

class WorkerPlugin final : public runtime::PluginWorker, public std::enable_shared_from_this<WorkerPlugin> {
 public:
  // Starts a worker for `copy` and does the handshake. `accept` sees the
  // plugin's info first and may refuse it (by throwing PluginLoadError).
  // Throws PluginLoadError with the cause.
  static loader::LoadedPlugin load(const std::filesystem::path& file, std::shared_ptr<loader::ShadowCopy> copy,
                                   const loader::PluginEnvironment& env, const WorkerEnvironment& workers,
                                   const std::function<void(const PluginInfo&)>& accept);

  ~WorkerPlugin() override;

  void start_run(const std::string& job, JobContext& ctx,
                 std::function<void(std::exception_ptr thrown)> finished) override;
  std::string state() const override;
  std::uint64_t deaths() const override;
  void kill_runs(const std::string& why) override;
  void release_quarantine() override;
  void ask_to_exit() override;

  // Private to load(), which needs make_shared.
  struct Token {};
  WorkerPlugin(Token, std::filesystem::path file, std::shared_ptr<loader::ShadowCopy> copy,
               const loader::PluginEnvironment& env, const WorkerEnvironment& workers);

 private:
  // A worker started and through its handshake, not serving yet.
  std::shared_ptr<WorkerConnection> start(const std::function<WorkerConnection::Acceptance(const PluginInfo&)>& accept,
                                          WorkerConnection::Handshake& handshake);
  void serve(std::shared_ptr<WorkerConnection> worker);
  void ended(const WorkerConnection* worker, const std::string& cause);
  void restart();
  void record_death_locked(const std::string& cause);
  std::string down_text_locked() const;

  const std::filesystem::path file_;
  const std::shared_ptr<loader::ShadowCopy> copy_;
  Supervisor& supervisor_;
  ClientProvider* const clients_;
  const SupervisionPolicy policy_;
  const std::function<bool()> stop_loading_;
  std::shared_ptr<spdlog::logger> log_;  // the "plugins" log
  // Set by the first handshake, then read-only.
  PluginInfo info_;
  std::shared_ptr<logging::SpdlogLogger> plugin_logger_;
  Settings settings_;  // the plugin's settings, sent at every start
  std::vector<JobDefinition> jobs_;  // each run function forwards to start_run() and waits

  mutable std::mutex mutex_;
  std::shared_ptr<WorkerConnection> current_;  // null while down
  std::shared_ptr<WorkerConnection> dead_;     // the last one, reaped off its own reader thread
  std::chrono::steady_clock::time_point started_at_;
  std::chrono::steady_clock::time_point restart_at_;
  std::chrono::milliseconds backoff_;
  std::deque<std::chrono::steady_clock::time_point> recent_deaths_;
  std::uint64_t deaths_ = 0;
  std::string last_cause_;
  bool quarantined_ = false;
  bool stopping_ = false;
};

}  // namespace jobhost::isolation
