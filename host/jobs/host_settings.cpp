#include "jobs/host_settings.hpp"

#include "jobhost/duration.hpp"
#include "jobhost/error.hpp"
#include "jobs/default_plugin_dir.hpp"

namespace jobhost::jobs {
namespace {

// Where an installed jobhost keeps its state when --state-dir is not given.
constexpr const char* kDefaultStateDir = "/var/lib/jobhost";
// Below this, a busy machine could delay a healthy worker's answer past it.
constexpr std::chrono::milliseconds kShortestPingInterval{100};

}  // namespace

HostSettings HostSettings::from(const config::Config& config) {
  HostSettings settings;
  for (const auto& dir : config.get_all("plugin-dir")) settings.plugin_dirs.emplace_back(dir);
  for (const auto& dir : config.get_all("optional-plugin-dir")) settings.optional_plugin_dirs.emplace_back(dir);
  if (settings.plugin_dirs.empty() && settings.optional_plugin_dirs.empty()) {
    settings.plugin_dirs.push_back(default_plugin_dir());
  }
  settings.plugin_dirs.insert(settings.plugin_dirs.end(), settings.optional_plugin_dirs.begin(),
                              settings.optional_plugin_dirs.end());
  settings.state_dir = state_dir_from(config);
  settings.workers = static_cast<std::size_t>(config.get_int("workers", 4, 1, 1024));
  settings.shutdown_timeout = config.get_duration("shutdown-timeout", settings.shutdown_timeout);
  settings.watch_plugins = config.get_bool("watch-plugins", true);
  settings.drain_timeout = config.get_duration("drain-timeout", settings.drain_timeout);
  settings.plugin_debounce = std::chrono::ceil<std::chrono::milliseconds>(
      config.get_duration("plugin-debounce", settings.plugin_debounce));
  settings.clients_eager = config.get_bool("clients-eager", false);
  settings.insecure_plugins = config.get_bool("insecure-plugins", false);
  if (const auto file = config.get("plugin-sha256")) settings.plugin_sha256 = *file;
  if (const auto isolation = config.get("isolation")) {
    settings.isolation.host_wide = isolation::parse_isolation(*isolation, "isolation");
  }
  for (const auto& [plugin, isolation] : config.section("isolation")) {
    settings.isolation.plugins[plugin] = isolation::parse_isolation(isolation, "isolation." + plugin);
  }
  settings.worker_memory_max = config.get_size("worker-memory-max", settings.worker_memory_max);
  settings.worker_ping_interval = std::chrono::ceil<std::chrono::milliseconds>(
      config.get_duration("worker-ping-interval", settings.worker_ping_interval));
  if (settings.worker_ping_interval > std::chrono::milliseconds(0) &&
      settings.worker_ping_interval < kShortestPingInterval) {
    throw ConfigError("worker-ping-interval: " + format_duration(settings.worker_ping_interval) +
                      " is too short (expected 0, for no pings, or at least " +
                      format_duration(kShortestPingInterval) + ")");
  }
  settings.ready_memory_max = config.get_size("ready-memory-max", settings.ready_memory_max);
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

std::filesystem::path HostSettings::state_dir_from(const config::Config& config) {
  return config.get_string("state-dir", kDefaultStateDir);
}

std::shared_ptr<const loader::PluginAllowList> read_plugin_allow_list(const HostSettings& settings) {
  if (!settings.plugin_sha256) return nullptr;
  return std::make_shared<const loader::PluginAllowList>(loader::PluginAllowList::read(*settings.plugin_sha256));
}

}  // namespace jobhost::jobs
