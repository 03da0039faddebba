#include "control/control_requests.hpp"

#include "observe/jobs_json.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::control {
namespace {

runtime::ScheduledJob* find_job(const observe::HostSnapshot& host, const std::string& name) {
  for (const auto& job : host.jobs) {
    if (job->spec.name == name) return job.get();
  }
  return nullptr;
}

std::string job_names(const observe::HostSnapshot& host) {
  std::string names;
  for (const auto& job : host.jobs) names += (names.empty() ? "" : ", ") + job->spec.name;
  return names.empty() ? "none" : names;
}

Reply trigger(runtime::ScheduledJob& job, const ControlTarget& target) {
  const auto due = std::chrono::floor<std::chrono::seconds>(target.now());
  const std::string fire = job.spec.name + ": fire at " + schedule::format_iso8601(due, job.spec.schedule->zone());
  const std::string policy = runtime::to_string(job.spec.policy.overlap);
  switch (target.dispatcher.fire(job, due)) {
    case runtime::Dispatcher::FireOutcome::started:
      return {true, fire + " started\n"};
    case runtime::Dispatcher::FireOutcome::waiting:
      return {true, fire + " waits for the running run (overlap policy: " + policy + ")\n"};
    case runtime::Dispatcher::FireOutcome::skipped:
      break;
  }
  return {true, fire + " skipped: a run is still running (overlap policy: " + policy + ")\n"};
}

}  // namespace

Reply answer_request(const std::string& request, const ControlTarget& target) {
  const auto space = request.find(' ');
  const std::string verb = request.substr(0, space);
  const std::string operand = space == std::string::npos ? "" : request.substr(space + 1);
  const observe::HostSnapshot host = target.snapshot();
  if (verb == "status" && operand.empty()) return {true, observe::render_jobs_json(host)};
  if (verb != "trigger" && verb != "pause" && verb != "resume") {
    return {false, "unknown request \"" + request + "\" (expected status, trigger JOB, pause JOB or resume JOB)"};
  }
  runtime::ScheduledJob* job = find_job(host, operand);
  if (!job) return {false, "no job \"" + operand + "\" (jobs: " + job_names(host) + ")"};
  if (verb == "trigger") return trigger(*job, target);
  job->paused = (verb == "pause");
  return {true, job->spec.name + (verb == "pause" ? ": paused\n" : ": resumed\n")};
}

}  // namespace jobhost::control
