// Loading a plugin where its isolation says: in a worker process, or in this
// process. The plugin's name, which the choice is keyed by, comes from its
// own info(): when some plugin may need a worker, every plugin is started in
// one, and one whose choice turns out to be `none` is moved into this process
// (the worker stopped, the same checked copy loaded here).
#pragma once

#include <filesystem>
#include <variant>

#include "isolation/isolation_mode.hpp"
#include "isolation/worker_plugin.hpp"
#include "loader/loaded_plugin.hpp"
#include "loader/plugin_loader.hpp"

namespace jobhost::isolation {

// Checks the file (loader::check_plugin) and loads it as `choice` says.
// Throws PluginLoadError with the cause.
loader::LoadedPlugin place_plugin(const std::filesystem::path& file, const loader::PluginEnvironment& env,
                                  const WorkerEnvironment& workers, const IsolationChoice& choice);

// Loads a checked plugin in a worker process when `choice` says so for its
// name; gives the checked plugin back when it is to run in this process
// (for loader::load_in_process). Throws PluginLoadError with the cause.
std::variant<loader::LoadedPlugin, loader::CheckedPlugin> place_in_worker(loader::CheckedPlugin checked,
                                                                          const loader::PluginEnvironment& env,
                                                                          const WorkerEnvironment& workers,
                                                                          const IsolationChoice& choice);

}  // namespace jobhost::isolation
