#include "schedule/iso8601.hpp"

#include <cstdio>
#include <stdexcept>

#include "jobhost/error.hpp"
#include "schedule/local_time.hpp"
#include "jobhost/text.hpp"

namespace jobhost::schedule {

using std::chrono::days;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

namespace {

constexpr const char* kExpected =
    "(expected YYYY-MM-DDTHH:MM:SS followed by Z or +HH:MM, e.g. 2026-03-09T09:00:00+01:00)";

[[noreturn]] void fail(std::string_view what, std::string_view text, const std::string& problem) {
  throw ConfigError(std::string(what) + ": " + quote(text) + " " + problem + " " + kExpected);
}

[[noreturn]] void malformed(std::string_view what, std::string_view text) {
  fail(what, text, "is not an ISO 8601 time");
}

// The number in text[pos, pos + width), or -1 when those are not all digits.
int digits(std::string_view text, std::size_t pos, std::size_t width) {
  if (pos + width > text.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + width; ++i) {
    if (text[i] < '0' || text[i] > '9') return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

bool is_char(std::string_view text, std::size_t pos, char c) { return pos < text.size() && text[pos] == c; }

}  // namespace

std::string format_iso8601_local(sys_seconds t) { return format_iso8601(t, TimeZone::local()); }

std::string format_iso8601(sys_seconds t, const TimeZone& zone) {
  constexpr long long kLimit = 1'000'000'000'000LL;  // ~31700 years either side of 1970
  if (t.time_since_epoch().count() > kLimit || t.time_since_epoch().count() < -kLimit) {
    throw std::out_of_range("format_iso8601_local: instant out of range");
  }
  const minutes offset = std::chrono::duration_cast<minutes>(zone.utc_offset(t));  // truncates toward zero
  const auto local = t.time_since_epoch() + offset;
  const auto day = std::chrono::floor<days>(local);
  const std::chrono::year_month_day date{sys_days{day}};
  const std::chrono::hh_mm_ss<seconds> time{local - day};
  const long long offset_minutes = offset.count() < 0 ? -offset.count() : offset.count();

  const int year = int(date.year());
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, (year >= 0 && year <= 9999) ? "%04d-%02u-%02uT%02d:%02d:%02d%c%02lld:%02lld"
                                                                   : "%+05d-%02u-%02uT%02d:%02d:%02d%c%02lld:%02lld",
                year, unsigned(date.month()), unsigned(date.day()), int(time.hours().count()),
                int(time.minutes().count()), int(time.seconds().count()), offset.count() < 0 ? '-' : '+',
                offset_minutes / 60, offset_minutes % 60);
  return buffer;
}

sys_seconds parse_iso8601(std::string_view text, std::string_view what) {
  // YYYY-MM-DDTHH:MM:SS
  const int year = digits(text, 0, 4);
  const int month = digits(text, 5, 2);
  const int day = digits(text, 8, 2);
  const int hour = digits(text, 11, 2);
  const int minute = digits(text, 14, 2);
  const int second = digits(text, 17, 2);
  if (year < 0 || !is_char(text, 4, '-') || month < 0 || !is_char(text, 7, '-') || day < 0 ||
      !is_char(text, 10, 'T') || hour < 0 || !is_char(text, 13, ':') || minute < 0 || !is_char(text, 16, ':') ||
      second < 0) {
    malformed(what, text);
  }
  std::size_t pos = 19;
  if (is_char(text, pos, '.')) {
    const std::size_t start = ++pos;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') ++pos;
    if (pos == start) malformed(what, text);
  }
  int offset_sign = 0;
  int offset_hours = 0;
  int offset_minutes = 0;
  if (is_char(text, pos, 'Z')) {
    ++pos;
  } else if (is_char(text, pos, '+') || is_char(text, pos, '-')) {
    offset_sign = text[pos] == '-' ? -1 : 1;
    offset_hours = digits(text, pos + 1, 2);
    offset_minutes = digits(text, pos + 4, 2);
    if (offset_hours < 0 || !is_char(text, pos + 3, ':') || offset_minutes < 0) malformed(what, text);
    pos += 6;
  } else {
    malformed(what, text);
  }
  if (pos != text.size()) malformed(what, text);

  auto out_of_range = [&](const char* field, int value, const char* range) {
    fail(what, text, std::string("is not a valid time: ") + field + " " + std::to_string(value) + " is out of range " +
                         range);
  };
  if (month < 1 || month > 12) out_of_range("month", month, "1-12");
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{unsigned(month)},
                                         std::chrono::day{unsigned(day)}};
  if (!date.ok()) {
    const unsigned last =
        unsigned((std::chrono::year{year} / std::chrono::month{unsigned(month)} / std::chrono::last).day());
    out_of_range("day", day, ("1-" + std::to_string(last)).c_str());
  }
  if (hour > 23) out_of_range("hour", hour, "0-23");
  if (minute > 59) out_of_range("minute", minute, "0-59");
  if (second > 59) out_of_range("second", second, "0-59");
  if (offset_hours > 23) out_of_range("offset hour", offset_hours, "0-23");
  if (offset_minutes > 59) out_of_range("offset minute", offset_minutes, "0-59");

  const seconds offset = offset_sign * (std::chrono::hours{offset_hours} + minutes{offset_minutes});
  return sys_days{date} + std::chrono::hours{hour} + minutes{minute} + seconds{second} - offset;
}

}  // namespace jobhost::schedule
