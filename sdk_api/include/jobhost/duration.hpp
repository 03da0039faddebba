// Durations as people write them in options, config files and plugin
// settings: "500ms", "15s", "1h30m", "1.5h" — Go's time.ParseDuration
// syntax: one or more numbers, each with a unit (ns, us, µs, ms, s, m, h);
// no sign. The host and Settings::duration() read every duration with it.
//
// Header-only, free functions without state: thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "jobhost/error.hpp"
#include "jobhost/text.hpp"

namespace jobhost {
namespace duration_detail {

__extension__ typedef unsigned __int128 Wide;

inline constexpr std::uint64_t kMaxNanos = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
inline constexpr const char* kExpected = "(expected e.g. 500ms, 15s, 1h30m)";

[[noreturn]] inline void fail(std::string_view what, std::string_view text, std::string_view detail) {
  std::string message(what);
  message += ": ";
  message += quote(text);
  message += " is not a duration";
  if (!detail.empty()) {
    message += ": ";
    message += detail;
  }
  message += ' ';
  message += kExpected;
  throw ConfigError(message);
}

[[noreturn]] inline void fail_too_long(std::string_view what, std::string_view text) {
  throw ConfigError(std::string(what) + ": " + quote(text) +
                    " is too long a duration (at most 2562047h47m16.854775807s)");
}

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Nanoseconds per unit, or 0 for an unknown unit.
inline std::uint64_t unit_nanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xC2\xB5s" || unit == "\xCE\xBCs") return 1'000;  // us, µs (micro sign), μs (mu)
  if (unit == "ms") return 1'000'000;
  if (unit == "s") return 1'000'000'000;
  if (unit == "m") return 60'000'000'000;
  if (unit == "h") return 3'600'000'000'000;
  return 0;
}

// `value / unit` followed by the non-zero decimals of the remainder.
inline std::string decimal(std::uint64_t value, std::uint64_t unit) {
  std::string out = std::to_string(value / unit);
  std::uint64_t rest = value % unit;
  if (rest == 0) return out;
  std::string digits;
  for (std::uint64_t scale = unit / 10; scale > 0; scale /= 10) {
    digits += static_cast<char>('0' + rest / scale % 10);
  }
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return out + "." + digits;
}

}  // namespace duration_detail

// Parses `text`; throws ConfigError naming `what` (a key, e.g. "stall-after",
// or an option, e.g. "--shutdown-timeout") and the expected form when it is
// malformed or overflows. "0" is zero.
inline std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view what) {
  using namespace duration_detail;
  if (text.empty()) fail(what, text, "it is empty");
  if (text.front() == '-' || text.front() == '+') fail(what, text, "a sign is not allowed");
  if (text == "0") return std::chrono::nanoseconds{0};

  Wide total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    // Whole part.
    std::uint64_t whole = 0;
    bool whole_overflow = false;
    std::size_t start = i;
    while (i < text.size() && is_digit(text[i])) {
      if (whole > kMaxNanos / 10) {
        whole_overflow = true;
      } else {
        whole = whole * 10 + static_cast<std::uint64_t>(text[i] - '0');
      }
      ++i;
    }
    bool has_whole = i > start;

    // Fraction: digits beyond 10^-18 cannot matter for any unit and are dropped.
    std::uint64_t fraction = 0;
    std::uint64_t scale = 1;
    bool has_fraction = false;
    if (i < text.size() && text[i] == '.') {
      ++i;
      start = i;
      while (i < text.size() && is_digit(text[i])) {
        if (scale < 1'000'000'000'000'000'000ULL) {
          fraction = fraction * 10 + static_cast<std::uint64_t>(text[i] - '0');
          scale *= 10;
        }
        ++i;
      }
      has_fraction = i > start;
    }
    if (!has_whole && !has_fraction) {
      fail(what, text, i < text.size() && text[i] == '.' ? "expected a digit" : "");
    }

    // Unit: everything up to the next digit or '.'.
    start = i;
    while (i < text.size() && !is_digit(text[i]) && text[i] != '.') ++i;
    std::string_view unit = text.substr(start, i - start);
    if (unit.empty()) fail(what, text, "missing unit (units: ns, us, ms, s, m, h)");
    std::uint64_t nanos = unit_nanos(unit);
    if (nanos == 0) fail(what, text, "unknown unit " + quote(unit) + " (units: ns, us, ms, s, m, h)");

    if (whole_overflow) fail_too_long(what, text);
    total += static_cast<Wide>(whole) * nanos + static_cast<Wide>(fraction) * nanos / scale;
    if (total > kMaxNanos) fail_too_long(what, text);
  }
  return std::chrono::nanoseconds{static_cast<std::int64_t>(total)};
}

// The shortest exact spelling: 90s -> "1m30s", 1500ms -> "1.5s", 0 -> "0s".
inline std::string format_duration(std::chrono::nanoseconds duration) {
  using duration_detail::decimal;
  std::int64_t count = duration.count();
  if (count == 0) return "0s";
  std::string sign;
  std::uint64_t value = static_cast<std::uint64_t>(count);
  if (count < 0) {
    sign = "-";
    value = 0 - value;  // well defined for unsigned, also for INT64_MIN
  }
  constexpr std::uint64_t kMicro = 1'000, kMilli = 1'000'000, kSecond = 1'000'000'000;
  constexpr std::uint64_t kMinute = 60 * kSecond, kHour = 60 * kMinute;
  if (value < kMicro) return sign + std::to_string(value) + "ns";
  if (value < kMilli) return sign + decimal(value, kMicro) + "us";
  if (value < kSecond) return sign + decimal(value, kMilli) + "ms";

  std::string out = sign;
  if (value >= kHour) out += std::to_string(value / kHour) + "h";
  value %= kHour;
  if (value >= kMinute) out += std::to_string(value / kMinute) + "m";
  value %= kMinute;
  if (value != 0) out += decimal(value, kSecond) + "s";
  return out;
}

}  // namespace jobhost
