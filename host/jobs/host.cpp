#include "jobs/host.hpp"

#include <algorithm>

#include "clients/chain_settings.hpp"
#include "clients/create_eth_client.hpp"
#include "jobhost/error.hpp"
#include "loader/plugin_load_error.hpp"
#include "loader/plugin_loader.hpp"
#include "isolation/place_plugin.hpp"
#include "jobs/job_setup.hpp"

namespace jobhost::jobs {
namespace {

// Creates `dir`; throws ConfigError naming it when that is impossible.
void create_state_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw ConfigError("state-dir: cannot create " + dir.string() + ": " + ec.message());
}

// The chain slots, each with the SDK logger its client will use: loggers and
// their sinks are all made here, on the main thread, before any job exists.
std::vector<clients::ChainSlotConfig> chain_slots(const config::Config& config, logging::LogHub& logs) {
  std::vector<clients::ChainSlotConfig> slots;
  for (auto& chain : clients::chains_from(config)) {
    const std::string logger = "sdk." + chain.options.name;
    slots.push_back({std::move(chain.options), chain.log_file ? logs.make(logger, *chain.log_file) : logs.make(logger)});
  }
  return slots;
}

// The plugin directories that exist. A missing plugin-dir is an error in
// `errors`: a daemon without the plugins it was given would look healthy and
// run nothing. A missing optional one is skipped.
std::vector<std::filesystem::path> present_plugin_dirs(const HostSettings& settings, std::vector<std::string>& errors) {
  std::vector<std::filesystem::path> present;
  for (const auto& dir : settings.plugin_dirs) {
    const bool optional = std::find(settings.optional_plugin_dirs.begin(), settings.optional_plugin_dirs.end(), dir) !=
                          settings.optional_plugin_dirs.end();
    std::error_code ec;
    const auto status = std::filesystem::status(dir, ec);
    if (std::filesystem::is_directory(status) || (ec && status.type() != std::filesystem::file_type::not_found)) {
      present.push_back(dir);  // a directory, or one the loader reports it cannot read
    } else if (std::filesystem::exists(status)) {
      errors.push_back((optional ? "optional-plugin-dir " : "plugin-dir ") + dir.string() +
                       ": not a directory (expected a directory of *.so plugin files)");
    } else if (!optional) {
      errors.push_back("plugin-dir " + dir.string() +
                       ": does not exist (expected a directory of *.so plugin files; name it with "
                       "--optional-plugin-dir to start without it)");
    }
  }
  return present;
}

// The log options, with the chains' credentials to redact from every line.
logging::LogOptions options_with_secrets(const config::Config& config) {
  logging::LogOptions options = logging::log_options_from(config);
  options.secrets = clients::chain_secrets(clients::chains_from(config));
  return options;
}

}  // namespace

Host::Host(const config::Config& config, PluginCopies copies, const std::function<bool()>& stop_loading)
    : config_(config),
      stop_loading_(stop_loading),
      settings_(HostSettings::from(config)),
      plugin_allow_list_(read_plugin_allow_list(settings_)),
      logs_(options_with_secrets(config)),
      log_(logs_.make("jobhost")),
      clients_(std::make_unique<clients::ChainClientProvider>(chain_slots(config, logs_), clients::create_eth_client,
                                                              logs_.make("clients"))),
      supervisor_(std::make_unique<isolation::Supervisor>(isolation::worker_executable(),
                                                          settings_.worker_memory_max)) {
  const loader::PluginFileRules rules{.strict = !settings_.insecure_plugins};
  if (settings_.insecure_plugins) {
    log_->warn("insecure-plugins is on: plugin files and their directories are not checked for owner and "
               "permissions; use it for development only");
  }
  if (copies == PluginCopies::in_state_dir) {
    plugin_copies_ = loader::ShadowCopies::in_directory(settings_.state_dir / "plugin-copies", rules);
    if (!plugin_copies_) log_->info("another process uses {}: plugin copies go to a temporary directory",
                                    (settings_.state_dir / "plugin-copies").string());
  }
  if (!plugin_copies_) plugin_copies_ = loader::ShadowCopies::temporary(rules);
  plugin_dirs_at_start_ = loader::snapshot_plugin_dirs(settings_.plugin_dirs);
  std::vector<std::string> dir_errors;
  loader::PluginSet loaded =
      loader::load_plugins(present_plugin_dirs(settings_, dir_errors),
                           [this](const std::filesystem::path& file) { return load_plugin(file, config_); },
                           stop_loading);
  plugins_ = std::move(loaded.plugins);
  load_errors_ = std::move(loaded.errors);
  for (const auto& plugin : plugins_) libraries_.push_back(plugin.library);

  JobSetup setup = set_up_jobs(plugins_, config_, logs_, settings_.state_dir, settings_.time_zone);
  jobs_.assign(std::make_move_iterator(setup.jobs.begin()), std::make_move_iterator(setup.jobs.end()));
  config_errors_ = std::move(dir_errors);
  config_errors_.insert(config_errors_.end(), setup.errors.begin(), setup.errors.end());
  config_warnings_ = std::move(setup.warnings);
  for (auto& warning : sections_of_absent_plugins(plugins_, config_)) config_warnings_.push_back(std::move(warning));
  for (const auto& warning : config_warnings_) log_->warn("{}", warning);
  missing_chains_ = std::move(setup.missing_chains);
  for (const auto& missing : missing_chains_) log_->warn("{}", missing);
}

loader::PluginEnvironment Host::plugin_environment(const config::Config& config) const {
  return {logs_, [&config](const std::string& plugin) { return Settings(config.section(plugin)); }, plugin_copies_,
          loader::PluginFileRules{.strict = !settings_.insecure_plugins}, plugin_allow_list_};
}

isolation::WorkerEnvironment Host::worker_environment() const {
  return {*supervisor_, clients_.get(), {.ping_interval = settings_.worker_ping_interval}, stop_loading_};
}

loader::LoadedPlugin Host::load_plugin(const std::filesystem::path& file, const config::Config& config) {
  return isolation::place_plugin(file, plugin_environment(config), worker_environment(), settings_.isolation);
}

config::Config Host::config() const {
  std::lock_guard lock(mutex_);
  return config_;
}

void Host::set_config(config::Config config) {
  std::lock_guard lock(mutex_);
  config_ = std::move(config);
}

std::vector<loader::LoadedPlugin> Host::plugins() const {
  std::lock_guard lock(mutex_);
  return plugins_;
}

JobList Host::jobs() const {
  std::lock_guard lock(mutex_);
  return jobs_;
}

std::shared_ptr<runtime::ScheduledJob> Host::find_job(const std::string& name) const {
  std::lock_guard lock(mutex_);
  for (const auto& job : jobs_) {
    if (job->spec.name == name) return job;
  }
  return nullptr;
}

void Host::create_state_dirs() const {
  std::vector<std::filesystem::path> dirs = {settings_.state_dir};
  for (const auto& plugin : plugins()) dirs.push_back(settings_.state_dir / "plugins" / plugin.info.name);
  for (const auto& dir : dirs) create_state_dir(dir);
}

JobList Host::set_up(const loader::LoadedPlugin& plugin, const config::Config& config) const {
  JobSetup setup = set_up_jobs({plugin}, config, logs_, settings_.state_dir, settings_.time_zone);
  if (!setup.errors.empty()) {
    std::string errors;
    for (const auto& error : setup.errors) errors += (errors.empty() ? "" : "; ") + error;
    throw ConfigError("its jobs' configuration is bad: " + errors);
  }
  for (const auto& missing : setup.missing_chains) log_->warn("{}", missing);
  return JobList(std::make_move_iterator(setup.jobs.begin()), std::make_move_iterator(setup.jobs.end()));
}

void Host::check_name_is_free(const loader::LoadedPlugin& plugin) const {
  for (const auto& loaded : plugins_) {
    if (loaded.info.name == plugin.info.name && loaded.file != plugin.file) {
      throw loader::PluginLoadError("plugin name \"" + plugin.info.name + "\" is already used by " +
                                     loaded.file.string());
    }
  }
}

JobList Host::install(loader::LoadedPlugin plugin, JobList jobs) {
  create_state_dir(settings_.state_dir / "plugins" / plugin.info.name);
  std::lock_guard lock(mutex_);
  check_name_is_free(plugin);
  libraries_.push_back(plugin.library);
  plugins_.push_back(std::move(plugin));
  jobs_.insert(jobs_.end(), jobs.begin(), jobs.end());
  return jobs;
}

JobList Host::add_plugin(const std::filesystem::path& file) {
  const config::Config config = this->config();
  loader::LoadedPlugin plugin = load_plugin(file, config);
  JobList jobs = set_up(plugin, config);
  return install(std::move(plugin), std::move(jobs));
}

JobList Host::replace_plugin(const std::filesystem::path& file, const std::function<void()>& unload_old) {
  const config::Config config = this->config();
  const loader::PluginEnvironment env = plugin_environment(config);
  auto placed =
      isolation::place_in_worker(loader::check_plugin(file, env), env, worker_environment(), settings_.isolation);
  if (auto* in_worker = std::get_if<loader::LoadedPlugin>(&placed)) {
    JobList jobs = set_up(*in_worker, config);
    {
      std::lock_guard lock(mutex_);
      check_name_is_free(*in_worker);
    }
    unload_old();
    return install(std::move(*in_worker), std::move(jobs));
  }
  unload_old();
  loader::LoadedPlugin plugin = loader::load_in_process(std::move(std::get<loader::CheckedPlugin>(placed)), env);
  JobList jobs = set_up(plugin, config);
  return install(std::move(plugin), std::move(jobs));
}

namespace {

// Job names are PLUGIN.JOB, and plugin names have no dot.
bool is_job_of(const runtime::ScheduledJob& job, const loader::LoadedPlugin& plugin) {
  return job.spec.name.size() > plugin.info.name.size() && job.spec.name.starts_with(plugin.info.name) &&
         job.spec.name[plugin.info.name.size()] == '.';
}

}  // namespace

std::optional<JobList> Host::jobs_of(const std::filesystem::path& file) const {
  std::lock_guard lock(mutex_);
  for (const auto& plugin : plugins_) {
    if (plugin.file != file) continue;
    JobList jobs;
    for (const auto& job : jobs_) {
      if (is_job_of(*job, plugin)) jobs.push_back(job);
    }
    return jobs;
  }
  return std::nullopt;
}

Host::Taken Host::take_plugin(const std::filesystem::path& file) {
  std::lock_guard lock(mutex_);
  Taken taken;
  const auto plugin = std::find_if(plugins_.begin(), plugins_.end(),
                                   [&file](const loader::LoadedPlugin& loaded) { return loaded.file == file; });
  if (plugin == plugins_.end()) return taken;
  refused_.erase(file);
  std::erase(libraries_, plugin->library);
  taken.plugin = std::move(*plugin);
  plugins_.erase(plugin);
  std::erase_if(jobs_, [&](const std::shared_ptr<runtime::ScheduledJob>& job) {
    if (!is_job_of(*job, *taken.plugin)) return false;
    taken.jobs.push_back(job);
    return true;
  });
  return taken;
}

void Host::note_refused_replacement(const std::filesystem::path& file, std::string why) {
  std::lock_guard lock(mutex_);
  refused_[file] = std::move(why);
}

std::map<std::string, std::string> Host::refused_replacements() const {
  std::lock_guard lock(mutex_);
  std::map<std::string, std::string> refused;
  for (const auto& plugin : plugins_) {
    if (const auto it = refused_.find(plugin.file); it != refused_.end()) refused[plugin.info.name] = it->second;
  }
  return refused;
}

void Host::remove_plugin(const std::filesystem::path& file) {
  // Destroyed here, outside the lock: the jobs, then the plugin object, then
  // (with its last holder) the library.
  Taken taken = take_plugin(file);
  taken.jobs.clear();
}

void Host::leak_plugin(const std::filesystem::path& file) {
  Taken taken = take_plugin(file);
  std::lock_guard lock(mutex_);
  leaked_.push_back(std::move(taken));
}

JobList Host::leaked_jobs() const {
  std::lock_guard lock(mutex_);
  JobList jobs;
  for (const auto& taken : leaked_) jobs.insert(jobs.end(), taken.jobs.begin(), taken.jobs.end());
  return jobs;
}

void Host::release_quarantines() const {
  for (const auto& plugin : plugins()) {
    if (plugin.worker) plugin.worker->release_quarantine();
  }
}

void Host::stop_restarts() const { supervisor_->stop_restarts(); }

void Host::ask_workers_to_exit() const {
  for (const auto& plugin : plugins()) {
    if (plugin.worker) plugin.worker->ask_to_exit();
  }
}

}  // namespace jobhost::jobs
