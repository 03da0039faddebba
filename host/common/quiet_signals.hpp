// Signals a process catches and does nothing with — instead of ignoring them
// (SIG_IGN) or blocking them, both of which the programs its plugins start
// would inherit across exec: a child of a plugin must start with an empty
// signal mask and every default action, or SIGTERM would not end it.
//
// A caught signal's action goes back to the default at exec. A child forked
// without exec keeps the handler, which, seeing that it is not in the process
// that installed it, restores the default action and raises the signal again.
//
// Call from the main thread before any other thread exists.
#pragma once

#include <initializer_list>

namespace jobhost {

// SIGPIPE in the daemon and the worker (a write to a closed pipe or socket
// fails with EPIPE instead of ending the process); SIGHUP, SIGINT and SIGTERM
// in the worker, whose life is the host's to end.
void catch_quietly(std::initializer_list<int> signals);

}  // namespace jobhost
