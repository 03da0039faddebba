#include "config.hpp"

#include <charconv>

#include "common/duration.hpp"
#include "jobhost/error.hpp"

namespace tx_watch {

Config parse_config(const jobhost::Settings& settings) {
  Config config;
  config.chain = settings.get_or("chain", config.chain);
  if (config.chain.empty()) throw jobhost::ConfigError("chain: must name a chain client (e.g. main)");

  if (auto text = settings.get("confirmations")) {
    std::uint64_t value = 0;
    const char* end = text->data() + text->size();
    auto [stop, error] = std::from_chars(text->data(), end, value);
    if (text->empty() || error != std::errc() || stop != end || value < 1) {
      throw jobhost::ConfigError("confirmations: \"" + *text + "\" is not valid (expected a whole number >= 1)");
    }
    config.confirmations = value;
  }

  if (auto text = settings.get("drop-after")) config.drop_after = plugin_common::parse_duration(*text, "drop-after");
  return config;
}

}  // namespace tx_watch
