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

// Loads one plugin file: opens and checks it (plugin_file_check.hpp), copies
// it from that descriptor into env.copies (shadow_copy.hpp), checks the
// copy's SHA-256 against env.allow_list, then, on the copy: ELF structure
// check, ABI marker (read with boost::dll::library_info before the file is
// mapped), dlopen with RTLD_NOW | RTLD_LOCAL, entry point, info(),
// configure(), jobs(), and validation of plugin and job names and default
// schedules. Throws PluginLoadError with the cause; no exception from plugin
// code escapes. When the library is unloaded and something still pins it, a
// warning naming `file` goes to the "plugins" log.
LoadedPlugin load_plugin(const std::filesystem::path& file, const PluginEnvironment& env);

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

// Loads every plugin in `directories`. A file that fails, or whose plugin name
// is already taken by an earlier file, is reported in `errors` and the others
// load all the same.
PluginSet load_plugins(const std::vector<std::filesystem::path>& directories, const PluginEnvironment& env);

}  // namespace jobhost::loader
