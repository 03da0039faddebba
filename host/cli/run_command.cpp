// `jobhost run`: the daemon in the foreground until SIGTERM or SIGINT.
#include <malloc.h>

#include <csignal>
#include <cstdlib>
#include <cstring>

#include "cli/command_line.hpp"
#include "cli/commands.hpp"
#include "jobhost/duration.hpp"
#include "daemon/daemon.hpp"
#include "runtime/plugin_exit.hpp"
#include "runtime/shutdown_signals.hpp"

namespace jobhost::cli {

int run_daemon(const Invocation& invocation) {
  // A fixed threshold (glibc's own default, made static): blocks this large,
  // such as a /metrics body of 10,000 jobs, are mapped and given back when
  // freed. The dynamic one rises to the largest block freed and then keeps
  // such blocks in the heap, where the daemon's memory stays at its peak.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
  // Before any thread exists: no thread may have blocked the signals.
  runtime::install_shutdown_signals();
  // From here until this function returns, an exit() is a plugin's.
  runtime::PluginExitGuard exit_guard;
  daemon::Daemon daemon(invocation.config);
  exit_guard.log_to(daemon.log());
  if (const int status = daemon.start(); status != 0) return status;

  int signal;
  while ((signal = runtime::wait_for_shutdown_signal()) == SIGHUP) {
    daemon.reload([&invocation] { return reread_config(invocation); });
  }
  const auto timeout = daemon.settings().shutdown_timeout;
  daemon.log()->info("received SIG{}: stopping (waiting up to {} for running jobs)", sigabbrev_np(signal),
                     format_duration(timeout));
  const auto stopped = daemon.stop(timeout, std::string("stopping on SIG") + sigabbrev_np(signal));
  if (stopped == daemon::Daemon::Stopped::abandoned) {
    // Returning would destroy plugin objects and unload libraries under the
    // threads still running their code.
    std::_Exit(1);
  }
  daemon.log()->info("stopped");
  return stopped == daemon::Daemon::Stopped::in_time ? 0 : 1;
}

}  // namespace jobhost::cli
