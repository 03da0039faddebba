// Settings: a read-only set of string keys and values handed to a plugin.
//
// Plugin::configure() receives the plugin's own section of the configuration
// (`[PLUGIN]` in the config file, or `--set PLUGIN.KEY=VALUE`), with the
// "PLUGIN." prefix removed. JobContext::settings() holds the same keys with
// the job's own section (`[job.PLUGIN.JOB]`) layered on top.
//
// The typed getters (SDK 1.1) read values with the host's own grammar, and
// throw ConfigError naming the key, the value and what was expected.
//
// Ownership: a value type; copies are independent. Thread-safety: const
// member functions may be called concurrently.
#pragma once

#include <charconv>
#include <chrono>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "jobhost/duration.hpp"
#include "jobhost/error.hpp"
#include "jobhost/text.hpp"

namespace jobhost {

// "true", "yes", "on", "1" or "false", "no", "off", "0"; anything else
// throws ConfigError naming `key`.
inline bool parse_bool(std::string_view text, std::string_view key) {
  if (text == "true" || text == "yes" || text == "on" || text == "1") return true;
  if (text == "false" || text == "no" || text == "off" || text == "0") return false;
  throw ConfigError(std::string(key) + ": " + quote(text) + " is not a boolean (expected true or false)");
}

// A whole number from `min` to `max`, digits only; anything else throws
// ConfigError naming `key`.
inline std::uint64_t parse_unsigned(std::string_view text, std::string_view key, std::uint64_t min = 0,
                                    std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error != std::errc() || stop != end || value < min || value > max) {
    throw ConfigError(std::string(key) + ": " + quote(text) + " is not a whole number from " + std::to_string(min) +
                      " to " + std::to_string(max));
  }
  return value;
}

class Settings {
 public:
  Settings() = default;
  explicit Settings(std::map<std::string, std::string> values) : values_(std::move(values)) {}

  // The value of `key`, or nothing when the key is not set.
  std::optional<std::string> get(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
  }

  // The value of `key`, or `fallback` when the key is not set.
  std::string get_or(const std::string& key, std::string fallback) const {
    auto value = get(key);
    return value ? *value : std::move(fallback);
  }

  // The value of `key`; throws ConfigError naming the key when it is not set.
  std::string require(const std::string& key) const {
    auto value = get(key);
    if (!value) throw ConfigError("missing setting '" + key + "'");
    return *value;
  }

  // Typed getters: `fallback` when the key is not set; a value that is set
  // but malformed throws ConfigError naming the key.
  //
  // A duration as the host reads them (jobhost/duration.hpp: "500ms",
  // "1h30m"), at least `at_least`.
  std::chrono::nanoseconds duration(const std::string& key, std::chrono::nanoseconds fallback,
                                    std::chrono::nanoseconds at_least = {}) const {
    const auto text = get(key);
    if (!text) return fallback;
    const auto value = parse_duration(*text, key);
    if (value < at_least) {
      throw ConfigError(key + ": " + quote(*text) + " is too short (at least " + format_duration(at_least) + ")");
    }
    return value;
  }
  // A whole number from `min` to `max`.
  std::uint64_t unsigned_integer(const std::string& key, std::uint64_t fallback, std::uint64_t min = 0,
                                 std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) const {
    const auto text = get(key);
    return text ? parse_unsigned(*text, key, min, max) : fallback;
  }
  // true/yes/on/1 or false/no/off/0.
  bool boolean(const std::string& key, bool fallback) const {
    const auto text = get(key);
    return text ? parse_bool(*text, key) : fallback;
  }
  // Items separated by commas, each trimmed of white space ("main, sepolia");
  // empty when the key is not set. An empty item throws.
  std::vector<std::string> list(const std::string& key) const {
    std::vector<std::string> items;
    const auto text = get(key);
    if (!text) return items;
    std::string_view rest = *text;
    for (;;) {
      const auto comma = rest.find(',');
      const std::string_view item = trim(rest.substr(0, comma));
      if (item.empty()) {
        throw ConfigError(key + ": " + quote(*text) + " has an empty item (expected items separated by commas)");
      }
      items.emplace_back(item);
      if (comma == std::string_view::npos) return items;
      rest.remove_prefix(comma + 1);
    }
  }

  const std::map<std::string, std::string>& all() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace jobhost
