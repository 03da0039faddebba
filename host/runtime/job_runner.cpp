#include "runtime/job_runner.hpp"

#include <string>

#include "jobhost/duration.hpp"
#include "jobhost/error.hpp"
#include "runtime/plugin_exit.hpp"
#include "runtime/run_context.hpp"
#include "runtime/run_killed_error.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::runtime {
namespace {

std::string format_elapsed(std::chrono::nanoseconds elapsed) {
  return format_duration(std::chrono::duration_cast<std::chrono::microseconds>(elapsed));
}

}  // namespace

void log_run_start(ScheduledJob& job, std::chrono::system_clock::time_point scheduled) {
  Logger& log = *job.spec.logger;
  if (log.enabled(LogLevel::debug)) {
    log.debug("run started (scheduled for " +
              schedule::format_iso8601(std::chrono::floor<std::chrono::seconds>(scheduled), job.spec.schedule->zone()) + ")");
  }
}

RunResult run_result(ScheduledJob& job, std::chrono::steady_clock::time_point started, std::exception_ptr thrown) {
  Logger& log = *job.spec.logger;
  const auto duration = std::chrono::steady_clock::now() - started;
  if (!thrown) {
    if (log.enabled(LogLevel::info)) log.info("run ok in " + format_elapsed(duration));
    return {RunOutcome::ok, duration};
  }
  try {
    std::rethrow_exception(thrown);
  } catch (const StoppedError& e) {
    log.warn("run stopped after " + format_elapsed(duration) + ": " + e.what());
    return {RunOutcome::stopped, duration};
  } catch (const RunKilledError& e) {
    log.error("run killed after " + format_elapsed(duration) + ": " + e.what());
    return {RunOutcome::killed, duration};
  } catch (const std::exception& e) {
    log.error("run failed after " + format_elapsed(duration) + ": " + e.what());
    return {RunOutcome::failed, duration};
  } catch (...) {
    log.error("run failed after " + format_elapsed(duration) + ": a non-standard exception was thrown");
    return {RunOutcome::failed, duration};
  }
}

RunResult run_once(ScheduledJob& job, ClientProvider& clients, const std::stop_source& stop,
                   std::chrono::system_clock::time_point scheduled, std::chrono::steady_clock::time_point started) {
  log_run_start(job, scheduled);
  RunContext context(job, clients, stop, scheduled);
  std::exception_ptr thrown;
  try {
    const RunningJobMark mark(job.spec.name);  // named if the run calls exit()
    job.spec.definition->run(context);
  } catch (...) {
    thrown = std::current_exception();
  }
  return run_result(job, started, thrown);
}

}  // namespace jobhost::runtime
