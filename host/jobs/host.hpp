// Host: the plugins loaded and their jobs, with the clients and logs they
// use, set up in the order docs/architecture.md gives and torn down in
// reverse.
//
// Construction: logging → client provider (chain slots and their SDK loggers;
// no connection yet) → the directory for private plugin copies → plugin
// discovery, checks and loading →
// jobs with the configuration laid over their defaults. Problems with single
// plugin files do not stop the host: they are kept in load_errors().
// Destruction: jobs, then plugin objects, then clients, then the plugin
// libraries are unloaded, then the logs are flushed.
//
// Not thread-safe itself: it is built and destroyed by the main thread, while
// no job runs. The objects it hands out follow their own rules.
#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "clients/chain_client_provider.hpp"
#include "config/config.hpp"
#include "logging/log_hub.hpp"
#include "loader/loaded_plugin.hpp"
#include "loader/plugin_loader.hpp"
#include "loader/plugin_dir_snapshot.hpp"
#include "loader/shadow_copy.hpp"
#include "isolation/supervisor.hpp"
#include "isolation/worker_plugin.hpp"
#include "jobs/host_settings.hpp"
#include "jobs/job_list.hpp"
#include "runtime/scheduled_job.hpp"

namespace jobhost::jobs {

// Where the host keeps the private copies of the plugins it loads
// (loader/shadow_copy.hpp).
enum class PluginCopies {
  // STATE/plugin-copies, locked and emptied at start-up: the daemon. When
  // another process holds it, a temporary directory as below.
  in_state_dir,
  // A private temporary directory, removed when the host goes: the commands
  // that load plugins next to a running daemon (check, list, run-job).
  temporary,
};

class Host {
 public:
  // Throws ConfigError for bad host-wide configuration (log, workers, ...),
  // or when the directory for plugin copies cannot be used.
  // `stop_loading`, when given, is asked before each plugin file at
  // start-up: once it says yes, the rest are not loaded; and while a worker
  // loads its plugin, at start-up or later: once it says yes, the worker is
  // killed.
  explicit Host(const config::Config& config, PluginCopies copies = PluginCopies::temporary,
                const std::function<bool()>& stop_loading = {});

  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  const HostSettings& settings() const { return settings_; }
  const logging::LogHub& logs() const { return logs_; }
  const std::shared_ptr<spdlog::logger>& log() const { return log_; }
  clients::ChainClientProvider& clients() { return *clients_; }
  // One line per plugin file or directory that could not be loaded at
  // start-up.
  const std::vector<std::string>& load_errors() const { return load_errors_; }
  // One line per bad job setting (see JobSetup::errors); `run` refuses to
  // start when there is any, `check` lists them.
  const std::vector<std::string>& config_errors() const { return config_errors_; }
  // Configuration the host ignores (see JobSetup::warnings and
  // sections_of_absent_plugins), and enabled jobs that use a chain that is
  // not configured (JobSetup::missing_chains): logged at start-up as
  // warnings; `check` lists them, counting the missing chains as problems.
  const std::vector<std::string>& config_warnings() const { return config_warnings_; }
  const std::vector<std::string>& missing_chains() const { return missing_chains_; }

  // The plugin directories as they were just before the plugins were loaded
  // at start-up: where a watcher of them starts from.
  const loader::PluginDirSnapshot& plugin_dirs_at_start() const { return plugin_dirs_at_start_; }

  // The plugins and the jobs loaded now. Any thread: they are copies, taken
  // under a lock, that keep what they hold alive.
  std::vector<loader::LoadedPlugin> plugins() const;
  JobList jobs() const;

  // The job with this full name, or nullptr.
  std::shared_ptr<runtime::ScheduledJob> find_job(const std::string& name) const;

  // Creates STATE, and STATE/plugins/PLUGIN for every loaded plugin; throws ConfigError
  // naming the directory when that is impossible.
  void create_state_dirs() const;

  // The configuration plugins are loaded with. Any thread.
  config::Config config() const;

  // Hot drop-in and SIGHUP. One thread at a time calls these (the daemon's
  // reloader).
  //
  // Plugins loaded from now on get `config`'s settings and job settings. The
  // host-wide settings() stay as they were at start-up.
  void set_config(config::Config config);
  //
  // Loads `file` as one more plugin and sets up its jobs (not scheduled yet:
  // that is the caller's), creating its state directory. Throws
  // PluginLoadError or ConfigError with the cause (the caller names the
  // file) when it cannot be loaded, its plugin name is taken, or the
  // configuration of its jobs is bad.
  JobList add_plugin(const std::filesystem::path& file);
  // Replaces the plugin loaded from `file` with what the file holds now.
  // The new content is checked first (the file, its SHA-256, ELF and ABI)
  // and, when it runs in a worker process, loaded there and its jobs set up;
  // only then is `unload_old` called, which must drain and remove the old
  // plugin. A plugin that runs in this process is loaded after that (two
  // copies of a library that keeps global state cannot be loaded at once).
  // Throws as add_plugin(); `unload_old` has not run when the new content
  // was refused before it, and the old plugin goes on.
  JobList replace_plugin(const std::filesystem::path& file, const std::function<void()>& unload_old);
  // Remembers why new content of `file` was refused while its plugin goes
  // on, until the file is replaced or removed again.
  void note_refused_replacement(const std::filesystem::path& file, std::string why);
  // Plugin name -> why a new file for it was refused. Any thread.
  std::map<std::string, std::string> refused_replacements() const;
  // The jobs of the plugin loaded from `file`; none when no plugin is loaded
  // from it (it failed to load, or was never there).
  std::optional<JobList> jobs_of(const std::filesystem::path& file) const;
  // Forgets the plugin loaded from `file` and its jobs, which must be
  // drained (no run left, none to come). They are destroyed, and the library
  // unloaded, when the last JobList holding one of them goes.
  void remove_plugin(const std::filesystem::path& file);
  // Forgets them too, but keeps them, and the library, for the rest of the
  // host's life: a run of theirs did not return in time and may still be
  // running the library's code.
  void leak_plugin(const std::filesystem::path& file);
  // The jobs of the plugins leaked so far. Any thread.
  JobList leaked_jobs() const;

  // Workers (isolation/). Any thread.
  //
  // Lets every quarantined plugin's worker start again (SIGHUP).
  void release_quarantines() const;
  // From now on a worker that dies is not restarted (shutdown).
  void stop_restarts() const;
  // Asks every worker to exit now, all at once (shutdown, once no run is in
  // flight); each is waited for, and killed if late, when its plugin goes.
  void ask_workers_to_exit() const;

 private:
  // The plugin loaded from `file`, and its jobs, taken out of the lists.
  struct Taken {
    std::optional<loader::LoadedPlugin> plugin;
    JobList jobs;
  };
  Taken take_plugin(const std::filesystem::path& file);
  loader::PluginEnvironment plugin_environment(const config::Config& config) const;
  isolation::WorkerEnvironment worker_environment() const;
  // Checks `file` and loads it in a worker or in this process, as the
  // isolation settings say (isolation/place_plugin.hpp).
  loader::LoadedPlugin load_plugin(const std::filesystem::path& file, const config::Config& config);
  // Sets up the jobs of `plugin` with `config`; throws ConfigError naming
  // what is bad.
  JobList set_up(const loader::LoadedPlugin& plugin, const config::Config& config) const;
  // Throws PluginLoadError when the plugin's name is used by a plugin loaded
  // from another file than `file`. Called with mutex_ held.
  void check_name_is_free(const loader::LoadedPlugin& plugin) const;
  // Adds `plugin` and its `jobs` to the lists, creating its state directory.
  JobList install(loader::LoadedPlugin plugin, JobList jobs);

  // Members are destroyed in reverse order, which is the teardown order.
  config::Config config_;  // for the plugins loaded later; guarded by mutex_
  const std::function<bool()> stop_loading_;
  HostSettings settings_;
  std::shared_ptr<const loader::PluginAllowList> plugin_allow_list_;  // nullptr: none configured
  logging::LogHub logs_;
  std::shared_ptr<spdlog::logger> log_;
  // Holds the copies' directory (and its lock) for the host's whole life.
  std::shared_ptr<loader::ShadowCopies> plugin_copies_;
  // Keeps every plugin library loaded until the clients are gone.
  std::vector<std::shared_ptr<const void>> libraries_;
  std::unique_ptr<clients::ChainClientProvider> clients_;
  // Starts and restarts the workers; goes after the plugins (waiting for
  // restarts under way) and before the clients their chain calls use.
  std::unique_ptr<isolation::Supervisor> supervisor_;
  loader::PluginDirSnapshot plugin_dirs_at_start_;
  std::vector<std::string> load_errors_;
  std::vector<std::string> config_errors_;
  std::vector<std::string> config_warnings_;
  std::vector<std::string> missing_chains_;
  mutable std::mutex mutex_;  // guards leaked_, refused_, plugins_, jobs_, libraries_ and config_
  std::vector<Taken> leaked_;
  std::map<std::filesystem::path, std::string> refused_;  // see note_refused_replacement
  std::vector<loader::LoadedPlugin> plugins_;
  JobList jobs_;
};

}  // namespace jobhost::jobs
