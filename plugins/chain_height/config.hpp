// The settings of chain_height.watch, read from the plugin's section (checked
// once in configure()) or from a run's JobContext::settings().
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "jobhost/settings.hpp"

namespace chain_height {

struct Config {
  std::vector<std::string> chains{"main"};                          // the host's chain clients to watch
  std::chrono::milliseconds stall_after = std::chrono::minutes(2);  // no new block this long: stalled
};

// Reads `chains` (comma-separated names, whitespace around them ignored) and
// `stall-after`, defaulting the missing ones; throws jobhost::ConfigError
// naming the key and what was expected.
Config parse_config(const jobhost::Settings& settings);

}  // namespace chain_height
