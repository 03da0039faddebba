// An exit() that jobhost did not start. A plugin loaded in this process
// (isolation = none) that calls exit(0) would end the daemon silently with
// status 0, which a supervisor takes for a clean stop and does not restart.
// Guarded, such an exit is logged (critical, naming the job whose run called
// it, if any) and ends the process with kPluginExitStatus instead.
//
// Thread-safety: guard_plugin_exits() and the PluginExitGuard's destructor
// on the main thread; RunningJobMark on any thread.
#pragma once

#include <spdlog/logger.h>

#include <memory>
#include <string>

namespace jobhost::runtime {

// Not 2 (a configuration error, which the unit does not restart).
inline constexpr int kPluginExitStatus = 70;

// While it lives, an exit() is a plugin's: logged to `log` (or stderr while
// it is null) and turned into kPluginExitStatus. When it goes — jobhost
// returning from the command — exit() is jobhost's own again. One at a time.
class PluginExitGuard {
 public:
  PluginExitGuard();
  ~PluginExitGuard();
  PluginExitGuard(const PluginExitGuard&) = delete;
  PluginExitGuard& operator=(const PluginExitGuard&) = delete;

  // Where the line goes from now on.
  void log_to(std::shared_ptr<spdlog::logger> log);
};

// Marks the calling thread as running `job`'s run while it lives.
class RunningJobMark {
 public:
  explicit RunningJobMark(const std::string& job);
  ~RunningJobMark();
  RunningJobMark(const RunningJobMark&) = delete;
  RunningJobMark& operator=(const RunningJobMark&) = delete;

 private:
  const std::string* previous_;
};

}  // namespace jobhost::runtime
