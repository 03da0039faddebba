// Durations in plugin settings, written like "500ms", "15s", "1h30m", "1.5h":
// one or more numbers, each followed by a unit (ms, s, m, h); anything below a
// millisecond is dropped. Header-only so
// that every bundled plugin compiles its own copy (plugins share no code at
// run time).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "jobhost/error.hpp"

namespace plugin_common {

// Parses `text`; throws jobhost::ConfigError naming `key` and the expected
// form when it is malformed, zero or too long.
inline std::chrono::milliseconds parse_duration(std::string_view text, std::string_view key) {
  auto fail = [&](std::string_view why) {
    throw jobhost::ConfigError(std::string(key) + ": \"" + std::string(text) + "\" is not a valid duration: " +
                               std::string(why) + " (expected e.g. 500ms, 15s, 1h30m)");
  };
  // The longest duration that still fits std::chrono::system_clock's
  // nanoseconds, so that comparing it with clock differences cannot overflow.
  constexpr std::int64_t kMaxMillis = INT64_MAX / 1'000'000;

  if (text.empty()) fail("it is empty");
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t number_start = i;
    std::int64_t whole = 0;
    for (; i < text.size() && is_digit(text[i]); ++i) {
      whole = whole * 10 + (text[i] - '0');
      if (whole > kMaxMillis) fail("it is too long");
    }
    // An optional fraction, as in 1.5h; digits past the ninth cannot matter.
    std::int64_t fraction = 0;
    std::int64_t scale = 1;
    if (i < text.size() && text[i] == '.') {
      for (++i; i < text.size() && is_digit(text[i]); ++i) {
        if (scale < 1'000'000'000) {
          fraction = fraction * 10 + (text[i] - '0');
          scale *= 10;
        }
      }
    }
    const std::string_view number = text.substr(number_start, i - number_start);
    if (number.empty() || number == ".") {
      fail("expected a number at \"" + std::string(text.substr(number_start)) + "\"");
    }

    const std::size_t unit_start = i;
    while (i < text.size() && !is_digit(text[i]) && text[i] != '.') ++i;
    const std::string_view unit = text.substr(unit_start, i - unit_start);
    std::int64_t unit_millis = 0;
    if (unit == "ms") unit_millis = 1;
    else if (unit == "s") unit_millis = 1'000;
    else if (unit == "m") unit_millis = 60'000;
    else if (unit == "h") unit_millis = 3'600'000;
    else if (unit.empty()) fail("missing unit after " + std::string(number) + " (units: ms, s, m, h)");
    else fail("unknown unit \"" + std::string(unit) + "\" (units: ms, s, m, h)");

    if (whole > (kMaxMillis - total) / unit_millis) fail("it is too long");
    total += whole * unit_millis + fraction * unit_millis / scale;  // below 2^63: fraction < 10^9
    if (total > kMaxMillis) fail("it is too long");
  }
  if (total == 0) fail("it must be longer than zero");
  return std::chrono::milliseconds(total);
}

// Go's spelling, which operators know from other monitors: 2m0s, 1h0m0s,
// 1m30s, 1.5s, 500ms. `duration` must not be negative.
inline std::string format_duration(std::chrono::milliseconds duration) {
  const std::int64_t millis = duration.count();
  if (millis == 0) return "0s";
  if (millis < 1'000) return std::to_string(millis) + "ms";
  std::string out;
  const std::int64_t hours = millis / 3'600'000;
  const std::int64_t minutes = millis / 60'000 % 60;
  if (hours > 0) out += std::to_string(hours) + "h";
  if (hours > 0 || minutes > 0) out += std::to_string(minutes) + "m";
  out += std::to_string(millis / 1'000 % 60);
  if (const std::int64_t fraction = millis % 1'000; fraction != 0) {
    std::string digits = std::to_string(1'000 + fraction).substr(1);  // zero-padded to 3 digits
    while (digits.back() == '0') digits.pop_back();
    out += "." + digits;
  }
  return out + "s";
}

}  // namespace plugin_common
