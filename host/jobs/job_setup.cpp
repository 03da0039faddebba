#include "jobs/job_setup.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "config/keys.hpp"
#include "jobhost/error.hpp"
#include "jobhost/settings.hpp"
#include "loader/declared_settings.hpp"

namespace jobhost::jobs {
namespace {

std::unique_ptr<runtime::ScheduledJob> make_job(const loader::LoadedPlugin& plugin,
                                       const std::shared_ptr<const JobDefinition>& definition,
                                       const config::Config& config, const logging::LogHub& logs,
                                       const std::filesystem::path& state_dir,
                                       const schedule::TimeZone& default_zone) {
  auto job = std::make_unique<runtime::ScheduledJob>();
  job->spec.name = plugin.info.name + "." + definition->name;
  job->spec.definition = definition;
  job->spec.worker = plugin.worker;

  std::map<std::string, std::string> settings = config.section(plugin.info.name);
  for (const auto& [key, value] : definition->settings) settings[key] = value;
  for (const auto& [key, value] : config.section("job." + job->spec.name)) settings[key] = value;

  const std::string key_prefix = "job." + job->spec.name + ".";
  const std::string spec = settings.count("schedule") ? settings["schedule"] : definition->schedule;
  // The zone: the job's "tz", else the host's; a CRON_TZ= prefix in the spec
  // beats both.
  schedule::TimeZone zone = default_zone;
  if (settings.count("tz")) {
    try {
      zone = schedule::TimeZone::named(settings["tz"]);
    } catch (const ConfigError& e) {
      throw ConfigError(key_prefix + "tz: " + e.what());
    }
  }
  try {
    job->spec.schedule = schedule::parse_schedule(spec, zone);
    // A spec whose every match falls in a skipped hour parses but never
    // fires: finding its next fire says so.
    job->spec.schedule->next(std::chrono::system_clock::now());
  } catch (const schedule::ScheduleError& e) {
    throw ConfigError(key_prefix + "schedule: " + e.what());  // the message quotes the spec
  }
  if (settings.count("enabled")) job->spec.enabled = parse_bool(settings["enabled"], key_prefix + "enabled");
  job->spec.policy = runtime::read_job_policy(settings, key_prefix);
  job->spec.settings = Settings(std::move(settings));
  job->spec.state_dir = state_dir / "plugins" / plugin.info.name;
  job->spec.logger = logs.make_job_logger(job->spec.name);
  job->spec.run_logger = logs.make_plugin_logger(job->spec.name);
  return job;
}

// Every "job.PLUGIN.JOB.KEY" key must name a job of a loaded plugin; keys for
// plugins that are not loaded only earn a warning.
void check_job_keys(const std::vector<loader::LoadedPlugin>& plugins, const config::Config& config,
                    const std::set<std::string>& job_names, JobSetup& setup) {
  std::map<std::string, std::string> jobs_of;  // plugin name -> "a, b"
  for (const auto& plugin : plugins) {
    std::string& list = jobs_of[plugin.info.name];
    for (const auto& job : plugin.jobs) list += (list.empty() ? "" : ", ") + job->name;
  }
  std::set<std::string> warned;
  for (const auto& [key, values] : config.section("job")) {
    const auto first_dot = key.find('.');
    const auto second_dot = key.find('.', first_dot + 1);
    const std::string plugin = key.substr(0, first_dot);
    const std::string job = key.substr(0, second_dot);
    if (job_names.count(job)) continue;
    if (!jobs_of.count(plugin)) {
      if (warned.insert(plugin).second) {
        setup.warnings.push_back("configuration for job " + job + " ignored: plugin \"" + plugin + "\" is not loaded");
      }
      continue;
    }
    setup.errors.push_back("job." + key + ": plugin \"" + plugin + "\" has no job \"" +
                           job.substr(first_dot + 1) + "\" (its jobs: " + jobs_of[plugin] + ")");
  }
}

// An "isolation.PLUGIN" key for a plugin that is not loaded earns a warning:
// it may be a typo of a loaded plugin's name.
void check_isolation_keys(const std::vector<loader::LoadedPlugin>& plugins, const config::Config& config,
                          JobSetup& setup) {
  std::set<std::string> loaded;
  for (const auto& plugin : plugins) loaded.insert(plugin.info.name);
  for (const auto& [plugin, values] : config.section("isolation")) {
    if (!loaded.count(plugin)) {
      setup.warnings.push_back("isolation." + plugin + " ignored: plugin \"" + plugin + "\" is not loaded");
    }
  }
}

// The keys of a job's section that the host reads (job_policy.cpp and
// make_job): the plugin's declarations do not cover them.
bool is_host_job_key(const std::string& key) {
  static const std::set<std::string> kKeys = {"schedule", "tz",     "enabled",    "overlap",    "max-concurrent",
                                              "timeout",  "jitter", "kill-grace", "misfire", "starting-deadline"};
  return kKeys.count(key) != 0;
}

// The job's own section against what its plugin declares; a plugin that
// declares nothing but is given settings earns one warning.
void check_declared_keys(const loader::LoadedPlugin& plugin, const config::Config& config, JobSetup& setup) {
  bool given = !config.section(plugin.info.name).empty();
  for (const auto& job : plugin.jobs) {
    const std::string job_name = plugin.info.name + "." + job->name;
    for (const auto& [key, value] : config.section("job." + job_name)) {
      if (is_host_job_key(key)) continue;
      given = true;
      if (!plugin.declarations) continue;
      if (auto problem =
              loader::check_declared_setting(plugin.info.name, *plugin.declarations, key, value, "job." + job_name + "." + key)) {
        setup.errors.push_back(*problem);
      }
    }
  }
  if (given && !plugin.declarations) {
    setup.warnings.push_back(plugin.info.name + " declares no settings (built against SDK 1.0, or without "
                             "declarations()): its settings are passed on unchecked");
  }
}

// The chains the enabled jobs use that no [chain.NAME] configures.
void check_chains(const JobSetup& jobs, const std::vector<loader::LoadedPlugin>& plugins, const config::Config& config,
                  std::vector<std::string>& missing) {
  std::set<std::string> configured;
  for (const auto& [key, values] : config.section("chain")) configured.insert(key.substr(0, key.find('.')));
  std::string listed;
  for (const auto& chain : configured) listed += (listed.empty() ? "" : ", ") + chain;
  for (const auto& job : jobs.jobs) {
    if (!job->spec.enabled) continue;
    const std::string plugin_name = job->spec.name.substr(0, job->spec.name.find('.'));
    const auto plugin = std::find_if(plugins.begin(), plugins.end(),
                                     [&](const loader::LoadedPlugin& each) { return each.info.name == plugin_name; });
    if (plugin == plugins.end() || !plugin->declarations) continue;
    for (const auto& need : loader::chains_needed(*plugin->declarations, job->spec.settings)) {
      if (configured.count(need.chain)) continue;
      missing.push_back(job->spec.name + " uses chain \"" + need.chain + "\"" +
                        (need.how.empty() ? "" : " (its " + need.how + ")") + ", which is not configured (" +
                        (listed.empty() ? "no chain is" : "configured: " + listed) + "; add --chain " + need.chain +
                        "=URL or [chain." + need.chain + "] url = URL)");
    }
  }
}

}  // namespace

JobSetup set_up_jobs(const std::vector<loader::LoadedPlugin>& plugins, const config::Config& config,
                     const logging::LogHub& logs, const std::filesystem::path& state_dir,
                     const schedule::TimeZone& default_zone) {
  JobSetup setup;
  std::set<std::string> job_names;
  for (const auto& plugin : plugins) {
    for (const auto& definition : plugin.jobs) {
      job_names.insert(plugin.info.name + "." + definition->name);
      try {
        setup.jobs.push_back(make_job(plugin, definition, config, logs, state_dir, default_zone));
      } catch (const ConfigError& e) {
        setup.errors.push_back(e.what());
      }
    }
  }
  check_job_keys(plugins, config, job_names, setup);
  check_isolation_keys(plugins, config, setup);
  for (const auto& plugin : plugins) check_declared_keys(plugin, config, setup);
  check_chains(setup, plugins, config, setup.missing_chains);
  return setup;
}

std::vector<std::string> sections_of_absent_plugins(const std::vector<loader::LoadedPlugin>& plugins,
                                                    const config::Config& config) {
  std::set<std::string> loaded;
  for (const auto& plugin : plugins) loaded.insert(plugin.info.name);
  std::set<std::string> absent;
  for (const auto& [key, values] : config.all()) {
    const auto plugin = config::plugin_of_key(key);
    if (plugin && !loaded.count(*plugin)) absent.insert(*plugin);
  }
  std::vector<std::string> warnings;
  for (const auto& plugin : absent) {
    warnings.push_back("settings for plugin \"" + plugin + "\" ignored: no plugin of that name is loaded");
  }
  return warnings;
}

}  // namespace jobhost::jobs
