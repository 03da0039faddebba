#include "process_figures.hpp"

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
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(stat, text);
  // Fields after the command name (which may hold spaces), from field 3 on;
  // utime and stime are fields 14 and 15.
  const auto after_name = text.rfind(')');
  if (after_name == std::string::npos) throw std::runtime_error("cannot read /proc/" + std::to_string(pid) + "/stat");
  std::istringstream fields(text.substr(after_name + 2));
  std::string field;
  for (int i = 3; i < 14; ++i) fields >> field;
  double utime = 0, stime = 0;
  fields >> utime >> stime;
  if (!fields) throw std::runtime_error("cannot read /proc/" + std::to_string(pid) + "/stat");
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

}  // namespace jobhost::bench
