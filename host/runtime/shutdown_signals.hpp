// SIGINT and SIGTERM (and SIGHUP, which must not kill the daemon), received
// synchronously.
//
// block_shutdown_signals() must run on the main thread before any other thread
// exists: every thread started afterwards inherits the mask, so the signals
// are delivered only to whoever waits for them with sigwait and never
// interrupt a job's thread.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace jobhost::runtime {

void block_shutdown_signals();

// Blocks until SIGINT, SIGTERM or SIGHUP arrives; returns its number.
int wait_for_shutdown_signal();

// Calls `on_signal` (on its own thread) when SIGINT or SIGTERM arrives while
// the watcher exists (SIGHUP is ignored). Requires block_shutdown_signals().
class ShutdownSignalWatcher {
 public:
  explicit ShutdownSignalWatcher(std::function<void(int signal)> on_signal);
  ~ShutdownSignalWatcher();

  ShutdownSignalWatcher(const ShutdownSignalWatcher&) = delete;
  ShutdownSignalWatcher& operator=(const ShutdownSignalWatcher&) = delete;

 private:
  std::atomic<bool> done_{false};
  std::thread thread_;
};

}  // namespace jobhost::runtime
