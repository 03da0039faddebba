#include "support/notify_socket.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <stdexcept>

namespace jobhost::testing {

NotifySocket::NotifySocket(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  const std::string text = path_.string();
  if (fd_ < 0 || text.size() >= sizeof(address.sun_path)) throw std::runtime_error("cannot make " + text);
  text.copy(address.sun_path, text.size());
  if (::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    ::close(fd_);
    throw std::runtime_error("cannot bind " + text);
  }
}

NotifySocket::~NotifySocket() { ::close(fd_); }

std::optional<std::string> NotifySocket::receive(std::chrono::milliseconds timeout) const {
  pollfd readable{fd_, POLLIN, 0};
  if (::poll(&readable, 1, static_cast<int>(timeout.count())) <= 0) return std::nullopt;
  std::array<char, 4096> buffer{};
  const ssize_t n = ::recv(fd_, buffer.data(), buffer.size(), 0);
  if (n < 0) return std::nullopt;
  return std::string(buffer.data(), static_cast<std::size_t>(n));
}

}  // namespace jobhost::testing
