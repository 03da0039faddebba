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
#include "loader/loaded_plugin.hpp"
#include "loader/plugin_allow_list.hpp"
#include "loader/plugin_file_check.hpp"
#include "loader/shadow_copy.hpp"

namespace jobhost::loader {

// What loading needs from the host.
struct PluginEnvironment {
  const logging::LogHub& logs;
  // The settings of the plugin with this name (its `[PLUGIN]` section).
  std::function<Settings(const std::string& plugin_name)> settings_for;
  // Where the copies that are loaded go; required.
  std::shared_ptr<ShadowCopies> copies = nullptr;
  // Ownership and mode checks of plugin files (off with --insecure-plugins).
  PluginFileRules file_rules = {};
  // When set, only the files it lists, with their SHA-256, are loaded.
  std::shared_ptr<const PluginAllowList> allow_list = nullptr;
};

// A plugin file that passed every check made before any of its code runs,
// and its private copy, which is what gets loaded.
struct CheckedPlugin {
  std::filesystem::path file;
  ShadowCopy copy;
};

// Opens and checks a plugin file (plugin_file_check.hpp), copies it from that
// descriptor into env.copies (shadow_copy.hpp), checks the copy's SHA-256
// against env.allow_list, then, on the copy, its ELF structure and ABI
// marker (read with boost::dll::library_info before the file is mapped).
// Throws PluginLoadError with the cause.
CheckedPlugin check_plugin(const std::filesystem::path& file, const PluginEnvironment& env);

// Loads a checked plugin into this process: dlopen with RTLD_NOW |
// RTLD_LOCAL, entry point, info(), configure(), jobs(), and validation of
// plugin and job names and default schedules. Throws PluginLoadError with the
// cause; no exception from plugin code escapes. When the library is unloaded
// and something still pins it, a warning naming the file goes to the
// "plugins" log. (isolation/ loads one into a worker process instead.)
LoadedPlugin load_in_process(CheckedPlugin checked, const PluginEnvironment& env);

// check_plugin, then load_in_process.
LoadedPlugin load_plugin(const std::filesystem::path& file, const PluginEnvironment& env);

// The checks of what a plugin says about itself, wherever it runs: its name
// ([a-z0-9_]+, neither a host section nor a host logger) and its jobs (valid and distinct names, a
// run function, a valid default schedule). Throw PluginLoadError.
void check_plugin_name(const std::string& name);
void check_jobs(const std::vector<JobDefinition>& jobs);

struct PluginSet {
  std::vector<LoadedPlugin> plugins;
  // One line per problem, each naming the file (or directory) and the cause.
  std::vector<std::string> errors;
};

// Whether a file of this name in a plugin directory is a plugin: `*.so`, but
// not a dotfile nor `*.tmp` (files being written, to be renamed into place).
bool is_plugin_file_name(const std::string& name);

// The `*.so` files in `directory`, sorted; dotfiles and `*.tmp` are skipped.
// Throws PluginLoadError when the directory cannot be read.
std::vector<std::filesystem::path> find_plugin_files(const std::filesystem::path& directory);

// Loads every plugin in `directories` with `load` (load_plugin, or the host's
// choice between a worker and this process). A file that fails, or whose
// plugin name is already taken by an earlier file, is reported in `errors`
// and the others load all the same. Once `stop` (if given) says so, no more
// file is loaded: the daemon was asked to stop while starting.
PluginSet load_plugins(const std::vector<std::filesystem::path>& directories,
                       const std::function<LoadedPlugin(const std::filesystem::path&)>& load,
                       const std::function<bool()>& stop = {});

}  // namespace jobhost::loader
