#include "runtime/job_runner.hpp"

#include <string>

#include "common/duration.hpp"
#include "jobhost/error.hpp"
#include "runtime/run_context.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::runtime {
namespace {

std::string elapsed_since(std::chrono::steady_clock::time_point start) {
  const auto elapsed = std::chrono::steady_clock::now() - start;
  return format_duration(std::chrono::duration_cast<std::chrono::microseconds>(elapsed));
}

}  // namespace

RunOutcome run_once(ScheduledJob& job, ClientProvider& clients, std::stop_token stop,
                    std::chrono::system_clock::time_point scheduled) {
  Logger& log = *job.logger;
  if (log.enabled(LogLevel::debug)) {
    log.debug("run started (scheduled for " +
              schedule::format_iso8601(std::chrono::floor<std::chrono::seconds>(scheduled), job.schedule->zone()) + ")");
  }
  const auto start = std::chrono::steady_clock::now();
  RunContext context(job, clients, stop, scheduled);
  try {
    job.definition->run(context);
  } catch (const StoppedError& e) {
    log.warn("run stopped after " + elapsed_since(start) + ": " + e.what());
    return RunOutcome::stopped;
  } catch (const std::exception& e) {
    log.error("run failed after " + elapsed_since(start) + ": " + e.what());
    return RunOutcome::failed;
  } catch (...) {
    log.error("run failed after " + elapsed_since(start) + ": a non-standard exception was thrown");
    return RunOutcome::failed;
  }
  if (log.enabled(LogLevel::info)) log.info("run ok in " + elapsed_since(start));
  return RunOutcome::ok;
}

}  // namespace jobhost::runtime
