// SpdlogLogger: the SDK's jobhost::Logger implemented over one spdlog logger.
// Thread-safe, like the spdlog logger (multi-threaded sinks) it wraps.
#pragma once

#include <memory>

#include <spdlog/logger.h>

#include "jobhost/logger.hpp"

namespace jobhost::logging {

class SpdlogLogger final : public jobhost::Logger {
 public:
  explicit SpdlogLogger(std::shared_ptr<spdlog::logger> logger) : logger_(std::move(logger)) {}

  std::string_view name() const override { return logger_->name(); }
  bool enabled(LogLevel level) const override;
  void log(LogLevel level, std::string_view message) override;

 private:
  std::shared_ptr<spdlog::logger> logger_;
};

}  // namespace jobhost::logging
