#include "observe/jobs_json.hpp"

#include <nlohmann/json.hpp>

#include "schedule/iso8601.hpp"

namespace jobhost::observe {

std::string render_jobs_json(const HostSnapshot& host) {
  auto jobs = nlohmann::json::array();
  for (const auto& job : host.jobs) {
    const auto& zone = job->schedule->zone();
    nlohmann::json entry = {
        {"name", job->name},
        {"schedule", job->schedule->spec()},
        {"zone", zone.name()},
        {"enabled", job->enabled},
        {"paused", job->paused.load()},
        {"policies", runtime::describe(job->policy)},
        {"runs",
         {{"ok", job->runs_ok.load()},
          {"failed", job->runs_failed.load()},
          {"stopped", job->runs_stopped.load()},
          {"timeout", job->runs_timed_out.load()},
          {"skipped", job->fires_skipped.load()},
          {"missed", job->fires_missed.load()}}},
    };
    {
      std::lock_guard lock(job->mutex);
      entry["running"] = job->active.size();
      if (job->last_run) {
        const auto& last = *job->last_run;
        entry["last_run"] = {
            {"scheduled", schedule::format_iso8601(last.scheduled, zone)},
            {"outcome", last.outcome},
            {"duration_seconds", std::chrono::duration<double>(last.duration).count()},
            {"finished", schedule::format_iso8601(std::chrono::floor<std::chrono::seconds>(last.finished), zone)}};
      } else {
        entry["last_run"] = nullptr;
      }
    }
    const std::int64_t next = job->next_fire;
    entry["next_fire"] = next == 0 ? nlohmann::json(nullptr)
                                   : nlohmann::json(schedule::format_iso8601(
                                         std::chrono::sys_seconds(std::chrono::seconds(next)), zone));
    jobs.push_back(std::move(entry));
  }
  return jobs.dump(2) + "\n";
}

}  // namespace jobhost::observe
