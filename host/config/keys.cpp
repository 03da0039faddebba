#include "config/keys.hpp"

#include <algorithm>
#include <array>

#include "jobhost/error.hpp"

namespace jobhost::config {
namespace {

constexpr std::array<std::string_view, 17> kTopLevel = {
    "plugin-dir",       "optional-plugin-dir", "workers",         "state-dir",        "shutdown-timeout",
    "clients-eager",    "tz",                  "http",            "insecure-plugins", "plugin-sha256",
    "watch-plugins",    "drain-timeout",       "plugin-debounce", "isolation",        "worker-memory-max",
    "worker-ping-interval", "ready-memory-max"};
constexpr std::array<std::string_view, 7> kLog = {"level",  "file",       "max-size", "max-files",
                                                  "format", "rate-limit", "sdk-file"};
constexpr std::array<std::string_view, 7> kChain = {"url",        "url-env",  "timeout",    "headers",
                                                    "headers-env", "batch-size", "log-file"};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

}  // namespace

void check_key(const std::string& key, std::string_view origin) {
  const auto fail = [&](const std::string& expected) {
    throw ConfigError(std::string(origin) + ": unknown key \"" + key + "\" (" + expected + ")");
  };
  if (key.empty() || key.front() == '.' || key.back() == '.' || key.find("..") != std::string::npos) {
    fail("expected a dotted name such as log.level or job.hello.greet.schedule");
  }
  const auto dot = key.find('.');
  if (dot == std::string::npos) {
    if (!contains(kTopLevel, key)) {
      fail("top-level keys are plugin-dir, optional-plugin-dir, workers, state-dir, shutdown-timeout, "
           "clients-eager, tz, http, insecure-plugins, plugin-sha256, watch-plugins, drain-timeout, "
           "plugin-debounce, isolation, worker-memory-max, worker-ping-interval, ready-memory-max");
    }
    return;
  }
  const std::string_view section = std::string_view(key).substr(0, dot);
  const std::string_view rest = std::string_view(key).substr(dot + 1);
  if (section == "log") {
    if (!contains(kLog, rest) && !rest.starts_with("level.")) {
      fail("log keys are level, level.NAME, file, max-size, max-files, format, rate-limit, sdk-file");
    }
  } else if (section == "job") {
    // job.PLUGIN.JOB.KEY: at least three more parts.
    if (std::count(rest.begin(), rest.end(), '.') < 2) fail("expected job.PLUGIN.JOB.KEY");
  } else if (section == "isolation") {
    if (rest.find('.') != std::string_view::npos) fail("expected isolation.PLUGIN");
  } else if (section == "chain") {
    const auto dot_in_rest = rest.find('.');
    if (dot_in_rest == std::string_view::npos || rest.find('.', dot_in_rest + 1) != std::string_view::npos ||
        !contains(kChain, rest.substr(dot_in_rest + 1))) {
      fail("expected chain.NAME.KEY with KEY one of url, url-env, timeout, headers, headers-env, batch-size, "
           "log-file");
    }
  }
}

bool is_multi_valued(const std::string& key) {
  return key == "plugin-dir" || key == "optional-plugin-dir" ||
         (key.starts_with("chain.") && (key.ends_with(".headers") || key.ends_with(".headers-env")));
}

std::optional<std::string> plugin_of_key(const std::string& key) {
  const auto dot = key.find('.');
  if (dot == std::string::npos) return std::nullopt;
  const std::string section = key.substr(0, dot);
  if (section == "log" || section == "job" || section == "isolation" || section == "chain") return std::nullopt;
  return section;
}

}  // namespace jobhost::config
