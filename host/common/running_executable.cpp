#include "common/running_executable.hpp"

namespace jobhost {

std::filesystem::path running_executable() {
  std::error_code ec;
  auto executable = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return {};
  return executable;
}

}  // namespace jobhost
