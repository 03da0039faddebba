#include "loader/plugin_allow_list.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "jobhost/error.hpp"
#include "loader/plugin_load_error.hpp"

namespace jobhost::loader {
namespace {

constexpr std::size_t kHashDigits = 64;

bool hex_digit(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

std::string lowercase(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c; });
  return out;
}

std::string join(const std::set<std::string>& hashes) {
  std::string out;
  for (const auto& hash : hashes) out += (out.empty() ? "" : " or ") + hash;
  return out;
}

}  // namespace

PluginAllowList PluginAllowList::read(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError("plugin-sha256: cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError("plugin-sha256: cannot read " + file.string());
  return parse(text.str(), file.string());
}

PluginAllowList PluginAllowList::parse(std::string_view text, const std::string& origin) {
  PluginAllowList list;
  list.origin_ = origin;
  std::size_t number = 0;
  while (!text.empty()) {
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line.empty() || line.front() == '#') continue;

    const bool hash_ok = line.size() > kHashDigits + 2 &&
                         std::all_of(line.begin(), line.begin() + kHashDigits, hex_digit) &&
                         line[kHashDigits] == ' ' && (line[kHashDigits + 1] == ' ' || line[kHashDigits + 1] == '*');
    const std::string_view name = hash_ok ? line.substr(kHashDigits + 2) : std::string_view();
    if (!hash_ok || name.size() <= 3 || !name.ends_with(".so") || name.find('/') != std::string_view::npos) {
      throw ConfigError("plugin-sha256: " + origin + ":" + std::to_string(number) +
                        ": expected a line of 64 hex digits, two spaces and NAME.so (as sha256sum prints it), got \"" +
                        std::string(line) + "\"");
    }
    list.hashes_[std::string(name)].insert(lowercase(line.substr(0, kHashDigits)));
  }
  return list;
}

void PluginAllowList::check(const std::string& name, const std::string& sha256) const {
  auto it = hashes_.find(name);
  if (it == hashes_.end()) {
    throw PluginLoadError("not in the allow-list " + origin_ + " (its SHA-256 is " + sha256 + ")");
  }
  if (!it->second.count(sha256)) {
    throw PluginLoadError("SHA-256 " + sha256 + " does not match the allow-list " + origin_ + " (expected " +
                          join(it->second) + ")");
  }
}

}  // namespace jobhost::loader
