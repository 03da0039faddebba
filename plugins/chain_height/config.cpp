#include "config.hpp"

#include <algorithm>

#include "jobhost/error.hpp"

namespace chain_height {

Config parse_config(const jobhost::Settings& settings) {
  using std::chrono::milliseconds;
  Config config;
  if (settings.get("chains")) {
    config.chains = settings.list("chains");
    for (auto it = config.chains.begin(); it != config.chains.end(); ++it) {
      if (std::find(config.chains.begin(), it, *it) != it) {
        throw jobhost::ConfigError("chains: " + jobhost::quote(*settings.get("chains")) + " names " + *it + " twice");
      }
    }
  }
  config.stall_after = std::chrono::duration_cast<milliseconds>(
      settings.duration("stall-after", config.stall_after, milliseconds(1)));
  return config;
}

}  // namespace chain_height
