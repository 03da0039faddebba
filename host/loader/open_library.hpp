// Opening a plugin library and making its plugin object: the steps that run
// plugin code, shared by the in-process loader (plugin_loader.hpp) and the
// worker process (worker/plugin_server.hpp). Depends only on Boost.DLL and
// the SDK, so that the worker links nothing else of the host.
//
// Stateless functions; they throw PluginLoadError with the cause.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include <boost/dll/shared_library.hpp>

#include "jobhost/declarations.hpp"
#include "jobhost/plugin.hpp"
#include "loader/plugin_load_error.hpp"

namespace jobhost::loader {

// dlopen with RTLD_NOW | RTLD_LOCAL; an unresolved symbol is named as such.
void open_library(boost::dll::shared_library& library, const std::filesystem::path& file);

// Calls the library's entry point (JOBHOST_PLUGIN) and returns the plugin it
// made, which the caller owns.
Plugin* create_plugin(boost::dll::shared_library& library);

// What the plugin declares (JOBHOST_PLUGIN of SDK 1.1 and its
// Type::declarations()); nothing when it declares nothing.
std::optional<Declarations> read_declarations(boost::dll::shared_library& library);

// Runs `call` (plugin code) and turns anything it throws into a
// PluginLoadError that says which step failed.
template <class Call>
auto guarded(const std::string& step, Call&& call) {
  try {
    return call();
  } catch (const std::exception& e) {
    throw PluginLoadError(step + " threw: " + e.what());
  } catch (...) {
    throw PluginLoadError(step + " threw a non-standard exception");
  }
}

}  // namespace jobhost::loader
