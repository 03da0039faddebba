// ForwardingLogger: a plugin's or a job's Logger in the worker. Each line
// travels to the host as a "log" message and is written there, by the host's
// sinks under the same logger name: a worker never opens a log file. Lines
// past the plugin's budget (log.rate-limit) are dropped here, never sent; a
// "dropped" message tells the host how many, when the budget says to.
//
// Thread-safety: as Logger (logger.hpp): any thread, any time.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "common/line_budget.hpp"
#include "jobhost/logger.hpp"
#include "protocol/message_channel.hpp"

namespace jobhost::worker {

class ForwardingLogger final : public Logger {
 public:
  // How a line leaves for the host (it may be held back a little).
  using Send = std::function<void(const protocol::Message&)>;
  // `run`: the run whose job logger this is, or 0 for the plugin's logger.
  // `lowest`: the lowest level the host's logger writes. `budget`: the
  // plugin's, or null for no limit. `name` and `budget` must outlive the
  // logger.
  ForwardingLogger(Send send, std::uint64_t run, std::string_view name, LogLevel lowest, LineBudget* budget)
      : send_(std::move(send)), run_(run), name_(name), lowest_(lowest), budget_(budget) {}

  std::string_view name() const override { return name_; }
  bool enabled(LogLevel level) const override { return level >= lowest_; }
  void log(LogLevel level, std::string_view message) override {
    if (!enabled(level)) return;
    if (budget_) {
      const LineBudget::Verdict verdict = budget_->take();
      if (verdict.report_dropped) send_({{"t", "dropped"}, {"dropped_lines", *verdict.report_dropped}});
      if (!verdict.write) return;
    }
    send_({{"t", "log"}, {"run", run_}, {"level", static_cast<int>(level)}, {"text", message}});
  }

 private:
  Send send_;
  std::uint64_t run_;
  std::string_view name_;
  LogLevel lowest_;
  LineBudget* budget_;
};

}  // namespace jobhost::worker
