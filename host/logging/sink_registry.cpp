#include "logging/sink_registry.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/rotating_file_sink.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "jobhost/error.hpp"
#include "logging/json_formatter.hpp"
#include "logging/redacting_sink.hpp"
#include "logging/utf8_sequence.hpp"

namespace jobhost::logging {
namespace {

// Text lines: time with offset, level, logger name, message (the %& flag
// below).
constexpr const char* kTextPattern = "%Y-%m-%dT%H:%M:%S.%e%z [%l] [%n] %&";
// Text lines to the journal: priority (the %* flag below), level, logger
// name, message; journald adds the time.
constexpr const char* kJournalPattern = "%*[%l] [%n] %&";

// %&: the message on one line, its control characters but the tab escaped
// ("\n", "\r", "\x1b"): a message carrying a line break (a job's, text a
// node sent) cannot make a second line, nor pass one off as the daemon's
// ("...\n<2>[critical] [jobhost] ...") to the journal or a reader of the file.
// A byte that is not UTF-8 is escaped too ("\xff").
// Cut after `max_bytes`, at a character's start: journald splits a line
// longer than its LineMax (48 KiB) and reads a priority at the start of
// each piece.
class OneLineMessageFlag final : public spdlog::custom_flag_formatter {
 public:
  explicit OneLineMessageFlag(std::size_t max_bytes = SIZE_MAX) : max_bytes_(max_bytes) {}

  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    std::size_t keep = msg.payload.size();
    if (keep > max_bytes_) {
      keep = max_bytes_;
      // Back to the start of a character: at most 3 bytes, whatever the
      // bytes before (a run of stray continuation bytes is not one).
      for (int i = 0; i < 3 && keep > 0 && (static_cast<unsigned char>(msg.payload[keep]) & 0xc0) == 0x80; ++i) --keep;
    }
    const char* const end = msg.payload.data() + keep;
    const char* plain = msg.payload.data();  // the first byte not written yet
    for (const char* at = plain; at != end; ++at) {
      const auto byte = static_cast<unsigned char>(*at);
      if (byte >= 0x80) {
        if (const std::size_t length = utf8_sequence_length(at, end); length > 0) {
          at += length - 1;
          continue;
        }
      } else if ((byte >= 0x20 && byte != 0x7f) || *at == '\t') {
        continue;
      }
      dest.append(plain, at);
      plain = at + 1;
      constexpr char kHex[] = "0123456789abcdef";
      char escaped[] = {'\\', 'x', kHex[byte >> 4], kHex[byte & 0xf]};
      std::size_t length = sizeof escaped;
      if (*at == '\n' || *at == '\r') {
        escaped[1] = *at == '\n' ? 'n' : 'r';
        length = 2;
      }
      dest.append(escaped, escaped + length);
    }
    dest.append(plain, end);
    if (keep < msg.payload.size()) {
      const std::string cut = " [" + std::to_string(msg.payload.size() - keep) + " more bytes cut]";
      dest.append(cut.data(), cut.data() + cut.size());
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<OneLineMessageFlag>(max_bytes_);
  }

 private:
  std::size_t max_bytes_;
};

// %*: the line's syslog priority as sd-daemon(3) prefixes it, "<3>" (SD_ERR)
// for an error.
class SyslogPriorityFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
    char priority = '6';  // SD_INFO
    switch (msg.level) {
      case spdlog::level::trace:
      case spdlog::level::debug: priority = '7'; break;  // SD_DEBUG
      case spdlog::level::warn: priority = '4'; break;   // SD_WARNING
      case spdlog::level::err: priority = '3'; break;    // SD_ERR
      case spdlog::level::critical: priority = '2'; break;  // SD_CRIT
      default: break;
    }
    const char prefix[] = {'<', priority, '>'};
    dest.append(prefix, prefix + sizeof(prefix));
  }
  std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<SyslogPriorityFlag>(); }
};

}  // namespace

void apply_format(spdlog::sinks::sink& sink, const LogOptions& options, bool journal) {
  if (options.format == LogFormat::json) {
    sink.set_formatter(std::make_unique<JsonFormatter>());
  } else {
    auto formatter = std::make_unique<spdlog::pattern_formatter>();
    // Escaped, 8 KiB of a message stay below journald's 48 KiB.
    formatter->add_flag<OneLineMessageFlag>('&', journal ? std::size_t{8 * 1024} : SIZE_MAX);
    if (journal) formatter->add_flag<SyslogPriorityFlag>('*');
    formatter->set_pattern(journal ? kJournalPattern : kTextPattern);
    sink.set_formatter(std::move(formatter));
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
  sink = redacting(std::move(sink), options_.secrets);
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
