// The plugin directory jobhost loads when no plugin-dir is configured: the
// installation's own, found from where the running executable is, so an
// installation put under another prefix at install time
// (`cmake --install --prefix DIR`) loads its own plugins, not those of the
// prefix it was configured with.
#pragma once

#include <filesystem>

namespace jobhost::jobs {

// The plugin directory of the installation whose executable is `executable`:
// `from_bindir` (the plugin directory relative to the executable's directory,
// or an absolute one) resolved from that directory.
std::filesystem::path installed_plugin_dir(const std::filesystem::path& executable,
                                           const std::filesystem::path& from_bindir);

// The default plugin-dir: that of the running executable's installation. A
// jobhost run from its build tree (or whose path cannot be read) gets the
// plugin directory of the prefix it was configured with.
std::filesystem::path default_plugin_dir();

}  // namespace jobhost::jobs
