// How the host logs: levels, destination, format. Filled from the `log.*`
// configuration keys (--log-level, --log-file, ...).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/common.h>

#include "config/config.hpp"

namespace jobhost::logging {

enum class LogFormat { text, json };

struct LogOptions {
  spdlog::level::level_enum level = spdlog::level::info;
  // Levels for single loggers or groups, by dotted name prefix: "hello" covers
  // "hello" and "hello.greet"; the longest matching prefix wins.
  std::map<std::string, spdlog::level::level_enum> levels;
  std::optional<std::filesystem::path> file;  // rotating file; stderr when unset
  std::size_t max_size = 10 * 1024 * 1024;    // bytes per file before rotating
  std::size_t max_files = 5;                  // rotated files kept
  LogFormat format = LogFormat::text;
  // Lines a second each plugin may log, with ten seconds' worth at once
  // (common/line_budget.hpp); 0: no limit.
  std::uint32_t rate_limit = 100;
  // Texts no log line may hold (credentials): each is written as "***"
  // (logging/redacting_sink.hpp).
  std::vector<std::string> secrets = {};
};

// "trace", "debug", "info", "warn", "error", "critical" or "off"; throws
// ConfigError naming `what` otherwise.
spdlog::level::level_enum parse_log_level(std::string_view text, std::string_view what);

// Reads the log.* keys; throws ConfigError naming the key for a bad value.
LogOptions log_options_from(const config::Config& config);

// The level that applies to the logger `name` under `options`.
spdlog::level::level_enum level_for(const LogOptions& options, std::string_view name);

}  // namespace jobhost::logging
