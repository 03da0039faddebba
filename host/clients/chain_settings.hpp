// The chains the host is configured with: every [chain.NAME] section (or
// --chain NAME=URL), read into the SDK's ChainOptions.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
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
// malformed value. A chain's url may come from the environment instead
// (chain.NAME.url-env = VARIABLE), and so may headers (chain.NAME.headers-env
// = VARIABLE, repeatable, each variable holding one "Name: value"), so that
// credentials need not be on the command line, which `ps` shows to everyone.
std::vector<ChainSettings> chains_from(const config::Config& config);

// The credentials in these chains' settings, for the logs to redact
// (logging/redacting_sink.hpp): a URL's user information and its password,
// its query values, and header values; those shorter than 4 characters are
// left out (they would mangle every line).
std::vector<std::string> chain_secrets(const std::vector<ChainSettings>& chains);

}  // namespace jobhost::clients
