// LoadedPlugin: one plugin library, loaded and configured, with its jobs.
//
// In a worker process (isolation/worker_plugin.hpp), `worker` owns the
// process, `jobs` forward their runs to it, and `library` holds the private
// copy only.
//
// In this process: the library, the plugin object, the plugin's logger and the job
// definitions the plugin returned are kept together in one shared holder.
// `plugin` and every element of `jobs` share that holder, so the library stays
// loaded for as long as any of them is alive; when the last one goes, the job
// definitions are destroyed first, then the plugin object, then its logger,
// then the library is unloaded and its private copy released (removed, or
// kept with a warning when something still pins the library; see
// shadow_copy.hpp).
//
// Thread-safety: immutable after loading; the run functions in `jobs` are the
// plugin's and follow the SDK's rules (plugin.hpp).
#pragma once

#include <filesystem>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "jobhost/declarations.hpp"
#include "jobhost/plugin.hpp"
#include "runtime/plugin_worker.hpp"

namespace jobhost::loader {

struct LoadedPlugin {
  // The file as found in its plugin directory, for messages and listings.
  std::filesystem::path file;
  // The private copy that was loaded (see shadow_copy.hpp) and its SHA-256.
  std::filesystem::path copy;
  std::string sha256;
  PluginInfo info;
  // What the plugin declares (SDK 1.1); nothing when it declares nothing.
  std::optional<Declarations> declarations;
  // In this process, the plugin object; nullptr when it runs in a worker.
  std::shared_ptr<Plugin> plugin;
  std::vector<std::shared_ptr<const JobDefinition>> jobs;
  // The worker the plugin runs in; nullptr when it runs in this process.
  std::shared_ptr<runtime::PluginWorker> worker;
  // Keeps the library loaded (and nothing else) for an owner that must
  // outlast the plugin object, such as the Host's teardown order.
  std::shared_ptr<const void> library;
};

}  // namespace jobhost::loader
