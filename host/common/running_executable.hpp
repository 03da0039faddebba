// The path of the running executable, from /proc/self/exe: symbolic links
// resolved, so files installed beside it (jobhost-worker, the plugin
// directory) are found wherever the installation was put.
#pragma once

#include <filesystem>

namespace jobhost {

// Empty when it cannot be read (/proc not mounted).
std::filesystem::path running_executable();

}  // namespace jobhost
