// Settings: a read-only set of string keys and values handed to a plugin.
//
// Plugin::configure() receives the plugin's own section of the configuration
// (`[PLUGIN]` in the config file, or `--set PLUGIN.KEY=VALUE`), with the
// "PLUGIN." prefix removed. JobContext::settings() holds the same keys with
// the job's own section (`[job.PLUGIN.JOB]`) layered on top.
//
// Ownership: a value type; copies are independent. Thread-safety: const
// member functions may be called concurrently.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>

#include "jobhost/error.hpp"

namespace jobhost {

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

  const std::map<std::string, std::string>& all() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

}  // namespace jobhost
