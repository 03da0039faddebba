#include "config/keys.hpp"

#include <algorithm>
#include <array>

#include "jobhost/error.hpp"

namespace jobhost::config {
namespace {

constexpr std::array<std::string_view, 4> kTopLevel = {"plugin-dir", "workers", "state-dir", "shutdown-timeout"};
constexpr std::array<std::string_view, 5> kLog = {"level", "file", "max-size", "max-files", "format"};

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
    if (!contains(kTopLevel, key)) fail("top-level keys are plugin-dir, workers, state-dir, shutdown-timeout");
    return;
  }
  const std::string_view section = std::string_view(key).substr(0, dot);
  const std::string_view rest = std::string_view(key).substr(dot + 1);
  if (section == "log") {
    if (!contains(kLog, rest) && !rest.starts_with("level.")) {
      fail("log keys are level, level.NAME, file, max-size, max-files, format");
    }
  } else if (section == "job") {
    // job.PLUGIN.JOB.KEY: at least three more parts.
    if (std::count(rest.begin(), rest.end(), '.') < 2) fail("expected job.PLUGIN.JOB.KEY");
  } else if (section == "chain") {
    fail("chain clients are not configurable in this version");
  }
}

}  // namespace jobhost::config
