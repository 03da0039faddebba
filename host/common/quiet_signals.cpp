#include "common/quiet_signals.hpp"

#include <signal.h>
#include <unistd.h>

namespace jobhost {
namespace {

pid_t owner = 0;  // the process that installed the handler

void do_nothing_here(int signal) {
  if (::getpid() != owner) {  // a child forked without exec: the default action
    ::signal(signal, SIG_DFL);
    ::raise(signal);
  }
}

}  // namespace

void catch_quietly(std::initializer_list<int> signals) {
  owner = ::getpid();
  struct sigaction action {};
  action.sa_handler = do_nothing_here;
  action.sa_flags = SA_RESTART;
  sigemptyset(&action.sa_mask);
  for (const int signal : signals) ::sigaction(signal, &action, nullptr);
}

}  // namespace jobhost
