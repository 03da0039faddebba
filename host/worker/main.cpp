// jobhost-worker: runs one plugin for the jobhost daemon, which starts it
// (isolation/worker_process.hpp) with the plugin's checked copy as its
// argument, its socket on descriptor 3 and its chain-call lane on 4. Not
// meant to be started by hand.
#include <fcntl.h>

#include <cstdio>

#include <csignal>

#include "common/quiet_signals.hpp"
#include "worker/plugin_server.hpp"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
// In a sanitizer build, a plugin's crash stays a crash: the host reports the
// signal that ended the worker ("died: SIGSEGV"), which the sanitizer's own
// handler would turn into a report and an exit status. (Visible: the
// sanitizer's runtime looks them up in the dynamic symbol table.)
constexpr const char* kCrashesStaySignals = "handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0";
extern "C" __attribute__((visibility("default"))) const char* __asan_default_options() { return kCrashesStaySignals; }
extern "C" __attribute__((visibility("default"))) const char* __tsan_default_options() { return kCrashesStaySignals; }
#endif

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "jobhost-worker: the jobhost daemon starts this, with a plugin copy and a socket\n");
    return 2;
  }
  // The host started it with these ignored, which programs its plugin starts
  // would inherit: caught instead, they still do not end the worker (its life
  // is the host's to end) and reach those programs with their default action.
  jobhost::catch_quietly({SIGHUP, SIGINT, SIGTERM, SIGPIPE});
  // Nor may they hold its sockets open: the host learns that the worker
  // ended when they close.
  for (int fd : {3, 4}) ::fcntl(fd, F_SETFD, FD_CLOEXEC);
  return jobhost::worker::serve(argv[1], 3, 4);
}
