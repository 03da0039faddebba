#include "process_ring.hpp"

#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <stdexcept>
#include <vector>

namespace jobhost::bench {

double process_ring_hop_us(std::size_t processes, std::size_t laps) {
  if (processes < 2 || laps == 0) throw std::runtime_error("a ring needs 2 processes and a lap");
  // Process i writes to the next on to_next[i] and reads from the one
  // before on from_previous[i].
  std::vector<int> to_next(processes), from_previous(processes);
  for (std::size_t i = 0; i < processes; ++i) {
    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) throw std::runtime_error("socketpair failed");
    to_next[i] = fds[0];
    from_previous[(i + 1) % processes] = fds[1];
  }
  std::vector<pid_t> children;
  for (std::size_t i = 1; i < processes; ++i) {
    const pid_t child = ::fork();
    if (child < 0) throw std::runtime_error("fork failed");
    if (child == 0) {
      // Only its own two ends stay open, so that the ring ends as each
      // process before it exits (its read then returns 0).
      for (std::size_t j = 0; j < processes; ++j) {
        if (j != i) {
          ::close(to_next[j]);
          ::close(from_previous[j]);
        }
      }
      char byte;
      while (::read(from_previous[i], &byte, 1) == 1 && ::write(to_next[i], &byte, 1) == 1) {
      }
      ::_exit(0);
    }
    children.push_back(child);
  }
  for (std::size_t i = 1; i < processes; ++i) {
    ::close(to_next[i]);
    ::close(from_previous[i]);
  }
  char byte = 1;
  bool whole = true;
  const auto began = std::chrono::steady_clock::now();
  for (std::size_t lap = 0; lap < laps && whole; ++lap) {
    whole = ::write(to_next[0], &byte, 1) == 1 && ::read(from_previous[0], &byte, 1) == 1;
  }
  const std::chrono::duration<double, std::micro> took = std::chrono::steady_clock::now() - began;
  ::close(to_next[0]);
  ::close(from_previous[0]);
  for (pid_t child : children) ::waitpid(child, nullptr, 0);
  if (!whole) throw std::runtime_error("a process of the ring is gone");
  return took.count() / static_cast<double>(laps * processes);
}

}  // namespace jobhost::bench
