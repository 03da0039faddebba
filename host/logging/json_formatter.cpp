#include "logging/json_formatter.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string_view>

#include <spdlog/details/log_msg.h>

#include "logging/utf8_sequence.hpp"

namespace jobhost::logging {
namespace {

void append(spdlog::memory_buf_t& dest, std::string_view text) { dest.append(text.data(), text.data() + text.size()); }

// Appends `text` as the body of a JSON string: quotes, backslashes and control
// characters escaped, a byte that is not UTF-8 written as the text \xNN (as
// text lines write it; JSON holds only UTF-8); UTF-8 copied as it is.
void append_escaped(spdlog::memory_buf_t& dest, std::string_view text) {
  const char* const end = text.data() + text.size();
  for (const char* at = text.data(); at != end; ++at) {
    const char c = *at;
    if (static_cast<unsigned char>(c) >= 0x80) {
      const std::size_t length = utf8_sequence_length(at, end);
      if (length == 0) {
        char buffer[8];
        std::snprintf(buffer, sizeof buffer, "\\\\x%02x", static_cast<unsigned>(static_cast<unsigned char>(c)));
        append(dest, buffer);
      } else {
        dest.append(at, at + length);
        at += length - 1;
      }
      continue;
    }
    switch (c) {
      case '"': append(dest, "\\\""); break;
      case '\\': append(dest, "\\\\"); break;
      case '\n': append(dest, "\\n"); break;
      case '\r': append(dest, "\\r"); break;
      case '\t': append(dest, "\\t"); break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buffer[8];
          std::snprintf(buffer, sizeof buffer, "\\u%04x", static_cast<unsigned>(c));
          append(dest, buffer);
        } else {
          dest.push_back(c);
        }
    }
  }
}

void append_time(spdlog::memory_buf_t& dest, spdlog::log_clock::time_point time) {
  using namespace std::chrono;
  const auto seconds = time_point_cast<std::chrono::seconds>(time);
  const auto millis = duration_cast<milliseconds>(time - seconds).count();
  const std::time_t t = system_clock::to_time_t(seconds);
  std::tm local{};
  localtime_r(&t, &local);
  char buffer[64];
  std::size_t n = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &local);
  const long offset_minutes = local.tm_gmtoff / 60;
  std::snprintf(buffer + n, sizeof buffer - n, ".%03lld%c%02ld:%02ld", static_cast<long long>(millis),
                offset_minutes < 0 ? '-' : '+', std::labs(offset_minutes) / 60, std::labs(offset_minutes) % 60);
  append(dest, buffer);
}

}  // namespace

void JsonFormatter::format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) {
  append(dest, "{\"time\":\"");
  append_time(dest, msg.time);
  append(dest, "\",\"level\":\"");
  const auto level = spdlog::level::to_string_view(msg.level);
  append(dest, std::string_view(level.data(), level.size()));
  append(dest, "\",\"logger\":\"");
  append_escaped(dest, std::string_view(msg.logger_name.data(), msg.logger_name.size()));
  append(dest, "\",\"message\":\"");
  append_escaped(dest, std::string_view(msg.payload.data(), msg.payload.size()));
  append(dest, "\"}\n");
}

std::unique_ptr<spdlog::formatter> JsonFormatter::clone() const { return std::make_unique<JsonFormatter>(); }

}  // namespace jobhost::logging
