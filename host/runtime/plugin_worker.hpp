// PluginWorker: the worker process a job's plugin runs in, as the runtime
// and the observers see it. isolation::WorkerPlugin implements it; a plugin
// loaded into the daemon's own process has none.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <string>

#include "jobhost/job_context.hpp"

namespace jobhost::runtime {

// Thread-safety: any thread.
class PluginWorker {
 public:
  virtual ~PluginWorker() = default;
  // Starts a run of the plugin's job `job` and returns without waiting for
  // it: `finished` is called once the run has ended, with what the job's run
  // function would have thrown (null for nothing) — on the thread that reads
  // the worker's messages, or on this one when the run cannot start (the
  // worker is down). `ctx` must live until then. No thread waits for the
  // run, which is what lets a few threads start thousands of runs an instant.
  virtual void start_run(const std::string& job, JobContext& ctx,
                         std::function<void(std::exception_ptr thrown)> finished) = 0;
  // "running", "restarting in 4s", "quarantined", with the pid or the
  // cause, for `list`, `status` and /jobs.
  virtual std::string state() const = 0;
  // How many times its worker died (crashed, exited, was killed) so far.
  virtual std::uint64_t deaths() const = 0;
  // Kills the worker: its runs in flight end as killed, with `why`; it is
  // restarted as after any death.
  virtual void kill_runs(const std::string& why) = 0;
  // Lifts a quarantine: the worker starts again at once (SIGHUP).
  virtual void release_quarantine() = 0;
  // At shutdown, once no run is in flight: asks the worker to exit now, and
  // not to restart, so that every worker exits at once rather than each when
  // its plugin is destroyed (which then waits what is left of the patience).
  virtual void ask_to_exit() = 0;
};

}  // namespace jobhost::runtime
