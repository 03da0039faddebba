// Plugin: what a plugin library provides to the host.
//
// A plugin is a shared library that defines one class deriving from Plugin
// and names it in JOBHOST_PLUGIN(Type) (export.hpp).
//
// Lifetime: the host creates the plugin object once after loading the
// library, calls configure() once, then jobs() once, and destroys the object
// before it unloads the library. Every object the plugin hands out (the
// JobDefinitions and their run functions) keeps the library loaded until it
// is destroyed.
// Thread-safety: info(), configure() and jobs() are called from one thread,
// before any of the plugin's jobs run. A job's run function, by contrast, may
// be called from any executor thread, and from several at once when the job's
// overlap policy allows it: it must be safe to call concurrently.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "jobhost/job_context.hpp"
#include "jobhost/logger.hpp"
#include "jobhost/settings.hpp"

namespace jobhost {

struct PluginInfo {
  std::string name;         // unique among loaded plugins: [a-z0-9_]+, e.g. "tx_watch"
  std::string version;      // free-form, e.g. "1.2.0"
  std::string description;  // one line
};

// One job a plugin offers. Its full name is "PLUGIN.NAME".
struct JobDefinition {
  std::string name;         // [a-z0-9_]+, unique within the plugin
  std::string description;  // one line
  // The default schedule: a cron spec ("*/5 * * * *", "0 30 9 * * MON-FRI"),
  // a descriptor ("@hourly") or "@every DURATION". The configuration may
  // override it (`job.PLUGIN.NAME.schedule`).
  std::string schedule;
  // Default job settings, the same keys as `[job.PLUGIN.NAME]` in the config
  // file; the configuration overrides them key by key.
  std::map<std::string, std::string> settings;
  // The work. Throwing marks the run failed; the host logs the exception with
  // the job name and carries on. See the thread-safety note above.
  std::function<void(JobContext&)> run;
};

class Plugin {
 public:
  virtual ~Plugin() = default;

  virtual PluginInfo info() const = 0;

  // Receives the plugin's own settings and its logger (named "PLUGIN"), which
  // stays valid until the plugin object is destroyed. Throw ConfigError for a
  // bad setting: the host refuses to load the plugin and reports the message.
  virtual void configure(const Settings& settings, Logger& logger) = 0;

  // The jobs this plugin offers; called once, after configure().
  virtual std::vector<JobDefinition> jobs() = 0;
};

}  // namespace jobhost
