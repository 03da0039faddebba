#include "config/config_file.hpp"

#include <fstream>

#include <boost/program_options/parsers.hpp>

#include "config/keys.hpp"
#include "jobhost/error.hpp"

namespace jobhost::config {

Config read_config_file(const std::filesystem::path& file) {
  const std::string origin = "config file " + file.string();
  std::ifstream in(file);
  if (!in) throw ConfigError(origin + ": cannot be read");

  namespace po = boost::program_options;
  po::parsed_options parsed(nullptr);
  try {
    // No option is declared: every key arrives "unregistered" and is checked
    // by check_key, which knows the dotted key space.
    const po::options_description none;
    parsed = po::parse_config_file(in, none, /*allow_unregistered=*/true);
  } catch (const po::error& e) {
    throw ConfigError(origin + ": " + e.what());
  }
  Config config;
  for (const auto& option : parsed.options) {
    check_key(option.string_key, origin);
    for (const auto& value : option.value) {
      if (is_multi_valued(option.string_key)) {
        config.add(option.string_key, value);
      } else {
        config.set(option.string_key, value);
      }
    }
  }
  return config;
}

}  // namespace jobhost::config
