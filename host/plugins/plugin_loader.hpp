// Loading plugin libraries: discovery in plugin directories, checks before any
// plugin code runs, loading with Boost.DLL, configuration and validation.
//
// Not thread-safe: the host loads plugins from one thread at start-up.
#pragma once

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "jobhost/settings.hpp"
#include "logging/log_hub.hpp"
#include "plugins/loaded_plugin.hpp"

namespace jobhost::plugins {

// What loading needs from the host.
struct PluginEnvironment {
  const logging::LogHub& logs;
  // The settings of the plugin with this name (its `[PLUGIN]` section).
  std::function<Settings(const std::string& plugin_name)> settings_for;
};

// Loads one plugin file: ELF structure check, ABI marker (read with
// boost::dll::library_info before the file is mapped), dlopen with
// RTLD_NOW | RTLD_LOCAL, entry point, info(), configure(), jobs(), and
// validation of plugin and job names and default schedules. Throws
// PluginLoadError with the cause; no exception from plugin code escapes.
LoadedPlugin load_plugin(const std::filesystem::path& file, const PluginEnvironment& env);

struct PluginSet {
  std::vector<LoadedPlugin> plugins;
  // One line per problem, each naming the file (or directory) and the cause.
  std::vector<std::string> errors;
};

// The `*.so` files in `directory`, sorted; dotfiles and `*.tmp` are skipped.
// Throws PluginLoadError when the directory cannot be read.
std::vector<std::filesystem::path> find_plugin_files(const std::filesystem::path& directory);

// Loads every plugin in `directories`. A file that fails, or whose plugin name
// is already taken by an earlier file, is reported in `errors` and the others
// load all the same.
PluginSet load_plugins(const std::vector<std::filesystem::path>& directories, const PluginEnvironment& env);

}  // namespace jobhost::plugins
