// Isolation: where a plugin's code runs — in a worker process of its own
// (`process`, the default) or in the daemon's own process (`none`).
// docs/isolation.md says what each protects against.
#pragma once

#include <map>
#include <string>
#include <string_view>

namespace jobhost::isolation {

enum class Isolation { process, none };

inline const char* isolation_name(Isolation isolation) { return isolation == Isolation::process ? "process" : "none"; }

// Throws ConfigError naming `key` for anything but "process" or "none".
Isolation parse_isolation(std::string_view text, const std::string& key);

// The isolation of each plugin: "isolation", overridden for a plugin by
// "isolation.PLUGIN".
struct IsolationChoice {
  Isolation host_wide = Isolation::process;
  std::map<std::string, Isolation> plugins;

  Isolation of(const std::string& plugin) const {
    const auto it = plugins.find(plugin);
    return it == plugins.end() ? host_wide : it->second;
  }
  // Whether some plugin may have to run in a worker.
  bool any_process() const {
    if (host_wide == Isolation::process) return true;
    for (const auto& [plugin, isolation] : plugins) {
      if (isolation == Isolation::process) return true;
    }
    return false;
  }
};

}  // namespace jobhost::isolation
