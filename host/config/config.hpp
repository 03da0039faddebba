// Config: the host's configuration as one flat set of dotted keys.
//
// Keys look like "workers", "log.level", "job.hello.greet.schedule",
// "hello.greeting". The same key can come from the config file, from
// --set KEY=VALUE or from a convenience option (--workers, --schedule, ...);
// config_loader.hpp merges them with the precedence CLI > file > defaults.
// A few keys hold several values (plugin-dir).
//
// A value type; const members may be called from any thread.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace jobhost::config {

class Config {
 public:
  // Replaces every value of `key` with `value`.
  void set(const std::string& key, std::string value);
  // Adds one more value to `key` (for keys that hold several).
  void add(const std::string& key, std::string value);
  // Replaces every value of every key present in `other` (used to lay a
  // higher-precedence source over this one).
  void overlay(const Config& other);

  bool has(const std::string& key) const { return values_.count(key) != 0; }
  // The last value of `key`, or nothing.
  std::optional<std::string> get(const std::string& key) const;
  // Every value of `key`, in order.
  std::vector<std::string> get_all(const std::string& key) const;
  // Every key under "prefix." with that prefix removed, with its last value.
  std::map<std::string, std::string> section(const std::string& prefix) const;
  const std::map<std::string, std::vector<std::string>>& all() const { return values_; }

  // Typed reads; each throws ConfigError naming the key and what was expected.
  std::string get_string(const std::string& key, const std::string& fallback) const;
  long get_int(const std::string& key, long fallback, long min, long max) const;
  bool get_bool(const std::string& key, bool fallback) const;
  // Bytes, optionally with a K, M or G suffix (powers of 1024; KiB, MiB, GiB too).
  unsigned long long get_size(const std::string& key, unsigned long long fallback) const;
  // A duration (jobhost/duration.hpp) of at most kLongestDuration.
  std::chrono::nanoseconds get_duration(const std::string& key, std::chrono::nanoseconds fallback) const;

 private:
  std::map<std::string, std::vector<std::string>> values_;
};

}  // namespace jobhost::config
