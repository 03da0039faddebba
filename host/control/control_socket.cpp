#include "control/control_socket.hpp"

#include <cerrno>
#include <cstring>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/thread_name.hpp"

namespace jobhost::control {
namespace {

// A request line longer than this is not one of ours.
constexpr std::size_t kLongestRequest = 4096;
// A client that sends nothing is dropped after this long.
constexpr int kRequestTimeoutMs = 2000;

sockaddr_un address_of(const std::filesystem::path& socket) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string path = socket.string();
  if (path.size() >= sizeof address.sun_path) {
    throw ControlError("control socket " + path + ": the path is too long for a Unix socket (at most " +
                       std::to_string(sizeof address.sun_path - 1) + " bytes)");
  }
  std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
  return address;
}

// A connected socket to `socket`, or -1 with errno set.
int connect_to(const std::filesystem::path& socket) {
  const sockaddr_un address = address_of(socket);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof address) != 0) {
    const int error = errno;
    ::close(fd);
    errno = error;
    return -1;
  }
  return fd;
}

void write_all(int fd, const std::string& text) {
  std::size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = ::send(fd, text.data() + written, text.size() - written, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the peer went away; nothing to tell it
    written += static_cast<std::size_t>(n);
  }
}

}  // namespace

std::filesystem::path socket_path(const std::filesystem::path& state_dir) { return state_dir / "jobhost.sock"; }

Reply send_request(const std::filesystem::path& socket, const std::string& request) {
  const int fd = connect_to(socket);
  if (fd < 0) {
    const int error = errno;
    if (error == ENOENT || error == ECONNREFUSED) {
      throw ControlError("no jobhost daemon is running with this state directory (nothing listens at " +
                         socket.string() + ")");
    }
    if (error == EACCES || error == EPERM) {
      throw ControlError("may not use " + socket.string() + " (" + std::strerror(error) +
                         "): run as the daemon's user or root");
    }
    throw ControlError("cannot reach the daemon at " + socket.string() + ": " + std::strerror(error));
  }
  write_all(fd, request + "\n");
  ::shutdown(fd, SHUT_WR);
  std::string answer;
  char buffer[4096];
  for (;;) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    answer.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fd);
  const auto newline = answer.find('\n');
  const std::string status = answer.substr(0, newline);
  if (newline == std::string::npos || (status != "ok" && status != "error")) {
    throw ControlError("the daemon at " + socket.string() + " gave no answer");
  }
  return {status == "ok", answer.substr(newline + 1)};
}

ControlServer::ControlServer(const std::filesystem::path& socket, Handler handler)
    : path_(socket), handler_(std::move(handler)) {
  const sockaddr_un address = address_of(socket);
  if (const int other = connect_to(socket); other >= 0) {
    ::close(other);
    throw ControlError("another jobhost daemon is running with this state directory (it listens at " +
                       socket.string() + ")");
  }
  std::filesystem::remove(socket);  // left behind by a daemon that died
  listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  // Created with no permission for anyone but the owner, then listened on.
  const mode_t old_mask = ::umask(0177);
  const bool bound =
      listen_fd_ >= 0 && ::bind(listen_fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
  const int bind_error = errno;
  ::umask(old_mask);
  if (!bound || wake_fd_ < 0 || ::chmod(socket.c_str(), 0600) != 0 || ::listen(listen_fd_, 16) != 0) {
    const std::string why = std::strerror(bound ? errno : bind_error);
    if (listen_fd_ >= 0) ::close(listen_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
    throw ControlError("control socket " + socket.string() + ": cannot listen: " + why);
  }
  thread_ = std::thread([this] {
    name_this_thread("control");
    serve();
  });
}

ControlServer::~ControlServer() {
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto ignored = ::write(wake_fd_, &one, sizeof one);
  thread_.join();
  ::close(listen_fd_);
  ::close(wake_fd_);
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

void ControlServer::serve() {
  pollfd fds[2] = {{listen_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
  for (;;) {
    if (::poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents & POLLIN) return;
    if (!(fds[0].revents & POLLIN)) continue;
    const int connection = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (connection < 0) continue;
    answer(connection);
    ::close(connection);
  }
}

void ControlServer::answer(int connection) {
  std::string request;
  char buffer[512];
  while (request.find('\n') == std::string::npos && request.size() < kLongestRequest) {
    pollfd readable{connection, POLLIN, 0};
    if (::poll(&readable, 1, kRequestTimeoutMs) <= 0) break;
    const ssize_t n = ::recv(connection, buffer, sizeof buffer, 0);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    request.append(buffer, static_cast<std::size_t>(n));
  }
  request = request.substr(0, request.find('\n'));
  Reply reply;
  try {
    reply = handler_(request);
  } catch (const std::exception& e) {
    reply = {false, e.what()};
  }
  write_all(connection, std::string(reply.ok ? "ok" : "error") + "\n" + reply.body);
}

}  // namespace jobhost::control
