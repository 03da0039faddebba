// SIGINT and SIGTERM (and SIGHUP, which must not kill the daemon), received
// on the thread that waits for them.
//
// install_shutdown_signals() must run on the main thread before any other
// thread exists. It catches the three with a handler that only writes the
// signal's number to a pipe, which wait_for_shutdown_signal() reads; and it
// catches SIGPIPE quietly (common/quiet_signals.hpp), so a closed log pipe
// or socket fails a write instead of ending the daemon. No signal is blocked
// or ignored: whatever a plugin starts gets an empty signal mask and the
// default actions, from whichever thread it forks.
#pragma once

#include <atomic>
#include <functional>
#include <thread>

namespace jobhost::runtime {

void install_shutdown_signals();

// Blocks until SIGINT, SIGTERM or SIGHUP arrives; returns its number.
int wait_for_shutdown_signal();

// True once SIGINT or SIGTERM has arrived (whether or not it was waited
// for): start-up checks it to load no more plugins and schedule nothing.
bool stop_requested();

// Calls `on_signal` (on its own thread) when SIGINT or SIGTERM arrives while
// the watcher exists (SIGHUP is ignored). Requires install_shutdown_signals();
// one watcher at a time, and no wait_for_shutdown_signal() meanwhile.
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
