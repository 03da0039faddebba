#include "jobs/default_plugin_dir.hpp"

#include "common/running_executable.hpp"

namespace jobhost::jobs {

std::filesystem::path installed_plugin_dir(const std::filesystem::path& executable,
                                           const std::filesystem::path& from_bindir) {
  return (executable.parent_path() / from_bindir).lexically_normal();
}

std::filesystem::path default_plugin_dir() {
  const auto executable = running_executable();
  // jobhost in its build tree is not installed: nothing is at the plugin
  // directory's place relative to it (the build's plugins are in
  // BUILD/plugins), so it keeps the configured prefix's.
  std::error_code ec;
  if (executable.empty() || std::filesystem::equivalent(executable.parent_path(), JOBHOST_BUILD_TREE_BINDIR, ec)) {
    return JOBHOST_CONFIGURED_PLUGIN_DIR;
  }
  return installed_plugin_dir(executable, JOBHOST_PLUGIN_DIR_FROM_BINDIR);
}

}  // namespace jobhost::jobs
