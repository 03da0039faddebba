// NotifySocket: what systemd listens on for sd_notify(3) messages — a Unix
// datagram socket — so tests can play the service manager's part.
#pragma once

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>

namespace jobhost::testing {

class NotifySocket {
 public:
  // Binds a datagram socket at `path`; throws std::runtime_error if it cannot.
  explicit NotifySocket(std::filesystem::path path);
  ~NotifySocket();
  NotifySocket(const NotifySocket&) = delete;
  NotifySocket& operator=(const NotifySocket&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // "NOTIFY_SOCKET=PATH", for a child's environment.
  std::string environment() const { return "NOTIFY_SOCKET=" + path_.string(); }

  // The next datagram, or nullopt when none came within `timeout`.
  std::optional<std::string> receive(std::chrono::milliseconds timeout = std::chrono::seconds(5)) const;

 private:
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace jobhost::testing
