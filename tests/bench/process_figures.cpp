#include "process_figures.hpp"

#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace jobhost::bench {

ResidentMemory resident_memory(pid_t pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  ResidentMemory memory;
  bool rss = false, hwm = false;
  for (std::string line; std::getline(status, line);) {
    std::istringstream fields(line);
    std::string key;
    double kib = 0;
    fields >> key >> kib;
    if (key == "VmRSS:") {
      memory.vm_rss_mib = kib / 1024;
      rss = true;
    } else if (key == "VmHWM:") {
      memory.vm_hwm_mib = kib / 1024;
      hwm = true;
    }
  }
  if (!rss || !hwm) throw std::runtime_error("no VmRSS/VmHWM in /proc/" + std::to_string(pid) + "/status");
  return memory;
}

double proportional_set_size_mib(pid_t pid) {
  std::ifstream rollup("/proc/" + std::to_string(pid) + "/smaps_rollup");
  for (std::string line; std::getline(rollup, line);) {
    std::istringstream fields(line);
    std::string key;
    double kib = 0;
    fields >> key >> kib;
    if (key == "Pss:") return kib / 1024;
  }
  throw std::runtime_error("no Pss in /proc/" + std::to_string(pid) + "/smaps_rollup");
}

std::vector<pid_t> child_processes(pid_t pid) {
  std::vector<pid_t> children;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    std::ifstream list(task.path() / "children");
    for (pid_t child; list >> child;) children.push_back(child);
  }
  return children;
}

double cpu_seconds(pid_t pid) {
  clockid_t clock{};
  timespec used{};
  if (::clock_getcpuclockid(pid, &clock) != 0 || ::clock_gettime(clock, &used) != 0)
    throw std::runtime_error("cannot read the CPU clock of process " + std::to_string(pid));
  return static_cast<double>(used.tv_sec) + static_cast<double>(used.tv_nsec) / 1e9;
}

}  // namespace jobhost::bench
