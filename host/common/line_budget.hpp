// LineBudget: how many log lines one plugin may write (log.rate-limit),
// shared by its logger and its runs' loggers. A token bucket: it holds ten
// seconds' worth of lines, refilled at `per_second` lines a second; a line
// that finds it empty is dropped and counted. So a plugin that logs in a loop
// cannot fill the log files (rotating out every other line) or the journal
// (which would drop the daemon's own lines at its rate limit). A plugin in a
// worker process has one in its worker too, so that the lines it drops are
// never sent (the daemon's stays, for a worker that sends them all the same).
//
// Thread-safety: any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>

namespace jobhost {

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
    // Set when lines dropped should be reported now: the lines dropped so far.
    std::optional<std::uint64_t> report_dropped;
  };
  // Takes one line's worth at `now`: whether to write the line, and whether
  // to say how many lines were dropped: at the first dropped line, then at
  // most every kReportEvery while lines are dropped, and once more at the
  // first line after that interval if some dropped since are unreported (so
  // the last count of a flood is told).
  Verdict take(Clock::time_point now = Clock::now());

  // Counts `lines` dropped before they reached this budget (by the budget of
  // the plugin's worker process, which says how many now and then); whether
  // to report the lines dropped so far follows the rule of take(), so that
  // however often the count comes, it is reported at most every kReportEvery.
  std::optional<std::uint64_t> add_dropped(std::uint64_t lines, Clock::time_point now = Clock::now());

  std::uint32_t per_second() const { return per_second_; }
  std::uint64_t dropped() const;

 private:
  // The lines dropped so far, when some are unreported and the last report
  // is kReportEvery old; the caller holds mutex_.
  std::optional<std::uint64_t> report_if_due(Clock::time_point now);

  const std::uint32_t per_second_;
  const double capacity_;
  mutable std::mutex mutex_;
  double tokens_;
  Clock::time_point refilled_at_;
  std::uint64_t dropped_ = 0;
  std::uint64_t reported_ = 0;  // dropped_ when last reported
  std::optional<Clock::time_point> reported_at_;
};

}  // namespace jobhost
