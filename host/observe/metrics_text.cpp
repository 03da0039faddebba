#include "observe/metrics_text.hpp"

#include <cstdio>

#include "jobhost/version.hpp"

namespace jobhost::observe {
namespace {

// Numbers as Prometheus reads them: integers plainly, others with enough
// digits to round-trip.
std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void sample(std::string& out, const std::string& name, const std::string& labels, const std::string& value) {
  out += name;
  if (!labels.empty()) out += "{" + labels + "}";
  out += ' ';
  out += value;
  out += '\n';
}

void histogram(std::string& out, const char* name, const std::string& job_label, const runtime::Histogram& h) {
  const auto snapshot = h.snapshot();
  const auto bounds = h.bounds();
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    sample(out, std::string(name) + "_bucket", job_label + ",le=\"" + number(bounds[i]) + "\"",
           std::to_string(snapshot.cumulative[i]));
  }
  sample(out, std::string(name) + "_bucket", job_label + ",le=\"+Inf\"", std::to_string(snapshot.cumulative.back()));
  sample(out, std::string(name) + "_sum", job_label, number(snapshot.sum_seconds));
  sample(out, std::string(name) + "_count", job_label, std::to_string(snapshot.cumulative.back()));
}

}  // namespace

std::string escape_label(const std::string& value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string render_metrics(const HostSnapshot& host) {
  std::string out;
  header(out, "jobhost_job_runs_total", "counter",
         "Fires of each job by outcome: ok, failed, stopped, timeout, killed (its worker was killed); skipped by the "
         "overlap policy; missed "
         "(passed while the host was down, late or the clock jumped, and not caught up).");
  for (const auto& job : host.jobs) {
    const std::string label = "job=\"" + escape_label(job->spec.name) + "\"";
    const std::pair<const char*, std::uint64_t> outcomes[] = {
        {"ok", job->stats.runs_ok},           {"failed", job->stats.runs_failed},     {"stopped", job->stats.runs_stopped},
        {"timeout", job->stats.runs_timed_out}, {"killed", job->stats.runs_killed},
        {"skipped", job->stats.fires_skipped}, {"missed", job->stats.fires_missed}};
    for (const auto& [outcome, count] : outcomes) {
      sample(out, "jobhost_job_runs_total", label + ",outcome=\"" + outcome + "\"", std::to_string(count));
    }
  }
  header(out, "jobhost_job_duration_seconds", "histogram", "How long each job's runs took.");
  for (const auto& job : host.jobs) {
    histogram(out, "jobhost_job_duration_seconds", "job=\"" + escape_label(job->spec.name) + "\"", job->stats.run_duration);
  }
  header(out, "jobhost_job_lag_seconds", "histogram", "How late each job's runs started after their fire instant.");
  for (const auto& job : host.jobs) {
    histogram(out, "jobhost_job_lag_seconds", "job=\"" + escape_label(job->spec.name) + "\"", job->stats.fire_lag);
  }
  header(out, "jobhost_job_running", "gauge", "Runs of each job that have not returned yet.");
  for (const auto& job : host.jobs) {
    std::size_t running;
    {
      std::lock_guard lock(job->runs.mutex);
      running = job->runs.active.size();
    }
    sample(out, "jobhost_job_running", "job=\"" + escape_label(job->spec.name) + "\"", std::to_string(running));
  }
  header(out, "jobhost_plugins_loaded", "gauge", "Plugins loaded.");
  sample(out, "jobhost_plugins_loaded", "", std::to_string(host.plugins_loaded));
  header(out, "jobhost_plugin_load_errors_total", "counter", "Plugin files that could not be loaded.");
  sample(out, "jobhost_plugin_load_errors_total", "", std::to_string(host.plugin_load_errors));
  header(out, "jobhost_plugin_worker_deaths_total", "counter",
         "Deaths of each plugin's worker process: crashes, exits, kills.");
  for (const auto& [plugin, deaths] : host.worker_deaths) {
    sample(out, "jobhost_plugin_worker_deaths_total", "plugin=\"" + escape_label(plugin) + "\"", std::to_string(deaths));
  }
  header(out, "jobhost_plugin_log_lines_dropped_total", "counter",
         "Log lines of each plugin dropped for going over its rate limit (log.rate-limit).");
  for (const auto& [plugin, dropped] : host.log_lines_dropped) {
    sample(out, "jobhost_plugin_log_lines_dropped_total", "plugin=\"" + escape_label(plugin) + "\"",
           std::to_string(dropped));
  }
  header(out, "jobhost_client_init_total", "counter", "Chain client initialisations by outcome.");
  for (const auto& [chain, stats] : host.clients) {
    const std::string label = "chain=\"" + escape_label(chain) + "\"";
    sample(out, "jobhost_client_init_total", label + ",outcome=\"ok\"", std::to_string(stats.created));
    sample(out, "jobhost_client_init_total", label + ",outcome=\"failed\"", std::to_string(stats.failed));
  }
  header(out, "jobhost_build_info", "gauge", "The jobhost version and the plugin SDK version it runs; always 1.");
  sample(out, "jobhost_build_info",
         "version=\"" + escape_label(host.version) + "\",sdk=\"" + std::to_string(JOBHOST_SDK_VERSION_MAJOR) + "." +
             std::to_string(JOBHOST_SDK_VERSION_MINOR) + "\"",
         "1");
  return out;
}

}  // namespace jobhost::observe
