// Checking a plugin's configuration against what the plugin declares
// (jobhost/declarations.hpp, SDK 1.1): every key it is given must be one it
// declares, with a value that reads as the declared type; and the chains its
// jobs use, found from those declarations.
//
// Stateless functions; any thread.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "jobhost/declarations.hpp"
#include "jobhost/settings.hpp"

namespace jobhost::loader {

// Nothing when `key` is declared and `value` reads as its type; else the
// problem, naming the key as the configuration spells it (`shown_key`, e.g.
// "hello.greting" or "job.hello.greet.greting") and, for an unknown key,
// the keys `plugin` accepts.
std::optional<std::string> check_declared_setting(const std::string& plugin, const Declarations& declarations,
                                                  const std::string& key, const std::string& value,
                                                  const std::string& shown_key);

// Checks the plugin's own section (`[PLUGIN]`, keys without the prefix);
// throws PluginLoadError listing every problem.
void check_plugin_settings(const std::string& plugin, const Declarations& declarations, const Settings& section);

// A chain a job uses and why: `how` is "" for a fixed name, else "setting
// KEY".
struct ChainNeed {
  std::string chain;
  std::string how;
};

// The chains a job with these settings uses: each ChainUse's fixed name, or
// the value of its setting (its declared default when unset; each item of a
// list). Values that do not read are left to check_declared_setting.
std::vector<ChainNeed> chains_needed(const Declarations& declarations, const Settings& job_settings);

// "text", "duration", "unsigned integer", "boolean", "list".
std::string describe(SettingType type);

}  // namespace jobhost::loader
