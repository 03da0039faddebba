// SpdlogLogger: the SDK's jobhost::Logger implemented over one spdlog logger,
// optionally within a plugin's LineBudget (the lines past it are dropped,
// and said to be, at warn level).
// Thread-safe, like the spdlog logger (multi-threaded sinks) it wraps.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "jobhost/logger.hpp"
#include "common/line_budget.hpp"

namespace jobhost::logging {

class SpdlogLogger final : public jobhost::Logger {
 public:
  explicit SpdlogLogger(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}
  // Within the budget of `plugin` (named when lines are dropped).
  SpdlogLogger(std::shared_ptr<spdlog::logger> logger, std::shared_ptr<LineBudget> budget, std::string plugin)
      : logger_(std::move(logger)), budget_(std::move(budget)), plugin_(std::move(plugin)) {}

  std::string_view name() const override { return logger_->name(); }
  bool enabled(LogLevel level) const override;
  void log(LogLevel level, std::string_view message) override;

  // Its budget's lines a second (log.rate-limit); 0: no limit.
  std::uint32_t lines_per_second() const { return budget_ ? budget_->per_second() : 0; }
  // Counts `lines` of the plugin dropped before they reached the daemon (by
  // its worker process's budget), and says so as for lines dropped here (at
  // most every LineBudget::kReportEvery, however often this is called).
  void count_dropped_elsewhere(std::uint64_t lines);

 private:
  void report_dropped(std::uint64_t so_far);

  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<LineBudget> budget_;  // null: no limit
  std::string plugin_;
};

}  // namespace jobhost::logging
