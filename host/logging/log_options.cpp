#include "logging/log_options.hpp"

#include <array>
#include <string>

#include "jobhost/error.hpp"

namespace jobhost::logging {

spdlog::level::level_enum parse_log_level(std::string_view text, std::string_view what) {
  static constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 7> kLevels{{
      {"trace", spdlog::level::trace},
      {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},
      {"warn", spdlog::level::warn},
      {"error", spdlog::level::err},
      {"critical", spdlog::level::critical},
      {"off", spdlog::level::off},
  }};
  for (const auto& [name, level] : kLevels) {
    if (text == name) return level;
  }
  throw ConfigError(std::string(what) + ": \"" + std::string(text) +
                    "\" is not a log level (expected trace, debug, info, warn, error, critical or off)");
}

LogOptions log_options_from(const config::Config& config) {
  LogOptions options;
  if (auto level = config.get("log.level")) options.level = parse_log_level(*level, "log.level");
  for (const auto& [name, level] : config.section("log.level")) {
    options.levels[name] = parse_log_level(level, "log.level." + name);
  }
  if (auto file = config.get("log.file")) options.file = *file;
  options.max_size = static_cast<std::size_t>(config.get_size("log.max-size", options.max_size));
  options.max_files = static_cast<std::size_t>(config.get_int("log.max-files", 5, 1, 1000));
  options.rate_limit = static_cast<std::uint32_t>(config.get_int("log.rate-limit", options.rate_limit, 0, 1'000'000));
  const std::string format = config.get_string("log.format", "text");
  if (format == "json") {
    options.format = LogFormat::json;
  } else if (format != "text") {
    throw ConfigError("log.format: \"" + format + "\" is not a log format (expected text or json)");
  }
  return options;
}

spdlog::level::level_enum level_for(const LogOptions& options, std::string_view name) {
  std::string prefix(name);
  while (!prefix.empty()) {
    auto it = options.levels.find(prefix);
    if (it != options.levels.end()) return it->second;
    auto dot = prefix.rfind('.');
    if (dot == std::string::npos) break;
    prefix.resize(dot);
  }
  return options.level;
}

}  // namespace jobhost::logging
