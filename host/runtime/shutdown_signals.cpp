#include "runtime/shutdown_signals.hpp"

#include <pthread.h>
#include <signal.h>

namespace jobhost::runtime {
namespace {

sigset_t shutdown_set() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);  // `systemctl reload`; its default action would end the process
  return set;
}

}  // namespace

void block_shutdown_signals() {
  const sigset_t set = shutdown_set();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  // A shell starts background commands with SIGINT ignored, and an ignored
  // signal is discarded instead of waiting for sigwait: restore the default
  // (which never runs while the signals are blocked).
  signal(SIGINT, SIG_DFL);
  signal(SIGTERM, SIG_DFL);
  signal(SIGHUP, SIG_DFL);
}

int wait_for_shutdown_signal() {
  const sigset_t set = shutdown_set();
  int signal = 0;
  while (sigwait(&set, &signal) != 0) {
  }
  return signal;
}

ShutdownSignalWatcher::ShutdownSignalWatcher(std::function<void(int)> on_signal)
    : thread_([this, on_signal = std::move(on_signal)] {
        int signal;
        while ((signal = wait_for_shutdown_signal()) == SIGHUP) {
        }
        if (!done_) on_signal(signal);
      }) {}

ShutdownSignalWatcher::~ShutdownSignalWatcher() {
  done_ = true;
  // Wakes the watcher's sigwait with a signal aimed at that thread alone.
  pthread_kill(thread_.native_handle(), SIGTERM);
  thread_.join();
}

}  // namespace jobhost::runtime
