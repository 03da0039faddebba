#include "runtime/host.hpp"

#include <algorithm>

#include "clients/chain_settings.hpp"
#include "jobhost/error.hpp"
#include "plugins/plugin_load_error.hpp"
#include "plugins/plugin_loader.hpp"
#include "runtime/job_setup.hpp"
#include "sdk/eth_chain_client.hpp"

namespace jobhost::runtime {
namespace {

// Where an installed jobhost keeps its state when --state-dir is not given.
constexpr const char* kDefaultStateDir = "/var/lib/jobhost";

// Creates `dir`; throws ConfigError naming it when that is impossible.
void create_state_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) throw ConfigError("state-dir: cannot create " + dir.string() + ": " + ec.message());
}

}  // namespace

HostSettings HostSettings::from(const config::Config& config) {
  HostSettings settings;
  for (const auto& dir : config.get_all("plugin-dir")) settings.plugin_dirs.emplace_back(dir);
  // None configured: the installation's own (LIBDIR/jobhost/plugins, set by the build).
  if (settings.plugin_dirs.empty()) settings.plugin_dirs.emplace_back(JOBHOST_DEFAULT_PLUGIN_DIR);
  settings.state_dir = config.get_string("state-dir", kDefaultStateDir);
  settings.workers = static_cast<std::size_t>(config.get_int("workers", 4, 1, 1024));
  settings.shutdown_timeout = config.get_duration("shutdown-timeout", settings.shutdown_timeout);
  settings.watch_plugins = config.get_bool("watch-plugins", true);
  settings.drain_timeout = config.get_duration("drain-timeout", settings.drain_timeout);
  settings.plugin_debounce = std::chrono::ceil<std::chrono::milliseconds>(
      config.get_duration("plugin-debounce", settings.plugin_debounce));
  settings.clients_eager = config.get_bool("clients-eager", false);
  settings.insecure_plugins = config.get_bool("insecure-plugins", false);
  if (const auto file = config.get("plugin-sha256")) {
    settings.plugin_allow_list = std::make_shared<const plugins::PluginAllowList>(plugins::PluginAllowList::read(*file));
  }
  if (const auto http = config.get("http")) settings.http = parse_listen_address(*http, "http");
  if (const auto tz = config.get("tz")) {
    try {
      settings.time_zone = schedule::TimeZone::named(*tz);
    } catch (const ConfigError& e) {
      throw ConfigError(std::string("tz: ") + e.what());
    }
  }
  return settings;
}

namespace {

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

std::unique_ptr<ChainClient> create_eth_client(const sdk::ChainOptions& options,
                                               std::shared_ptr<spdlog::logger> sdk_log) {
  return std::make_unique<sdk::EthChainClient>(options, std::move(sdk_log));
}

}  // namespace

Host::Host(const config::Config& config, PluginCopies copies)
    : config_(config),
      settings_(HostSettings::from(config)),
      logs_(logging::log_options_from(config)),
      log_(logs_.make("jobhost")),
      clients_(std::make_unique<clients::ChainClientProvider>(chain_slots(config, logs_), create_eth_client,
                                                              logs_.make("clients"))) {
  const plugins::PluginFileRules rules{.strict = !settings_.insecure_plugins};
  if (settings_.insecure_plugins) {
    log_->warn("insecure-plugins is on: plugin files and their directories are not checked for owner and "
               "permissions; use it for development only");
  }
  if (copies == PluginCopies::in_state_dir) {
    plugin_copies_ = plugins::ShadowCopies::in_directory(settings_.state_dir / "plugin-copies", rules);
    if (!plugin_copies_) log_->info("another process uses {}: plugin copies go to a temporary directory",
                                    (settings_.state_dir / "plugin-copies").string());
  }
  if (!plugin_copies_) plugin_copies_ = plugins::ShadowCopies::temporary(rules);
  plugin_dirs_at_start_ = plugins::snapshot_plugin_dirs(settings_.plugin_dirs);
  plugins::PluginSet loaded = plugins::load_plugins(settings_.plugin_dirs, plugin_environment(config_));
  plugins_ = std::move(loaded.plugins);
  load_errors_ = std::move(loaded.errors);
  for (const auto& plugin : plugins_) libraries_.push_back(plugin.library);

  JobSetup setup = set_up_jobs(plugins_, config_, logs_, settings_.state_dir, settings_.time_zone);
  jobs_.assign(std::make_move_iterator(setup.jobs.begin()), std::make_move_iterator(setup.jobs.end()));
  config_errors_ = std::move(setup.errors);
  for (const auto& warning : setup.warnings) log_->warn("{}", warning);
}

plugins::PluginEnvironment Host::plugin_environment(const config::Config& config) const {
  return {logs_, [&config](const std::string& plugin) { return Settings(config.section(plugin)); }, plugin_copies_,
          plugins::PluginFileRules{.strict = !settings_.insecure_plugins}, settings_.plugin_allow_list};
}

config::Config Host::config() const {
  std::lock_guard lock(mutex_);
  return config_;
}

void Host::set_config(config::Config config) {
  std::lock_guard lock(mutex_);
  config_ = std::move(config);
}

std::vector<plugins::LoadedPlugin> Host::plugins() const {
  std::lock_guard lock(mutex_);
  return plugins_;
}

JobList Host::jobs() const {
  std::lock_guard lock(mutex_);
  return jobs_;
}

std::shared_ptr<ScheduledJob> Host::find_job(const std::string& name) const {
  std::lock_guard lock(mutex_);
  for (const auto& job : jobs_) {
    if (job->name == name) return job;
  }
  return nullptr;
}

void Host::create_state_dirs() const {
  std::vector<std::filesystem::path> dirs = {settings_.state_dir};
  for (const auto& plugin : plugins()) dirs.push_back(settings_.state_dir / "plugins" / plugin.info.name);
  for (const auto& dir : dirs) create_state_dir(dir);
}

JobList Host::add_plugin(const std::filesystem::path& file) {
  const config::Config config = this->config();
  plugins::LoadedPlugin plugin = plugins::load_plugin(file, plugin_environment(config));
  JobSetup setup = set_up_jobs({plugin}, config, logs_, settings_.state_dir, settings_.time_zone);
  if (!setup.errors.empty()) {
    std::string errors;
    for (const auto& error : setup.errors) errors += (errors.empty() ? "" : "; ") + error;
    throw ConfigError("its jobs' configuration is bad: " + errors);
  }
  create_state_dir(settings_.state_dir / "plugins" / plugin.info.name);
  JobList jobs(std::make_move_iterator(setup.jobs.begin()), std::make_move_iterator(setup.jobs.end()));
  std::lock_guard lock(mutex_);
  for (const auto& loaded : plugins_) {
    if (loaded.info.name == plugin.info.name) {
      throw plugins::PluginLoadError("plugin name \"" + plugin.info.name + "\" is already used by " +
                                     loaded.file.string());
    }
  }
  libraries_.push_back(plugin.library);
  plugins_.push_back(std::move(plugin));
  jobs_.insert(jobs_.end(), jobs.begin(), jobs.end());
  return jobs;
}

namespace {

// Job names are PLUGIN.JOB, and plugin names have no dot.
bool is_job_of(const ScheduledJob& job, const plugins::LoadedPlugin& plugin) {
  return job.name.size() > plugin.info.name.size() && job.name.starts_with(plugin.info.name) &&
         job.name[plugin.info.name.size()] == '.';
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
                                   [&file](const plugins::LoadedPlugin& loaded) { return loaded.file == file; });
  if (plugin == plugins_.end()) return taken;
  std::erase(libraries_, plugin->library);
  taken.plugin = std::move(*plugin);
  plugins_.erase(plugin);
  std::erase_if(jobs_, [&](const std::shared_ptr<ScheduledJob>& job) {
    if (!is_job_of(*job, *taken.plugin)) return false;
    taken.jobs.push_back(job);
    return true;
  });
  return taken;
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

}  // namespace jobhost::runtime
