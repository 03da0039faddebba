#include "logging/log_hub.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "jobhost/error.hpp"
#include "logging/journal.hpp"
#include "logging/redacting_sink.hpp"
#include "logging/spdlog_logger.hpp"

namespace jobhost::logging {

LogHub::LogHub(LogOptions options) : options_(std::move(options)) {
  if (options_.file) {
    sinks_.push_back(file_sinks_.file_sink(*options_.file));
  } else {
    auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
    // Under systemd, stderr is often the journal: no time of our own there.
    apply_format(*sink, options_, stderr_is_journal());
    sinks_.push_back(redacting(std::move(sink), options_.secrets));
  }
}

LogHub::~LogHub() { flush(); }

std::shared_ptr<spdlog::logger> LogHub::make(const std::string& name) const { return make_with_sinks(name, sinks_); }

std::shared_ptr<spdlog::logger> LogHub::make(const std::string& name, const std::filesystem::path& file) {
  return make_with_sinks(name, {file_sinks_.file_sink(file)});
}

std::shared_ptr<spdlog::logger> LogHub::make_with_sinks(const std::string& name,
                                                        std::vector<spdlog::sink_ptr> sinks) const {
  auto logger = std::make_shared<spdlog::logger>(name, sinks.begin(), sinks.end());
  logger->set_level(level_for(options_, name));
  // Every line reaches the file at once: a daemon killed hard loses nothing.
  logger->flush_on(spdlog::level::trace);
  return logger;
}

std::unique_ptr<SpdlogLogger> LogHub::make_plugin_logger(const std::string& name) const {
  if (options_.rate_limit == 0) return std::make_unique<SpdlogLogger>(make(name));
  const std::string plugin = name.substr(0, name.find('.'));
  std::shared_ptr<LineBudget> budget;
  {
    std::lock_guard lock(budgets_mutex_);
    auto& slot = budgets_[plugin];
    if (!slot) slot = std::make_shared<LineBudget>(options_.rate_limit);
    budget = slot;
  }
  return std::make_unique<SpdlogLogger>(make(name), std::move(budget), plugin);
}

std::unique_ptr<jobhost::Logger> LogHub::make_job_logger(const std::string& name) const {
  return std::make_unique<SpdlogLogger>(make(name));
}

std::map<std::string, std::uint64_t> LogHub::dropped_lines() const {
  std::map<std::string, std::uint64_t> dropped;
  std::lock_guard lock(budgets_mutex_);
  for (const auto& [plugin, budget] : budgets_) dropped[plugin] = budget->dropped();
  return dropped;
}

std::string LogHub::redacted(std::string text) const { return redact(std::move(text), options_.secrets); }

void LogHub::flush() const {
  for (const auto& sink : sinks_) sink->flush();
  file_sinks_.flush();
}

}  // namespace jobhost::logging
