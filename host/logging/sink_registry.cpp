#include "logging/sink_registry.hpp"

#include <spdlog/sinks/rotating_file_sink.h>

#include "jobhost/error.hpp"
#include "logging/json_formatter.hpp"

namespace jobhost::logging {
namespace {

// Text lines: time with offset, level, logger name, message.
constexpr const char* kTextPattern = "%Y-%m-%dT%H:%M:%S.%e%z [%l] [%n] %v";

}  // namespace

void apply_format(spdlog::sinks::sink& sink, const LogOptions& options) {
  if (options.format == LogFormat::json) {
    sink.set_formatter(std::make_unique<JsonFormatter>());
  } else {
    sink.set_pattern(kTextPattern);
  }
}

spdlog::sink_ptr SinkRegistry::file_sink(const std::filesystem::path& file) {
  std::error_code ec;
  std::filesystem::path key = std::filesystem::weakly_canonical(std::filesystem::absolute(file), ec);
  if (ec) key = std::filesystem::absolute(file).lexically_normal();
  std::lock_guard lock(mutex_);
  auto it = sinks_.find(key);
  if (it != sinks_.end()) return it->second;
  spdlog::sink_ptr sink;
  try {
    sink = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(key.string(), options_.max_size, options_.max_files);
  } catch (const spdlog::spdlog_ex& e) {
    throw ConfigError("log file \"" + file.string() + "\" cannot be opened: " + e.what());
  }
  apply_format(*sink, options_);
  sinks_.emplace(key, sink);
  return sink;
}

void SinkRegistry::flush() const {
  std::lock_guard lock(mutex_);
  for (const auto& [file, sink] : sinks_) sink->flush();
}

std::size_t SinkRegistry::size() const {
  std::lock_guard lock(mutex_);
  return sinks_.size();
}

}  // namespace jobhost::logging
