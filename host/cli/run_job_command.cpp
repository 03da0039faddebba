// `jobhost run-job JOB`: one run, now, in the foreground.
#include <iostream>

#include "cli/commands.hpp"
#include "jobhost/error.hpp"
#include "jobs/host.hpp"
#include "runtime/job_runner.hpp"
#include "runtime/shutdown_signals.hpp"

namespace jobhost::cli {

int run_job_now(const Invocation& invocation) {
  runtime::install_shutdown_signals();
  jobs::Host host(invocation.config);
  for (const auto& error : host.load_errors()) host.log()->error("{}", error);
  if (!host.config_errors().empty()) {
    for (const auto& error : host.config_errors()) host.log()->error("{}", error);
    return 2;
  }
  const std::string& name = invocation.operands.front();
  const std::shared_ptr<runtime::ScheduledJob> job = host.find_job(name);
  if (!job) {
    std::string known;
    for (const auto& candidate : host.jobs()) known += (known.empty() ? "" : ", ") + candidate->spec.name;
    throw ConfigError("run-job: no job named \"" + name + "\" is loaded (loaded jobs: " +
                      (known.empty() ? "none" : known) + ")");
  }
  host.create_state_dirs();

  std::stop_source stop;
  runtime::RunOutcome outcome;
  {
    runtime::ShutdownSignalWatcher watcher([&](int) {
      host.log()->info("signal received: asking {} to stop", name);
      stop.request_stop();
    });
    const auto now = std::chrono::system_clock::now();
    outcome = runtime::run_once(*job, host.clients(), stop, now, std::chrono::steady_clock::now()).outcome;
  }
  return outcome == runtime::RunOutcome::ok ? 0 : 1;
}

}  // namespace jobhost::cli
