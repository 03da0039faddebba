// Logger: the levelled log a plugin and each of its jobs write to.
//
// Ownership: the host creates every Logger and owns it. A plugin receives a
// reference in Plugin::configure() (valid until the plugin object is
// destroyed) and a job receives one through JobContext::log() (valid for that
// run). Plugins never create loggers and never see the logging library the
// host uses, so they cannot race on its global state.
//
// Thread-safety: every member function may be called from any thread at any
// time.
#pragma once

#include <string_view>

namespace jobhost {

enum class LogLevel { trace, debug, info, warn, error, critical };

class Logger {
 public:
  virtual ~Logger() = default;

  // The logger's name: "PLUGIN" for a plugin, "PLUGIN.JOB" for a job.
  virtual std::string_view name() const = 0;

  // True when a message at `level` would be written; lets a caller skip
  // building an expensive message.
  virtual bool enabled(LogLevel level) const = 0;

  // Writes one message. The message is copied; it need not outlive the call.
  virtual void log(LogLevel level, std::string_view message) = 0;

  void trace(std::string_view message) { log(LogLevel::trace, message); }
  void debug(std::string_view message) { log(LogLevel::debug, message); }
  void info(std::string_view message) { log(LogLevel::info, message); }
  void warn(std::string_view message) { log(LogLevel::warn, message); }
  void error(std::string_view message) { log(LogLevel::error, message); }
};

}  // namespace jobhost
