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
  const auto spdlog_level = to_spdlog(level);
  if (budget_ && logger_->should_log(spdlog_level)) {
    const LineBudget::Verdict verdict = budget_->take();
    if (verdict.report_dropped) report_dropped(*verdict.report_dropped);
    if (!verdict.write) return;
  }
  logger_->log(spdlog_level, "{}", message);
}

void SpdlogLogger::count_dropped_elsewhere(std::uint64_t lines) {
  if (!budget_) return;
  if (const auto so_far = budget_->add_dropped(lines)) report_dropped(*so_far);
}

void SpdlogLogger::report_dropped(std::uint64_t so_far) {
  logger_->warn("log lines of plugin {} dropped: it logs more than {} lines a second (log.rate-limit); {} dropped so far",
                plugin_, budget_->per_second(), so_far);
}

}  // namespace jobhost::logging
