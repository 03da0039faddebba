// `jobhost list`: plugins and jobs, as tables.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/table.hpp"
#include "jobs/host.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::cli {
namespace {

constexpr int kFiresShown = 3;

}  // namespace

int list_plugins_and_jobs(const Invocation& invocation) {
  jobs::Host host(invocation.config);
  std::vector<std::vector<std::string>> plugins = {{"PLUGIN", "VERSION", "ISOLATION", "FILE"}};
  for (const auto& plugin : host.plugins()) {
    plugins.push_back({plugin.info.name, plugin.info.version, plugin.worker ? "process" : "none", plugin.file.string()});
  }
  print_table(std::cout, plugins);
  std::cout << "\n";
  // A job's row shows its first three fires; the second and third go on
  // rows of their own below it.
  std::vector<std::vector<std::string>> jobs = {{"JOB", "SCHEDULE", "ZONE", "POLICIES", "NEXT FIRES"}};
  const auto now = std::chrono::system_clock::now();
  for (const auto& job : host.jobs()) {
    const auto& schedule = *job->spec.schedule;
    if (!job->spec.enabled) {
      jobs.push_back({job->spec.name, schedule.spec(), schedule.zone().name(), runtime::describe(job->spec.policy), "disabled"});
      continue;
    }
    auto fire = schedule.next(now);
    jobs.push_back({job->spec.name, schedule.spec(), schedule.zone().name(), runtime::describe(job->spec.policy),
                    schedule::format_iso8601(fire, schedule.zone())});
    for (int i = 1; i < kFiresShown; ++i) {
      fire = schedule.next(fire);
      jobs.push_back({"", "", "", "", schedule::format_iso8601(fire, schedule.zone())});
    }
  }
  print_table(std::cout, jobs);
  for (const auto& error : host.load_errors()) std::cerr << "error: " << error << "\n";
  for (const auto& error : host.config_errors()) std::cerr << "error: " << error << "\n";
  return host.load_errors().empty() && host.config_errors().empty() ? 0 : 1;
}

}  // namespace jobhost::cli
