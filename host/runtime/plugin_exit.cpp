#include "runtime/plugin_exit.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>

namespace jobhost::runtime {
namespace {

std::atomic<bool> guarded{false};
std::atomic<std::shared_ptr<spdlog::logger>> exit_log;
thread_local const std::string* running_job = nullptr;

// on_exit: runs on the thread that called exit(), before the static objects
// go, so the logger still works.
void on_plugin_exit(int status, void*) {
  if (!guarded) return;
  const std::string caller = running_job ? "the run of job " + *running_job : "plugin code outside any job's run";
  if (const auto log = exit_log.load()) {
    log->critical("exit({}) called by {}: a plugin may not end the daemon; exiting with status {} so that it is "
                  "restarted (isolation = process keeps such a plugin in its own process)",
                  status, caller, kPluginExitStatus);
    log->flush();
  } else {
    std::fprintf(stderr, "jobhost: exit(%d) called by %s: exiting with status %d\n", status, caller.c_str(),
                 kPluginExitStatus);
  }
  ::_exit(kPluginExitStatus);
}

}  // namespace

PluginExitGuard::PluginExitGuard() {
  static const bool installed = ::on_exit(on_plugin_exit, nullptr) == 0;
  (void)installed;
  guarded = true;
}

PluginExitGuard::~PluginExitGuard() {
  guarded = false;
  exit_log.store(std::shared_ptr<spdlog::logger>());
}

void PluginExitGuard::log_to(std::shared_ptr<spdlog::logger> log) {
  exit_log = std::move(log);
  // Registered again: exit() runs its handlers and destroys static objects
  // in reverse order of registration, so this one runs (and _exits) before
  // the statics made while the daemon was built (a time-zone cache, say)
  // are destroyed under threads that still use them.
  ::on_exit(on_plugin_exit, nullptr);
}

RunningJobMark::RunningJobMark(const std::string& job) : previous_(running_job) { running_job = &job; }

RunningJobMark::~RunningJobMark() { running_job = previous_; }

}  // namespace jobhost::runtime
