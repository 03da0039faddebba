#include "config.hpp"

#include <algorithm>
#include <string_view>

#include "common/duration.hpp"
#include "jobhost/error.hpp"

namespace chain_height {
namespace {

std::string_view trim(std::string_view text) {
  constexpr std::string_view kSpace = " \t";
  const auto first = text.find_first_not_of(kSpace);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(kSpace) - first + 1);
}

std::vector<std::string> parse_chains(const std::string& text) {
  auto fail = [&](const std::string& why) {
    throw jobhost::ConfigError("chains: \"" + text + "\" " + why +
                               " (expected chain names separated by commas, e.g. main, sepolia)");
  };
  if (trim(text).empty()) fail("names no chain");
  std::vector<std::string> chains;
  std::string_view rest = text;
  for (;;) {
    const auto comma = rest.find(',');
    const std::string name(trim(rest.substr(0, comma)));
    if (name.empty()) fail("has an empty name");
    if (std::find(chains.begin(), chains.end(), name) != chains.end()) fail("names " + name + " twice");
    chains.push_back(name);
    if (comma == std::string_view::npos) return chains;
    rest.remove_prefix(comma + 1);
  }
}

}  // namespace

Config parse_config(const jobhost::Settings& settings) {
  Config config;
  if (auto text = settings.get("chains")) config.chains = parse_chains(*text);
  if (auto text = settings.get("stall-after")) config.stall_after = plugin_common::parse_duration(*text, "stall-after");
  return config;
}

}  // namespace chain_height
