// HostSettings: the host-wide settings, read from the configuration.
//
// A plain value: built once by from() and copied freely. Reading it touches
// nothing but the configuration (no file is opened), so commands that only
// need the state directory, such as `jobhost status`, can use it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <vector>

#include "common/listen_address.hpp"
#include "config/config.hpp"
#include "isolation/isolation_mode.hpp"
#include "loader/plugin_allow_list.hpp"
#include "schedule/local_time.hpp"

namespace jobhost::jobs {

struct HostSettings {
  // "plugin-dir", or default_plugin_dir() when none is configured.
  // "plugin-dir", then "optional-plugin-dir": where plugins are loaded from
  // (the installation's plugin directory when neither is set). A missing
  // plugin-dir is a configuration error; a missing optional one holds no
  // plugins until it appears.
  std::vector<std::filesystem::path> plugin_dirs;
  std::vector<std::filesystem::path> optional_plugin_dirs;  // those of plugin_dirs that may be missing
  std::filesystem::path state_dir;
  std::size_t workers = 4;
  std::chrono::nanoseconds shutdown_timeout = std::chrono::seconds(30);
  // "watch-plugins": `run` loads, replaces and unloads plugins as their files
  // come, change and go, once a directory has been quiet for
  // "plugin-debounce"; "drain-timeout": how long a plugin's runs get to
  // return before it is unloaded.
  bool watch_plugins = true;
  std::chrono::milliseconds plugin_debounce = std::chrono::seconds(1);
  std::chrono::nanoseconds drain_timeout = std::chrono::seconds(30);
  bool clients_eager = false;  // create every chain client at start-up
  // "tz": the zone cron specs are matched in unless a job says otherwise.
  schedule::TimeZone time_zone = schedule::TimeZone::local();
  // "http": where /metrics, /healthz and /jobs are served; none when unset.
  std::optional<ListenAddress> http;
  // "insecure-plugins": no ownership and mode checks of plugin files and
  // their directories (development only; a warning at start-up).
  bool insecure_plugins = false;
  // "plugin-sha256": the file of the plugin allow-list; none when unset
  // (read by read_plugin_allow_list).
  std::optional<std::filesystem::path> plugin_sha256;
  // "isolation" and "isolation.PLUGIN": whether each plugin runs in a worker
  // process; "worker-memory-max": the data-segment limit of each worker, in
  // bytes, 0 for none; "worker-ping-interval": how long a worker may be
  // silent before it is pinged, and then has to answer, 0 for never
  // (docs/isolation.md).
  isolation::IsolationChoice isolation;
  std::uint64_t worker_memory_max = 1024ull * 1024 * 1024;
  std::chrono::milliseconds worker_ping_interval = std::chrono::seconds(5);
  // "ready-memory-max": the daemon's resident memory above which /readyz
  // reports it (observe/readiness.hpp), in bytes, 0 for no limit.
  std::uint64_t ready_memory_max = 1024ull * 1024 * 1024;

  // Throws ConfigError naming the key for a bad value.
  static HostSettings from(const config::Config& config);
  // Only "state-dir", for a command that needs nothing else (`jobhost
  // status` and the other control commands): a bad value of another key is
  // no concern of theirs.
  static std::filesystem::path state_dir_from(const config::Config& config);
};

// The allow-list in settings.plugin_sha256, or nullptr when none is set.
// Throws ConfigError naming FILE:LINE of a bad line.
std::shared_ptr<const loader::PluginAllowList> read_plugin_allow_list(const HostSettings& settings);

}  // namespace jobhost::jobs
