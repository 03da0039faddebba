#include "config/config.hpp"

#include <charconv>

#include "common/longest_duration.hpp"
#include "jobhost/duration.hpp"
#include "jobhost/error.hpp"
#include "jobhost/settings.hpp"

namespace jobhost::config {

void Config::set(const std::string& key, std::string value) { values_[key] = {std::move(value)}; }

void Config::add(const std::string& key, std::string value) { values_[key].push_back(std::move(value)); }

void Config::overlay(const Config& other) {
  for (const auto& [key, values] : other.values_) values_[key] = values;
}

std::optional<std::string> Config::get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end() || it->second.empty()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Config::get_all(const std::string& key) const {
  auto it = values_.find(key);
  return it == values_.end() ? std::vector<std::string>{} : it->second;
}

std::map<std::string, std::string> Config::section(const std::string& prefix) const {
  std::map<std::string, std::string> result;
  const std::string start = prefix + ".";
  for (auto it = values_.lower_bound(start); it != values_.end() && it->first.starts_with(start); ++it) {
    if (!it->second.empty()) result[it->first.substr(start.size())] = it->second.back();
  }
  return result;
}

std::string Config::get_string(const std::string& key, const std::string& fallback) const {
  return get(key).value_or(fallback);
}

long Config::get_int(const std::string& key, long fallback, long min, long max) const {
  auto text = get(key);
  if (!text) return fallback;
  long value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  if (ec != std::errc() || end != text->data() + text->size() || value < min || value > max) {
    throw ConfigError(key + ": \"" + *text + "\" is not a whole number from " + std::to_string(min) + " to " +
                      std::to_string(max));
  }
  return value;
}

bool Config::get_bool(const std::string& key, bool fallback) const {
  auto text = get(key);
  return text ? parse_bool(*text, key) : fallback;
}

unsigned long long Config::get_size(const std::string& key, unsigned long long fallback) const {
  auto text = get(key);
  if (!text) return fallback;
  unsigned long long value = 0;
  auto [end, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
  const std::string_view suffix(end, static_cast<std::size_t>(text->data() + text->size() - end));
  unsigned shift = 0;
  if (suffix == "K" || suffix == "KiB") {
    shift = 10;
  } else if (suffix == "M" || suffix == "MiB") {
    shift = 20;
  } else if (suffix == "G" || suffix == "GiB") {
    shift = 30;
  } else if (!suffix.empty()) {
    ec = std::errc::invalid_argument;
  }
  if (ec != std::errc() || value == 0 || value > (~0ULL >> shift)) {
    throw ConfigError(key + ": \"" + *text + "\" is not a size (expected a positive number of bytes, e.g. 1048576, 512K, 10M, 1G)");
  }
  return value << shift;
}

std::chrono::nanoseconds Config::get_duration(const std::string& key, std::chrono::nanoseconds fallback) const {
  auto text = get(key);
  if (!text) return fallback;
  const auto value = parse_duration(*text, key);
  if (value > kLongestDuration) {
    throw ConfigError(key + ": \"" + *text + "\" is too long a duration (at most " + kLongestDurationText + ")");
  }
  return value;
}

}  // namespace jobhost::config
