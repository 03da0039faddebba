#include "observe/jobs_json.hpp"

#include <nlohmann/json.hpp>

#include "schedule/iso8601.hpp"

namespace jobhost::observe {

namespace {

// What `by_plugin` holds for the job's plugin, or null.
nlohmann::json plugins_entry(const std::map<std::string, std::string>& by_plugin, const std::string& job) {
  const auto it = by_plugin.find(job.substr(0, job.find('.')));
  return it == by_plugin.end() ? nlohmann::json(nullptr) : nlohmann::json(it->second);
}

}  // namespace

std::string render_jobs_json(const HostSnapshot& host) {
  auto jobs = nlohmann::json::array();
  for (const auto& job : host.jobs) {
    const auto& zone = job->spec.schedule->zone();
    nlohmann::json entry = {
        {"name", job->spec.name},
        {"description", job->spec.definition->description},
        {"plugin_description", plugins_entry(host.plugin_descriptions, job->spec.name)},
        {"schedule", job->spec.schedule->spec()},
        {"zone", zone.name()},
        {"enabled", job->spec.enabled},
        {"paused", job->paused.load()},
        {"policies", runtime::describe(job->spec.policy)},
        {"isolation", job->spec.worker ? "process" : "none"},
        {"worker", job->spec.worker ? nlohmann::json(job->spec.worker->state()) : nlohmann::json(nullptr)},
        {"replacement_refused", plugins_entry(host.refused_replacements, job->spec.name)},
        {"runs",
         {{"ok", job->stats.runs_ok.load()},
          {"failed", job->stats.runs_failed.load()},
          {"stopped", job->stats.runs_stopped.load()},
          {"timeout", job->stats.runs_timed_out.load()},
          {"killed", job->stats.runs_killed.load()},
          {"skipped", job->stats.fires_skipped.load()},
          {"missed", job->stats.fires_missed.load()}}},
    };
    {
      std::lock_guard lock(job->runs.mutex);
      entry["running"] = job->runs.active.size();
      if (job->stats.last_run) {
        const auto& last = *job->stats.last_run;
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
  // Replaced, not refused: a plugin's text may hold bytes that are not UTF-8.
  return jobs.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace jobhost::observe
