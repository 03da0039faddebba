#include "clients/chain_settings.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "jobhost/error.hpp"

namespace jobhost::clients {
namespace {

bool valid_chain_name(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

// "Name: value" -> {"Name", "value"}.
std::pair<std::string, std::string> parse_header(const std::string& text, const std::string& key) {
  const auto colon = text.find(':');
  std::string name = colon == std::string::npos ? "" : text.substr(0, colon);
  const bool name_ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_';
  });
  if (!name_ok) throw ConfigError(key + ": expected \"Name: value\" (the value is not shown here)");
  std::string value = text.substr(colon + 1);
  value.erase(0, value.find_first_not_of(' '));
  return {std::move(name), std::move(value)};
}

}  // namespace

std::vector<ChainSettings> chains_from(const config::Config& config) {
  std::set<std::string> names;
  for (const auto& [key, value] : config.section("chain")) names.insert(key.substr(0, key.find('.')));

  std::vector<ChainSettings> chains;
  for (const auto& name : names) {
    const std::string prefix = "chain." + name + ".";
    if (!valid_chain_name(name)) {
      throw ConfigError(prefix + "url: invalid chain name \"" + name + "\" (expected lowercase letters, digits, - and _)");
    }
    ChainSettings chain;
    chain.options.name = name;
    const auto url = config.get(prefix + "url");
    if (!url || url->empty()) throw ConfigError(prefix + "url: missing (every configured chain needs a url)");
    chain.options.url = *url;
    const auto timeout = config.get_duration(prefix + "timeout", chain.options.timeout);
    if (timeout < std::chrono::milliseconds(1)) throw ConfigError(prefix + "timeout: must be at least 1ms");
    chain.options.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(timeout);
    chain.options.batch_size =
        static_cast<std::size_t>(config.get_int(prefix + "batch-size", 100, 1, 10000));
    for (const auto& header : config.get_all(prefix + "headers")) {
      chain.options.headers.push_back(parse_header(header, prefix + "headers"));
    }
    if (auto file = config.get(prefix + "log-file")) {
      chain.log_file = *file;
    } else if (auto shared = config.get("log.sdk-file")) {
      chain.log_file = *shared;
    }
    chains.push_back(std::move(chain));
  }
  return chains;
}

}  // namespace jobhost::clients
