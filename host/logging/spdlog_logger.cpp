#include "logging/spdlog_logger.hpp"

namespace jobhost::logging {
namespace {

spdlog::level::level_enum to_spdlog(LogLevel level) {
  switch (level) {
    case LogLevel::trace: return spdlog::level::trace;
    case LogLevel::debug: return spdlog::level::debug;
    case LogLevel::info: return spdlog::level::info;
    case LogLevel::warn: return spdlog::level::warn;
    case LogLevel::error: return spdlog::level::err;
    case LogLevel::critical: return spdlog::level::critical;
  }
  return spdlog::level::err;  // an out-of-range value from a plugin still gets logged
}

}  // namespace

bool SpdlogLogger::enabled(LogLevel level) const { return logger_->should_log(to_spdlog(level)); }

void SpdlogLogger::log(LogLevel level, std::string_view message) {
  logger_->log(to_spdlog(level), "{}", message);
}

}  // namespace jobhost::logging
