// `jobhost run`: the daemon.
#include <csignal>
#include <cstdlib>
#include <cstring>

#include "cli/commands.hpp"
#include "common/duration.hpp"
#include "runtime/dispatcher.hpp"
#include "runtime/executor.hpp"
#include "runtime/host.hpp"
#include "runtime/scheduler.hpp"
#include "runtime/shutdown_signals.hpp"
#include "runtime/system_clock.hpp"
#include "runtime/watchdog.hpp"
#include "state/state_store.hpp"

namespace jobhost::cli {

int run_daemon(const Invocation& invocation) {
  runtime::block_shutdown_signals();
  runtime::Host host(invocation.config);
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

  std::vector<runtime::ScheduledJob*> jobs;
  std::size_t enabled = 0;
  for (const auto& job : host.jobs()) {
    jobs.push_back(job.get());
    enabled += job->enabled ? 1 : 0;
  }
  log->info("jobhost {} started: {} plugins, {} jobs ({} enabled), {} workers", JOBHOST_VERSION,
            host.plugins().size(), jobs.size(), enabled, host.settings().workers);
  if (enabled == 0) log->warn("no enabled jobs: nothing will run");

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

  std::stop_source stop;
  runtime::Executor executor(host.settings().workers);
  runtime::Watchdog watchdog;
  runtime::Dispatcher dispatcher(executor, host.clients(), watchdog, stop.get_token());
  runtime::SystemClock clock;
  runtime::Scheduler scheduler(jobs, dispatcher, clock, store.get(), host.logs().make("scheduler"));
  scheduler.start();

  const int signal = runtime::wait_for_shutdown_signal();
  log->info("received SIG{}: stopping (waiting up to {} for running jobs)", sigabbrev_np(signal),
            format_duration(host.settings().shutdown_timeout));
  scheduler.stop();
  stop.request_stop();
  if (!executor.join_for(host.settings().shutdown_timeout)) {
    std::string stuck;
    for (auto* job : jobs) {
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
