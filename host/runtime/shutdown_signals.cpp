#include "runtime/shutdown_signals.hpp"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <stdexcept>
#include <system_error>

#include "common/quiet_signals.hpp"

namespace jobhost::runtime {
namespace {

constexpr int kWakeWatcher = 0;  // not a signal: the watcher's destructor

int signal_pipe[2] = {-1, -1};  // read end, write end (non-blocking)
std::atomic<bool> stop_signal{false};  // lock-free: safe to set in a handler
pid_t owner = 0;                // the process that installed the handler

void note_signal(int signal) {
  if (::getpid() != owner) {  // a child forked without exec: the default action
    ::signal(signal, SIG_DFL);
    ::raise(signal);
    return;
  }
  if (signal != SIGHUP) stop_signal = true;
  const int saved = errno;
  const unsigned char number = static_cast<unsigned char>(signal);
  [[maybe_unused]] const auto written = ::write(signal_pipe[1], &number, 1);  // full: one is pending anyway
  errno = saved;
}

void send_to_waiter(int number) {
  const unsigned char byte = static_cast<unsigned char>(number);
  [[maybe_unused]] const auto written = ::write(signal_pipe[1], &byte, 1);
}

// Waits in poll() with a timeout rather than in one blocking read: a
// runtime that defers signal handlers to its next intercepted call
// (ThreadSanitizer's) runs the handler when poll() returns, and the next
// poll() sees the byte it wrote. The timeout costs nothing otherwise.
int read_signal() {
  constexpr int kWakeEveryMs = 200;
  unsigned char number = 0;
  for (;;) {
    const auto got = ::read(signal_pipe[0], &number, 1);
    if (got == 1) return number;
    if (got < 0 && errno != EINTR && errno != EAGAIN) {
      throw std::system_error(errno, std::generic_category(), "reading the signal pipe");
    }
    pollfd readable{signal_pipe[0], POLLIN, 0};
    ::poll(&readable, 1, kWakeEveryMs);
  }
}

}  // namespace

void install_shutdown_signals() {
  if (::pipe2(signal_pipe, O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "creating the signal pipe");
  }
  ::fcntl(signal_pipe[0], F_SETFL, O_NONBLOCK);
  ::fcntl(signal_pipe[1], F_SETFL, O_NONBLOCK);
  owner = ::getpid();
  struct sigaction action {};
  action.sa_handler = note_signal;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  // `systemctl reload` sends SIGHUP, whose default action would end the
  // process. A shell starts background commands with SIGINT ignored: a
  // handler replaces that too.
  for (const int signal : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(signal, &action, nullptr);
  catch_quietly({SIGPIPE});
  // A mask inherited from whoever started the daemon would reach its plugins' children.
  sigset_t none;
  sigemptyset(&none);
  ::pthread_sigmask(SIG_SETMASK, &none, nullptr);
}

bool stop_requested() { return stop_signal; }

int wait_for_shutdown_signal() {
  int signal;
  while ((signal = read_signal()) == kWakeWatcher) {
  }
  return signal;
}

ShutdownSignalWatcher::ShutdownSignalWatcher(std::function<void(int)> on_signal)
    : thread_([this, on_signal = std::move(on_signal)] {
        for (;;) {
          const int signal = read_signal();
          if (signal == kWakeWatcher || done_) return;
          if (signal != SIGHUP) {
            on_signal(signal);
            return;
          }
        }
      }) {}

ShutdownSignalWatcher::~ShutdownSignalWatcher() {
  done_ = true;
  send_to_waiter(kWakeWatcher);
  thread_.join();
}

}  // namespace jobhost::runtime
