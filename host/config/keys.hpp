// The configuration keys the host understands, and the check that rejects a
// misspelt one wherever it comes from (config file or --set).
//
//   plugin-dir, optional-plugin-dir, workers, state-dir, shutdown-timeout,
//   clients-eager, tz, http, insecure-plugins, plugin-sha256, watch-plugins,
//   drain-timeout, plugin-debounce, isolation, worker-memory-max,
//   worker-ping-interval, ready-memory-max                          (top level)
//   isolation.PLUGIN
//   log.level, log.level.NAME, log.file, log.max-size, log.max-files, log.format,
//   log.sdk-file
//   chain.NAME.KEY        url, url-env, timeout, headers, headers-env, batch-size,
//                         log-file
//   job.PLUGIN.JOB.KEY    schedule and enabled are the host's; other keys are
//                         passed to the job in JobContext::settings()
//   PLUGIN.KEY            a plugin's own settings
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace jobhost::config {

// Throws ConfigError naming the key and `origin` (e.g. "config file x.ini")
// when `key` is none of the above.
void check_key(const std::string& key, std::string_view origin);

// True for the keys that hold several values (plugin-dir, chain.NAME.headers):
// each occurrence adds one instead of replacing the last.
bool is_multi_valued(const std::string& key);

// For a plugin's own key (PLUGIN.KEY), the plugin's name; else nothing.
std::optional<std::string> plugin_of_key(const std::string& key);

}  // namespace jobhost::config
