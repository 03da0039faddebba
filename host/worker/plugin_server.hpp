// PluginServer: the whole of a worker process. It loads one plugin library
// (a copy the host has already checked), answers the host's handshake
// (info → configure → jobs) and runs jobs when the host asks, until the host
// says "exit" or goes away. The runs that arrive together run one after
// another on the thread that read them, which then reads on; when they take
// long a rescuer hands the reading to another thread (rescue_timer.hpp), and
// another thread is put on them when one blocks (run_queue.hpp). The
// messages they send meanwhile leave together.
//
// The worker never creates a client, a logger sink or a log file: clients()
// and log() forward to the host (remote_clients.hpp, forwarding_logger.hpp).
// docs/isolation.md lists the messages.
//
// Not thread-safe: serve() is called once, by main().
#pragma once

#include <filesystem>

namespace jobhost::worker {

// Serves the plugin in `copy` over the socket `fd`, its chain calls also
// over the lane `lane` (remote_calls.hpp); returns the process's
// exit status: 0 after "exit", 1 when the plugin could not be loaded or
// configured (the host got a "failed" message saying why).
int serve(const std::filesystem::path& copy, int fd, int lane);

}  // namespace jobhost::worker
