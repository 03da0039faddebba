#include "runtime/job_runner.hpp"

#include <string>

#include "jobhost/duration.hpp"
#include "jobhost/error.hpp"
#include "runtime/run_context.hpp"
#include "runtime/run_killed_error.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::runtime {
namespace {

std::string format_elapsed(std::chrono::nanoseconds elapsed) {
  return format_duration(std::chrono::duration_cast<std::chrono::microseconds>(elapsed));
}

}  // namespace

RunResult run_once(ScheduledJob& job, ClientProvider& clients, const std::stop_source& stop,
                   std::chrono::system_clock::time_point scheduled, std::chrono::steady_clock::time_point started) {
  Logger& log = *job.spec.logger;
  if (log.enabled(LogLevel::debug)) {
    log.debug("run started (scheduled for " +
              schedule::format_iso8601(std::chrono::floor<std::chrono::seconds>(scheduled), job.spec.schedule->zone()) + ")");
  }
  RunContext context(job, clients, stop, scheduled);
  const auto elapsed = [started] { return std::chrono::steady_clock::now() - started; };
  try {
    job.spec.definition->run(context);
  } catch (const StoppedError& e) {
    const auto duration = elapsed();
    log.warn("run stopped after " + format_elapsed(duration) + ": " + e.what());
    return {RunOutcome::stopped, duration};
  } catch (const RunKilledError& e) {
    const auto duration = elapsed();
    log.error("run killed after " + format_elapsed(duration) + ": " + e.what());
    return {RunOutcome::killed, duration};
  } catch (const std::exception& e) {
    const auto duration = elapsed();
    log.error("run failed after " + format_elapsed(duration) + ": " + e.what());
    return {RunOutcome::failed, duration};
  } catch (...) {
    const auto duration = elapsed();
    log.error("run failed after " + format_elapsed(duration) + ": a non-standard exception was thrown");
    return {RunOutcome::failed, duration};
  }
  const auto duration = elapsed();
  if (log.enabled(LogLevel::info)) log.info("run ok in " + format_elapsed(duration));
  return {RunOutcome::ok, duration};
}

}  // namespace jobhost::runtime
