// `jobhost list`: plugins and jobs, as tables.
#include <iostream>

#include "cli/commands.hpp"
#include "cli/table.hpp"
#include "jobs/host.hpp"
#include "loader/declared_settings.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::cli {
namespace {

constexpr int kFiresShown = 3;

// `list --settings`: what each plugin declares it reads, and the chains its
// jobs use.
void print_settings(const jobs::Host& host) {
  std::vector<std::vector<std::string>> rows = {{"PLUGIN", "SETTING", "TYPE", "DEFAULT", "HELP"}};
  std::vector<std::string> chains;
  for (const auto& plugin : host.plugins()) {
    if (!plugin.declarations) {
      rows.push_back({plugin.info.name, "-", "-", "-", "declares none: its settings are passed on unchecked"});
      continue;
    }
    for (const auto& setting : plugin.declarations->settings) {
      rows.push_back({plugin.info.name, setting.key, loader::describe(setting.type),
                      setting.default_value.empty() ? "-" : setting.default_value, setting.help});
    }
    for (const auto& use : plugin.declarations->chains) {
      chains.push_back(plugin.info.name + ": its jobs use " +
                       (use.setting.empty() ? "chain " + use.name : "the chain(s) named by setting " + use.setting));
    }
  }
  print_table(std::cout, rows);
  if (!chains.empty()) std::cout << "\n";
  for (const auto& line : chains) std::cout << line << "\n";
}

}  // namespace

int list_plugins_and_jobs(const Invocation& invocation) {
  jobs::Host host(invocation.config);
  if (invocation.list_settings) {
    print_settings(host);
    for (const auto& error : host.load_errors()) std::cerr << "error: " << host.logs().redacted(error) << "\n";
    return host.load_errors().empty() ? 0 : 1;
  }
  std::vector<std::vector<std::string>> plugins = {{"PLUGIN", "VERSION", "ISOLATION", "FILE", "DESCRIPTION"}};
  for (const auto& plugin : host.plugins()) {
    plugins.push_back({plugin.info.name, plugin.info.version, plugin.worker ? "process" : "none", plugin.file.string(),
                       plugin.info.description});
  }
  print_table(std::cout, plugins);
  std::cout << "\n";
  // A job's row shows its first three fires; the second and third go on
  // rows of their own below it.
  std::vector<std::vector<std::string>> jobs = {{"JOB", "SCHEDULE", "ZONE", "POLICIES", "NEXT FIRES", "DESCRIPTION"}};
  const auto now = std::chrono::system_clock::now();
  for (const auto& job : host.jobs()) {
    const auto& schedule = *job->spec.schedule;
    if (!job->spec.enabled) {
      jobs.push_back({job->spec.name, schedule.spec(), schedule.zone().name(), runtime::describe(job->spec.policy), "disabled",
                      job->spec.definition->description});
      continue;
    }
    auto fire = schedule.next(now);
    jobs.push_back({job->spec.name, schedule.spec(), schedule.zone().name(), runtime::describe(job->spec.policy),
                    schedule::format_iso8601(fire, schedule.zone()), job->spec.definition->description});
    for (int i = 1; i < kFiresShown; ++i) {
      fire = schedule.next(fire);
      jobs.push_back({"", "", "", "", schedule::format_iso8601(fire, schedule.zone()), ""});
    }
  }
  print_table(std::cout, jobs);
  for (const auto& error : host.load_errors()) std::cerr << "error: " << host.logs().redacted(error) << "\n";
  for (const auto& error : host.config_errors()) std::cerr << "error: " << host.logs().redacted(error) << "\n";
  return host.load_errors().empty() && host.config_errors().empty() ? 0 : 1;
}

}  // namespace jobhost::cli
