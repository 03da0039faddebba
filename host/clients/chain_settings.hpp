// The chains the host is configured with: every [chain.NAME] section (or
// --chain NAME=URL), read into the SDK's ChainOptions.
#pragma once

#include <filesystem>
#include <optional>
#include <vector>

#include "config/config.hpp"
#include "chain/chain_options.hpp"

namespace jobhost::clients {

struct ChainSettings {
  chain::ChainOptions options;
  // Where this chain's SDK logger writes: chain.NAME.log-file, else
  // log.sdk-file, else nothing (the host's own sinks).
  std::optional<std::filesystem::path> log_file;
};

// In name order. Throws ConfigError naming the key for a missing url or a
// malformed value.
std::vector<ChainSettings> chains_from(const config::Config& config);

}  // namespace jobhost::clients
