#include "process_figures.hpp"

#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "support/process.hpp"

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

double cpu_seconds(pid_t pid) { return std::chrono::duration<double>(testing::cpu_time(pid)).count(); }

}  // namespace jobhost::bench
