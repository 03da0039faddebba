// The control socket: how `jobhost status|trigger|pause|resume` reach a
// running daemon. A Unix stream socket at STATE/jobhost.sock, mode 0600, so
// only the daemon's user (or root) may use it.
//
// Protocol: the client sends one request line ("status", "trigger JOB",
// "pause JOB", "resume JOB"); the server answers "ok\n" or "error\n", then a
// body, and closes the connection.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

#include "jobhost/error.hpp"

namespace jobhost::control {

// The socket cannot be created or used; the message names it and says why.
class ControlError : public Error {
 public:
  using Error::Error;
};

struct Reply {
  bool ok = true;
  std::string body;
};

// The socket of the daemon whose state directory is `state_dir`.
std::filesystem::path socket_path(const std::filesystem::path& state_dir);

// Sends `request` to the daemon listening at `socket`; throws ControlError
// when no daemon listens there or the caller may not use the socket.
Reply send_request(const std::filesystem::path& socket, const std::string& request);

// ControlServer: listens at `socket` from construction to destruction and
// answers each request with `handler`, on its own thread, one at a time.
// Thread-safety: the handler runs on that thread; what it touches must be
// safe to use from there and outlive the server.
class ControlServer {
 public:
  using Handler = std::function<Reply(const std::string& request)>;

  // Throws ControlError when another daemon already listens at `socket` (two
  // daemons must not share a state directory) or the socket cannot be made.
  // A socket left behind by a daemon that died is replaced.
  ControlServer(const std::filesystem::path& socket, Handler handler);
  ~ControlServer();
  ControlServer(const ControlServer&) = delete;
  ControlServer& operator=(const ControlServer&) = delete;

 private:
  void serve();
  void answer(int connection);

  std::filesystem::path path_;
  Handler handler_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;
  std::thread thread_;
};

}  // namespace jobhost::control
