#include "logging/log_hub.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "jobhost/error.hpp"
#include "logging/json_formatter.hpp"
#include "logging/spdlog_logger.hpp"

namespace jobhost::logging {
namespace {

// Text lines: time with offset, level, logger name, message.
constexpr const char* kTextPattern = "%Y-%m-%dT%H:%M:%S.%e%z [%l] [%n] %v";

}  // namespace

LogHub::LogHub(LogOptions options) : options_(std::move(options)) {
  spdlog::sink_ptr sink;
  if (options_.file) {
    try {
      sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(options_.file->string(), options_.max_size,
                                                                    options_.max_files);
    } catch (const spdlog::spdlog_ex& e) {
      throw ConfigError("--log-file: cannot open \"" + options_.file->string() + "\": " + e.what());
    }
  } else {
    sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  }
  if (options_.format == LogFormat::json) {
    sink->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    sink->set_pattern(kTextPattern);
  }
  sinks_.push_back(std::move(sink));
}

LogHub::~LogHub() { flush(); }

std::shared_ptr<spdlog::logger> LogHub::make(const std::string& name) const {
  auto logger = std::make_shared<spdlog::logger>(name, sinks_.begin(), sinks_.end());
  logger->set_level(level_for(options_, name));
  // Every line reaches the file at once: a daemon killed hard loses nothing.
  logger->flush_on(spdlog::level::trace);
  return logger;
}

std::unique_ptr<jobhost::Logger> LogHub::make_plugin_logger(const std::string& name) const {
  return std::make_unique<SpdlogLogger>(make(name));
}

void LogHub::flush() const {
  for (const auto& sink : sinks_) sink->flush();
}

}  // namespace jobhost::logging
