#include "config.hpp"

#include "jobhost/error.hpp"

namespace tx_watch {

Config parse_config(const jobhost::Settings& settings) {
  using std::chrono::milliseconds;
  Config config;
  config.chain = settings.get_or("chain", config.chain);
  if (config.chain.empty()) throw jobhost::ConfigError("chain: must name a chain client (e.g. main)");
  config.confirmations = settings.unsigned_integer("confirmations", config.confirmations, 1);
  config.drop_after = std::chrono::duration_cast<milliseconds>(
      settings.duration("drop-after", config.drop_after, milliseconds(1)));
  return config;
}

}  // namespace tx_watch
