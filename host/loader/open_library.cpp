#include "loader/open_library.hpp"

#include <dlfcn.h>

namespace jobhost::loader {
namespace {

constexpr const char* kEntryPoint = "jobhost_create_plugin";
constexpr const char* kDeclarations = "jobhost_plugin_declarations";  // SDK 1.1

}  // namespace

void open_library(boost::dll::shared_library& library, const std::filesystem::path& file) {
  boost::dll::fs::error_code ec;
  library.load(file, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (!ec) return;
  const char* reason = dlerror();
  std::string text = reason ? reason : ec.message();
  const std::string marker = "undefined symbol: ";
  if (auto at = text.find(marker); at != std::string::npos) {
    throw PluginLoadError("unresolved symbol " + text.substr(at + marker.size()) +
                          " (a plugin may use only the jobhost SDK; the host exports nothing)");
  }
  throw PluginLoadError("dlopen failed: " + text);
}

Plugin* create_plugin(boost::dll::shared_library& library) {
  if (!library.has(kEntryPoint)) {
    throw PluginLoadError(std::string("no entry point ") + kEntryPoint + " (use JOBHOST_PLUGIN)");
  }
  auto& create = library.get<Plugin*()>(kEntryPoint);
  Plugin* plugin = guarded("entry point", [&] { return create(); });
  if (!plugin) throw PluginLoadError("entry point returned no plugin");
  return plugin;
}

std::optional<Declarations> read_declarations(boost::dll::shared_library& library) {
  if (!library.has(kDeclarations)) return std::nullopt;
  auto& fill = library.get<bool(Declarations*)>(kDeclarations);
  Declarations declarations;
  if (!guarded("declarations()", [&] { return fill(&declarations); })) return std::nullopt;
  return declarations;
}

}  // namespace jobhost::loader
