// LineBudget: how many log lines one plugin may write (log.rate-limit),
// shared by its logger and its runs' loggers. A token bucket: it holds ten
// seconds' worth of lines, refilled at `per_second` lines a second; a line
// that finds it empty is dropped and counted. So a plugin that logs in a loop
// cannot fill the log files (rotating out every other line) or the journal
// (which would drop the daemon's own lines at its rate limit).
//
// Thread-safety: any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace jobhost::logging {

class LineBudget {
 public:
  using Clock = std::chrono::steady_clock;
  // How many seconds' worth of lines it holds: what passes at once.
  static constexpr std::chrono::seconds kBurst{10};
  // A dropped line is reported at most this often.
  static constexpr std::chrono::seconds kReportEvery{10};

  explicit LineBudget(std::uint32_t per_second);

  struct Verdict {
    bool write = false;
    // Set when this line's fate should be reported: the lines dropped so far.
    std::optional<std::uint64_t> report_dropped;
  };
  // Takes one line's worth at `now`: whether to write the line, and whether
  // to say that lines are being dropped (for the first dropped line, then at
  // most every kReportEvery).
  Verdict take(Clock::time_point now = Clock::now());

  std::uint32_t per_second() const { return per_second_; }
  std::uint64_t dropped() const;

 private:
  const std::uint32_t per_second_;
  const double capacity_;
  mutable std::mutex mutex_;
  double tokens_;
  Clock::time_point refilled_at_;
  std::uint64_t dropped_ = 0;
  std::optional<Clock::time_point> reported_at_;
};

}  // namespace jobhost::logging
