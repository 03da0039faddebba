// `jobhost run`: the daemon.
#include <malloc.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "common/duration.hpp"
#include "control/control_requests.hpp"
#include "control/control_socket.hpp"
#include "daemon/systemd_notifier.hpp"
#include "jobhost/error.hpp"
#include "observe/http_endpoint.hpp"
#include "observe/jobs_json.hpp"
#include "observe/metrics_text.hpp"
#include "loader/plugin_dir_watcher.hpp"
#include "runtime/dispatcher.hpp"
#include "runtime/executor.hpp"
#include "jobs/host.hpp"
#include "jobs/plugin_reloader.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/shutdown_signals.hpp"
#include "runtime/system_clock.hpp"
#include "runtime/watchdog.hpp"
#include "state/state_store.hpp"

namespace jobhost::cli {
namespace {

// The control socket in the state directory (status, trigger, pause,
// resume). Throws ControlError when another daemon holds it.
std::unique_ptr<control::ControlServer> serve_control(jobs::Host& host, runtime::Dispatcher& dispatcher,
                                                      std::function<observe::HostSnapshot()> snapshot) {
  const auto socket = control::socket_path(host.settings().state_dir);
  auto server = std::make_unique<control::ControlServer>(
      socket, [target = control::ControlTarget{std::move(snapshot), dispatcher,
                                               [] { return std::chrono::system_clock::now(); }},
               log = host.log()](const std::string& request) {
        log->info("control: {}", request);
        return control::answer_request(request, target);
      });
  host.log()->info("control socket: {}", socket.string());
  return server;
}

}  // namespace

int run_daemon(const Invocation& invocation) {
  // A fixed threshold (glibc's own default, made static): blocks this large,
  // such as a /metrics body of 10,000 jobs, are mapped and given back when
  // freed. The dynamic one rises to the largest block freed and then keeps
  // such blocks in the heap, where the daemon's memory stays at its peak.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  runtime::block_shutdown_signals();
  jobs::Host host(invocation.config, jobs::PluginCopies::in_state_dir);
  const auto& log = host.log();
  if (!host.config_errors().empty()) {
    for (const auto& error : host.config_errors()) log->error("{}", error);
    return 2;
  }
  for (const auto& error : host.load_errors()) log->error("{}", error);
  host.create_state_dirs();
  if (host.settings().clients_eager) {
    // Failures are logged by the provider and retried on first use.
    host.clients().create_all();
  }

  const jobs::JobList jobs = host.jobs();  // those loaded at start-up
  std::size_t enabled = 0;
  for (const auto& job : jobs) enabled += job->enabled ? 1 : 0;

  runtime::Executor executor(host.settings().workers);
  runtime::Watchdog watchdog;
  runtime::Dispatcher dispatcher(executor, host.clients(), watchdog);
  const auto snapshot = [&host] {
    return observe::HostSnapshot{host.jobs(), JOBHOST_VERSION, host.plugins().size(), host.load_errors().size(),
                                 host.clients().stats()};
  };
  // First, so that a second daemon on this state directory stops here.
  std::unique_ptr<control::ControlServer> control;
  try {
    control = serve_control(host, dispatcher, snapshot);
  } catch (const control::ControlError& e) {
    log->error("{}", e.what());
    return 1;
  }
  std::unique_ptr<state::StateStore> store;
  try {
    store = std::make_unique<state::StateStore>(host.settings().state_dir / "jobhost.db");
    log->info("state: {}", store->file().string());
  } catch (const state::StateError& e) {
    // Without it, missed fires would be guessed: refuse rather than run
    // something twice.
    log->error("{} (move the file away to start without the history of fires)", e.what());
    return 1;
  }
  // Before any job runs, so that an address in use stops the start-up.
  std::unique_ptr<observe::HttpEndpoint> http;
  if (const auto& address = host.settings().http) {
    http = std::make_unique<observe::HttpEndpoint>(
        *address, observe::HttpEndpoint::Handlers{[snapshot] { return observe::render_metrics(snapshot()); },
                                                  [snapshot] { return observe::render_jobs_json(snapshot()); }});
    log->info("serving /metrics, /healthz and /jobs on http://{}", address->to_string());
  }

  log->info("jobhost {} started: {} plugins, {} jobs ({} enabled), {} workers", JOBHOST_VERSION,
            host.plugins().size(), jobs.size(), enabled, host.settings().workers);
  if (enabled == 0) log->warn("no enabled jobs: nothing will run");
  runtime::SystemClock clock;
  runtime::Scheduler scheduler(jobs::pointers(jobs), dispatcher, clock, store.get(), host.logs().make("scheduler"));
  scheduler.start();
  // Hot drop-in: plugin files that come, change and go from now on.
  jobs::PluginReloader reloader(host, scheduler, dispatcher, host.settings().drain_timeout,
                                   host.logs().make("plugins"));
  std::unique_ptr<loader::PluginDirWatcher> watcher;
  if (host.settings().watch_plugins) {
    watcher = std::make_unique<loader::PluginDirWatcher>(
        host.settings().plugin_dirs, host.plugin_dirs_at_start(),
        [&reloader](const loader::PluginDirChanges& changes) { reloader.apply(changes); }, host.logs().make("plugins"),
        loader::PluginDirWatcherOptions{.debounce = host.settings().plugin_debounce});
  }
  // Under systemd (Type=notify): started; watchdog pings from now on when
  // WatchdogSec= asks for them. Nothing when NOTIFY_SOCKET is unset.
  daemon::SystemdNotifier systemd(host.logs().make("systemd"));
  systemd.ready(std::to_string(jobs.size()) + " jobs (" + std::to_string(enabled) + " enabled)");

  int signal;
  while ((signal = runtime::wait_for_shutdown_signal()) == SIGHUP) {
    log->info("received SIGHUP: reading the configuration again{}",
              watcher ? " and rescanning the plugin directories" : "");
    systemd.reloading();
    try {
      reloader.reconfigure(reread_config(invocation));
    } catch (const ConfigError& e) {
      log->error("configuration not applied: {}; jobhost goes on with the one it runs", e.what());
    }
    if (watcher) watcher->rescan();
    systemd.ready("reloaded");
  }
  log->info("received SIG{}: stopping (waiting up to {} for running jobs)", sigabbrev_np(signal),
            format_duration(host.settings().shutdown_timeout));
  systemd.stopping(std::string("stopping on SIG") + sigabbrev_np(signal));
  // No plugin comes or goes from here on.
  if (watcher) watcher->stop();
  scheduler.stop();
  jobs::JobList loaded = host.jobs();
  const jobs::JobList leaked = host.leaked_jobs();  // their runs may still run
  loaded.insert(loaded.end(), leaked.begin(), leaked.end());
  dispatcher.shut_down(jobs::pointers(loaded));
  if (!executor.join_for(host.settings().shutdown_timeout)) {
    std::string stuck;
    for (const auto& job : loaded) {
      if (job->running()) stuck += (stuck.empty() ? "" : ", ") + job->name;
    }
    log->error("jobs still running after the shutdown timeout: {}; exiting without unloading their plugins", stuck);
    host.logs().flush();
    // Returning would destroy plugin objects and unload libraries under the
    // threads still running their code.
    std::_Exit(1);
  }
  log->info("stopped");
  return 0;
}

}  // namespace jobhost::cli
