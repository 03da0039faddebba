// The settings of tx_watch.confirm, read from the plugin's section (checked
// once in configure()) or from a run's JobContext::settings().
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "jobhost/settings.hpp"

namespace tx_watch {

struct Config {
  std::string chain = "main";           // the host's chain client to ask
  std::uint64_t confirmations = 1;      // blocks, counting the one that includes the tx
  std::chrono::milliseconds drop_after = std::chrono::hours(1);  // unknown this long: dropped
};

// Reads `chain`, `confirmations` and `drop-after`, defaulting the missing
// ones; throws jobhost::ConfigError naming the key and what was expected.
Config parse_config(const jobhost::Settings& settings);

}  // namespace tx_watch
