// JobContext: everything one run of a job may use.
//
// Ownership: the host creates one JobContext per run and passes it to the
// job's run function by reference; it is valid only until that function
// returns. Do not keep references to it, or to what it returns, past the run
// (the ClientProvider and its clients are the exception: they live until the
// host shuts down).
// Thread-safety: a context belongs to its run; its members may be called from
// the run's thread and from threads the run starts and joins before returning.
#pragma once

#include <chrono>
#include <filesystem>
#include <stop_token>
#include <string_view>

#include "jobhost/client_provider.hpp"
#include "jobhost/logger.hpp"
#include "jobhost/settings.hpp"

namespace jobhost {

class JobContext {
 public:
  virtual ~JobContext() = default;

  // The job's own logger, named "PLUGIN.JOB".
  virtual Logger& log() = 0;

  // The host-owned chain clients.
  virtual ClientProvider& clients() = 0;

  // The plugin's settings with the job's own settings layered on top.
  virtual const Settings& settings() const = 0;

  // A directory that belongs to this plugin alone (STATE/plugins/PLUGIN); it
  // exists when the run starts and persists across runs and restarts.
  virtual const std::filesystem::path& state_dir() const = 0;

  // Becomes stop_requested() when the host wants the run to end early (for
  // example at shutdown). A long run should check it and return promptly.
  virtual std::stop_token stop_token() const = 0;

  // The fire time this run was scheduled for (not the time it started).
  virtual std::chrono::system_clock::time_point scheduled_time() const = 0;

  // The job's full name, "PLUGIN.JOB".
  virtual std::string_view job_name() const = 0;
};

}  // namespace jobhost
