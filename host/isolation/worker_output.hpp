// WorkerOutput: what a worker process writes on its standard output and
// error — a library's diagnostics, glibc's "free(): invalid pointer" before
// an abort, a sanitizer's report — read from its pipe by a thread of the
// host and written a line at a time, as "output: LINE" at warn level, by the
// plugin's logger: under the plugin's name, escaped and within its log
// budget like its other lines, never straight onto the daemon's own
// standard error (where it would be nobody's, or pass for the daemon's).
// Until the plugin's logger is known (its handshake), the last lines are
// held: a worker that fails to load is named with them.
//
// Ownership: owns the pipe's read end and the thread; shares the logger
// given to write_to().
// Thread-safety: any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "jobhost/logger.hpp"

namespace jobhost::isolation {

class WorkerOutput {
 public:
  // Lines held until write_to(); older ones are dropped.
  static constexpr std::size_t kHeldLines = 5;
  // A longer line is written in pieces of this size.
  static constexpr std::size_t kLongestLine = 8 * 1024;

  // Starts reading `pipe` (a read end, which it owns).
  explicit WorkerOutput(int pipe);
  // Reads what the pipe still holds, then stops.
  ~WorkerOutput();
  WorkerOutput(const WorkerOutput&) = delete;
  WorkerOutput& operator=(const WorkerOutput&) = delete;

  // From now on lines go to `logger`, the lines held first.
  void write_to(std::shared_ptr<Logger> logger);
  // The lines held, joined by " / ": before write_to(), once the pipe has
  // ended (every process holding its write end gone) or `patience` has
  // passed; "" at once after it.
  std::string held_lines(std::chrono::milliseconds patience);

 private:
  void read_loop();
  void take_line(std::string_view line);
  // Writes `line` through logger_. With mutex_.
  void write_locked(std::string_view line);

  const int pipe_;
  const int wake_;  // an eventfd: the destructor asks the thread to stop ...
  std::atomic<bool> stop_requested_{false};  // ... and says so here
  std::mutex mutex_;
  std::condition_variable ended_;
  bool at_end_ = false;
  std::shared_ptr<Logger> logger_;
  std::deque<std::string> held_;
  std::thread reader_;
};

}  // namespace jobhost::isolation
