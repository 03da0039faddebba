// SpdlogLogger: the SDK's jobhost::Logger implemented over one spdlog logger,
// optionally within a plugin's LineBudget (the lines past it are dropped,
// and said to be, at warn level).
// Thread-safe, like the spdlog logger (multi-threaded sinks) it wraps.
#pragma once

#include <memory>
#include <string>

#include <spdlog/logger.h>

#include "jobhost/logger.hpp"
#include "logging/line_budget.hpp"

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

 private:
  std::shared_ptr<spdlog::logger> logger_;
  std::shared_ptr<LineBudget> budget_;  // null: no limit
  std::string plugin_;
};

}  // namespace jobhost::logging
