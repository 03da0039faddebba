#include "daemon/daemon.hpp"

#include <algorithm>

#include "control/control_requests.hpp"
#include "jobhost/error.hpp"
#include "observe/jobs_json.hpp"
#include "observe/metrics_text.hpp"
#include "observe/readiness.hpp"
#include "runtime/shutdown_signals.hpp"

namespace jobhost::daemon {
namespace {

// How long the runs of killed workers get to return at shutdown: they
// return as soon as the host sees the worker gone.
constexpr std::chrono::seconds kKilledRunsPatience{5};

}  // namespace

Daemon::Daemon(const config::Config& config)
    : host_(config, jobs::PluginCopies::in_state_dir, runtime::stop_requested) {}

Daemon::~Daemon() = default;

observe::HostSnapshot Daemon::snapshot() {
  const auto plugins = host_.plugins();
  observe::HostSnapshot snapshot{host_.jobs(), JOBHOST_VERSION, plugins.size(), host_.load_errors().size(),
                                 host_.clients().stats(), {}, host_.refused_replacements(), {}};
  // Why a file was refused may quote what a plugin or a node said.
  for (auto& [plugin, why] : snapshot.refused_replacements) why = host_.logs().redacted(std::move(why));
  const auto& settings = host_.settings();
  snapshot.state_dir = settings.state_dir;
  for (const auto& dir : settings.plugin_dirs) {
    const auto& optional = settings.optional_plugin_dirs;
    if (std::find(optional.begin(), optional.end(), dir) == optional.end()) snapshot.required_plugin_dirs.push_back(dir);
  }
  snapshot.ready_memory_max = settings.ready_memory_max;
  snapshot.log_lines_dropped = host_.logs().dropped_lines();
  for (const auto& plugin : plugins) {
    snapshot.plugin_descriptions[plugin.info.name] = plugin.info.description;
    if (plugin.worker) snapshot.worker_deaths[plugin.info.name] = plugin.worker->deaths();
  }
  return snapshot;
}

// The control socket in the state directory (status, trigger, pause,
// resume). Throws ControlError when another daemon holds it.
void Daemon::serve_control() {
  const auto socket = control::socket_path(host_.settings().state_dir);
  control_ = std::make_unique<control::ControlServer>(
      socket, [target = control::ControlTarget{[this] { return snapshot(); }, *dispatcher_,
                                               [] { return std::chrono::system_clock::now(); }},
               log = host_.log()](const std::string& request) {
        log->info("control: {}", request);
        return control::answer_request(request, target);
      });
  host_.log()->info("control socket: {}", socket.string());
}

int Daemon::start() {
  const auto& log = host_.log();
  const auto& settings = host_.settings();
  if (!host_.config_errors().empty()) {
    for (const auto& error : host_.config_errors()) log->error("{}", error);
    return 2;
  }
  for (const auto& error : host_.load_errors()) log->error("{}", error);
  host_.create_state_dirs();
  // First, so that a second daemon on this state directory stops here.
  try {
    state_lock_.emplace(settings.state_dir);
  } catch (const state::StateError& e) {
    log->error("{}", e.what());
    return 1;
  }
  if (settings.clients_eager) {
    // Failures are logged by the provider and retried on first use.
    host_.clients().create_all();
  }
  const jobs::JobList jobs = host_.jobs();  // those loaded at start-up
  std::size_t enabled = 0;
  for (const auto& job : jobs) enabled += job->spec.enabled ? 1 : 0;

  executor_ = std::make_unique<runtime::Executor>(settings.workers);
  watchdog_ = std::make_unique<runtime::Watchdog>();
  dispatcher_ = std::make_unique<runtime::Dispatcher>(*executor_, host_.clients(), *watchdog_);

  try {
    serve_control();
  } catch (const control::ControlError& e) {
    log->error("{}", e.what());
    return 1;
  }
  try {
    store_ = std::make_unique<state::StateStore>(settings.state_dir / "jobhost.db");
    log->info("state: {}", store_->file().string());
  } catch (const state::StateError& e) {
    // Without it, missed fires would be guessed: refuse rather than run
    // something twice.
    log->error("{} (move the file away to start without the history of fires)", e.what());
    return 1;
  }
  // Before any job runs, so that an address in use stops the start-up.
  if (const auto& address = settings.http) {
    http_ = std::make_unique<observe::HttpEndpoint>(
        *address, observe::HttpEndpoint::Handlers{[this] { return observe::render_metrics(snapshot()); },
                                                  [this] { return observe::render_jobs_json(snapshot()); },
                                                  [this] { return observe::readiness_problems(snapshot()); }});
    log->info("serving /metrics, /healthz, /readyz and /jobs on http://{}", address->to_string());
  }

  if (runtime::stop_requested()) {
    // SIGTERM came while plugins loaded: no job is scheduled, no missed
    // fire caught up; `run` goes straight to stop().
    log->info("asked to stop while starting: no job is scheduled");
    return 0;
  }
  log->info("jobhost {} started: {} plugins, {} jobs ({} enabled), {} workers", JOBHOST_VERSION,
            host_.plugins().size(), jobs.size(), enabled, settings.workers);
  if (enabled == 0) log->warn("no enabled jobs: nothing will run");
  // The host keeps the jobs alive; the scheduler forgets a job before the
  // reloader has the host drop it.
  clock_ = std::make_unique<runtime::SystemClock>();
  scheduler_ = std::make_unique<runtime::Scheduler>(jobs::pointers(jobs), *dispatcher_, *clock_, store_.get(),
                                                    host_.logs().make("scheduler"));
  scheduler_->start();
  // Hot drop-in: plugin files that come, change and go from now on.
  reloader_ = std::make_unique<jobs::PluginReloader>(host_, *scheduler_, *dispatcher_, settings.drain_timeout,
                                                     host_.logs().make("plugins"));
  if (settings.watch_plugins) {
    watcher_ = std::make_unique<loader::PluginDirWatcher>(
        settings.plugin_dirs, host_.plugin_dirs_at_start(),
        [this](const loader::PluginDirChanges& changes) { reloader_->apply(changes); }, host_.logs().make("plugins"),
        loader::PluginDirWatcherOptions{.debounce = settings.plugin_debounce});
  }
  // Under systemd (Type=notify): started; watchdog pings from now on when
  // WatchdogSec= asks for them. Nothing when NOTIFY_SOCKET is unset.
  systemd_ = std::make_unique<SystemdNotifier>(host_.logs().make("systemd"));
  systemd_->ready(std::to_string(jobs.size()) + " jobs (" + std::to_string(enabled) + " enabled)");
  return 0;
}

void Daemon::reload(const std::function<config::Config()>& read_config) {
  if (!reloader_) return;  // it never started: it is about to stop
  host_.log()->info("received SIGHUP: reading the configuration again{}",
                    watcher_ ? " and rescanning the plugin directories" : "");
  systemd_->reloading();
  try {
    reloader_->reconfigure(read_config());
  } catch (const ConfigError& e) {
    host_.log()->error("configuration not applied: {}; jobhost goes on with the one it runs", e.what());
  }
  if (watcher_) watcher_->rescan();
  host_.release_quarantines();
  systemd_->ready("reloaded");
}

Daemon::Stopped Daemon::stop(std::chrono::nanoseconds timeout, const std::string& reason) {
  if (systemd_) systemd_->stopping(reason);
  // No plugin comes or goes, and no worker restarts, from here on.
  if (watcher_) watcher_->stop();
  if (scheduler_) scheduler_->stop();
  host_.stop_restarts();
  jobs::JobList loaded = host_.jobs();
  const jobs::JobList leaked = host_.leaked_jobs();  // their runs may still run
  loaded.insert(loaded.end(), leaked.begin(), leaked.end());
  const auto jobs = jobs::pointers(loaded);
  dispatcher_->shut_down(jobs);
  // Runs in worker processes end on their workers' readers, not on the
  // executor's threads: both are waited for.
  const auto given_up = std::chrono::steady_clock::now() + timeout;
  const auto all_ended = [&](std::chrono::steady_clock::time_point deadline) {
    return executor_->join_for(deadline - std::chrono::steady_clock::now()) &&
           dispatcher_->await_runs(jobs, deadline - std::chrono::steady_clock::now()).empty();
  };
  if (!all_ended(given_up)) {
    std::string stuck;
    bool stuck_in_process = false;
    for (const auto& job : loaded) {
      if (!job->running()) continue;
      stuck += (stuck.empty() ? "" : ", ") + job->spec.name;
      if (job->spec.worker) {
        job->spec.worker->kill_runs("the shutdown timeout passed");
      } else {
        stuck_in_process = true;
      }
    }
    // A killed worker's runs return at once.
    if (stuck_in_process || !all_ended(std::chrono::steady_clock::now() + kKilledRunsPatience)) {
      host_.log()->error(
          "jobs still running after the shutdown timeout: {}; exiting without unloading their plugins", stuck);
      host_.logs().flush();
      return Stopped::abandoned;
    }
    host_.log()->error("jobs still running after the shutdown timeout: {}; their workers were killed", stuck);
    host_.ask_workers_to_exit();
    return Stopped::killed;
  }
  host_.ask_workers_to_exit();
  return Stopped::in_time;
}

}  // namespace jobhost::daemon
