#include "isolation/worker_output.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "common/thread_name.hpp"

namespace jobhost::isolation {

WorkerOutput::WorkerOutput(int pipe) : pipe_(pipe), wake_(::eventfd(0, EFD_CLOEXEC)) {
  if (wake_ < 0) {
    ::close(pipe_);
    throw std::runtime_error(std::string("eventfd failed: ") + std::strerror(errno));
  }
  // Read without waiting: the thread waits in poll(), where a stop wakes it.
  ::fcntl(pipe_, F_SETFL, ::fcntl(pipe_, F_GETFL) | O_NONBLOCK);
  reader_ = std::thread([this] {
    name_this_thread("worker-output");
    read_loop();
  });
}

WorkerOutput::~WorkerOutput() {
  stop_requested_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = ::write(wake_, &one, sizeof one);
  reader_.join();
  ::close(wake_);
  ::close(pipe_);
}

void WorkerOutput::write_to(std::shared_ptr<Logger> logger) {
  std::lock_guard lock(mutex_);
  logger_ = std::move(logger);
  for (const auto& line : held_) write_locked(line);
  held_.clear();
}

std::string WorkerOutput::held_lines(std::chrono::milliseconds patience) {
  std::unique_lock lock(mutex_);
  ended_.wait_for(lock, patience, [this] { return at_end_ || logger_; });
  std::string joined;
  for (const auto& line : held_) joined += (joined.empty() ? "" : " / ") + line;
  return joined;
}

void WorkerOutput::write_locked(std::string_view line) { logger_->warn("output: " + std::string(line)); }

void WorkerOutput::take_line(std::string_view line) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  if (line.empty()) return;
  std::lock_guard lock(mutex_);
  if (logger_) return write_locked(line);
  held_.emplace_back(line);
  if (held_.size() > kHeldLines) held_.pop_front();
}

void WorkerOutput::read_loop() {
  std::string partial;  // a line not ended yet
  std::vector<char> buffer(16 * 1024);
  // Once asked to stop, what the pipe holds is still read, up to what it
  // can hold: a process the plugin started that escaped the worker's end
  // may go on writing for ever.
  constexpr std::size_t kReadWhenStopping = 64 * 1024;
  std::size_t left_to_read = kReadWhenStopping;
  for (;;) {
    const bool stopping = stop_requested_;
    if (stopping && left_to_read == 0) break;
    const std::size_t wanted = stopping ? std::min(buffer.size(), left_to_read) : buffer.size();
    const ssize_t n = ::read(pipe_, buffer.data(), wanted);
    if (n > 0 && stopping) left_to_read -= static_cast<std::size_t>(n);
    if (n > 0) {
      partial.append(buffer.data(), static_cast<std::size_t>(n));
      std::size_t start = 0;
      for (std::size_t end; (end = partial.find('\n', start)) != std::string::npos; start = end + 1) {
        take_line(std::string_view(partial).substr(start, end - start));
      }
      partial.erase(0, start);
      for (; partial.size() >= kLongestLine; partial.erase(0, kLongestLine)) {
        take_line(std::string_view(partial).substr(0, kLongestLine));
      }
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN && !stopping) {
      // Woken by output, the end of the pipe, or the destructor.
      pollfd fds[] = {{.fd = pipe_, .events = POLLIN, .revents = 0}, {.fd = wake_, .events = POLLIN, .revents = 0}};
      while (::poll(fds, 2, -1) < 0 && errno == EINTR) {
      }
      continue;
    }
    break;  // the end of the pipe, nothing more to read while stopping, or an error
  }
  if (!partial.empty()) take_line(partial);
  {
    std::lock_guard lock(mutex_);
    at_end_ = true;
  }
  ended_.notify_all();
}

}  // namespace jobhost::isolation
