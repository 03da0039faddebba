// HostSnapshot: what the read-only endpoints (/metrics, /jobs) show, taken
// from a running host. The list of jobs is a copy (plugins may come and go
// meanwhile); the jobs themselves are read live: their counters are atomic
// and their last run is read under their mutex.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "clients/chain_client_provider.hpp"
#include "jobs/job_list.hpp"

namespace jobhost::observe {

struct HostSnapshot {
  jobs::JobList jobs;
  std::string version;  // jobhost's
  std::size_t plugins_loaded = 0;
  std::size_t plugin_load_errors = 0;
  std::map<std::string, clients::ChainStats> clients;
  // Plugin name -> how many times its worker died, for plugins in workers.
  std::map<std::string, std::uint64_t> worker_deaths;
  // Plugin name -> why a new file for it was refused (it goes on as loaded).
  std::map<std::string, std::string> refused_replacements;
  // Plugin name -> its one-line description (PluginInfo::description).
  std::map<std::string, std::string> plugin_descriptions = {};
  // For readiness (readiness.hpp): where the host keeps state, the plugin
  // directories it must have, and the memory above which it is not ready
  // (0: no limit).
  std::filesystem::path state_dir = {};
  std::vector<std::filesystem::path> required_plugin_dirs = {};
  std::uint64_t ready_memory_max = 0;
  // Plugin name -> how many of its log lines were dropped (log.rate-limit).
  std::map<std::string, std::uint64_t> log_lines_dropped = {};
};

}  // namespace jobhost::observe
