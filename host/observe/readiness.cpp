#include "observe/readiness.hpp"

#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <set>

namespace jobhost::observe {
namespace {

std::string mebibytes(std::uint64_t bytes) { return std::to_string(bytes / (1024 * 1024)) + " MiB"; }

}  // namespace

MachineReadings read_this_machine() {
  return {
      [](const std::filesystem::path& dir, std::string& error) -> std::uint64_t {
        struct statvfs fs {};
        if (::statvfs(dir.c_str(), &fs) != 0) {
          error = std::strerror(errno);
          return 0;
        }
        return static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize;
      },
      [] {
        std::uint64_t size = 0, resident = 0;
        std::ifstream("/proc/self/statm") >> size >> resident;
        return resident * static_cast<std::uint64_t>(::sysconf(_SC_PAGESIZE));
      },
      [](const std::filesystem::path& dir) {
        std::error_code ignored;
        return std::filesystem::is_directory(dir, ignored);
      },
  };
}

std::vector<std::string> readiness_problems(const HostSnapshot& host, const MachineReadings& machine) {
  std::vector<std::string> problems;
  for (const auto& dir : host.required_plugin_dirs) {
    if (!machine.is_directory(dir)) problems.push_back("plugin-dir " + dir.string() + " is not a directory any more");
  }
  if (!host.state_dir.empty()) {
    std::string error;
    const std::uint64_t free = machine.free_bytes(host.state_dir, error);
    if (!error.empty()) {
      problems.push_back("state directory " + host.state_dir.string() + ": cannot tell its free space (" + error + ")");
    } else if (free < kStateFreeMin) {
      problems.push_back("state directory " + host.state_dir.string() + " has " + mebibytes(free) +
                         " free (at least " + mebibytes(kStateFreeMin) + " expected)");
    }
  }
  if (host.ready_memory_max > 0) {
    const std::uint64_t resident = machine.resident_bytes();
    if (resident > host.ready_memory_max) {
      problems.push_back("resident memory " + mebibytes(resident) + " is above ready-memory-max " +
                         mebibytes(host.ready_memory_max));
    }
  }
  if (host.plugin_load_errors > 0) {
    problems.push_back(std::to_string(host.plugin_load_errors) +
                       " plugin file(s) could not be loaded at start-up (the log and `jobhost check` say why)");
  }
  std::set<std::string> quarantined;
  for (const auto& job : host.jobs) {
    if (job->spec.worker && job->spec.worker->state().starts_with("quarantined")) {
      quarantined.insert(job->spec.name.substr(0, job->spec.name.find('.')));
    }
  }
  for (const auto& plugin : quarantined) problems.push_back("plugin " + plugin + " is quarantined");
  for (const auto& [plugin, why] : host.refused_replacements) {
    problems.push_back("plugin " + plugin + ": a new file for it was refused (" + why + ")");
  }
  return problems;
}

}  // namespace jobhost::observe
