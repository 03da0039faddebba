// LogHub: the host's only owner of log sinks and loggers.
//
// It is created once in main, before any job thread exists, and outlives every
// logger it hands out's user (plugins and jobs are destroyed before it). Loggers
// are created with their own names and shared sinks, and are never put in
// spdlog's global registry, so nothing a plugin does can reach or race on it.
//
// Thread-safety: every method may be called from any thread; the loggers
// they return are thread-safe.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <spdlog/logger.h>

#include "jobhost/logger.hpp"
#include "common/line_budget.hpp"
#include "logging/log_options.hpp"
#include "logging/spdlog_logger.hpp"
#include "logging/sink_registry.hpp"

namespace jobhost::logging {

class LogHub {
 public:
  // Opens the sinks `options` asks for; throws ConfigError when the log file
  // cannot be opened.
  explicit LogHub(LogOptions options);
  ~LogHub();

  LogHub(const LogHub&) = delete;
  LogHub& operator=(const LogHub&) = delete;

  // A host-side logger named `name`, at the level configured for it, writing
  // to the host's sinks.
  std::shared_ptr<spdlog::logger> make(const std::string& name) const;

  // The same, writing to `file` instead; loggers given the same file (by
  // canonical path) share one sink. Throws ConfigError when it cannot be
  // opened.
  std::shared_ptr<spdlog::logger> make(const std::string& name, const std::filesystem::path& file);

  // The sinks of files given to make(name, file).
  const SinkRegistry& file_sinks() const { return file_sinks_; }

  // The logger a plugin, or a run of its jobs, writes through (the SDK's
  // jobhost::Logger): `name` is "PLUGIN" or "PLUGIN.JOB". Every logger of one
  // plugin shares its budget of lines (log.rate-limit): the lines past it
  // are dropped.
  std::unique_ptr<SpdlogLogger> make_plugin_logger(const std::string& name) const;
  // The host's own lines about the job `name` ("PLUGIN.JOB"), under its
  // name, never dropped.
  std::unique_ptr<jobhost::Logger> make_job_logger(const std::string& name) const;
  // Plugin name -> how many of its log lines were dropped, for plugins that
  // have logged since the start.
  std::map<std::string, std::uint64_t> dropped_lines() const;

  void flush() const;

  // `text` as the sinks would write it: every configured secret as "***".
  // For what reaches a user by another way than the log (`check`, `list`).
  std::string redacted(std::string text) const;

 private:
  std::shared_ptr<spdlog::logger> make_with_sinks(const std::string& name, std::vector<spdlog::sink_ptr> sinks) const;

  LogOptions options_;
  SinkRegistry file_sinks_{options_};
  std::vector<spdlog::sink_ptr> sinks_;
  mutable std::mutex budgets_mutex_;
  // By plugin name; kept across reloads, as the plugin's counter.
  mutable std::map<std::string, std::shared_ptr<LineBudget>> budgets_;
};

}  // namespace jobhost::logging
