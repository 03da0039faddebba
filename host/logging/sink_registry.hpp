// SinkRegistry: one log sink per log file, however many loggers write to it.
//
// This is the global map of the incident done right: it is keyed by the
// file's canonical path, so "logs/sdk.log" and "./logs/../logs/sdk.log" share
// one sink (and one file handle, and one rotation), and it is guarded by a
// mutex. The host fills it at start-up, before any job thread exists.
//
// Thread-safety: every member function may be called from any thread.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>

#include <spdlog/sinks/sink.h>

#include "logging/log_options.hpp"

namespace jobhost::logging {

class SinkRegistry {
 public:
  explicit SinkRegistry(const LogOptions& options) : options_(options) {}

  // The rotating file sink for `file` (max-size, max-files and format from
  // the options), created on first use. Throws ConfigError naming the file
  // when it cannot be opened.
  spdlog::sink_ptr file_sink(const std::filesystem::path& file);

  // How many distinct files have a sink.
  std::size_t size() const;

  void flush() const;

 private:
  const LogOptions& options_;
  mutable std::mutex mutex_;
  std::map<std::filesystem::path, spdlog::sink_ptr> sinks_;
};

// Applies the format of `options` (text pattern or JSON) to `sink`.
// `journal`: the sink writes to systemd's journal (logging/journal.hpp),
// which stamps every line itself, so text lines carry no time but start with
// their syslog priority instead: "<6>[info] [jobhost] started". JSON lines
// are the same either way.
void apply_format(spdlog::sinks::sink& sink, const LogOptions& options, bool journal = false);

}  // namespace jobhost::logging
