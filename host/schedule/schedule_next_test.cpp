// Schedule::next: wraps, leap years, the day-of-month/day-of-week rule,
// @every, local time zones with offset changes, and a cross-check against a
// brute-force reference on random specs.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "schedule/iso8601.hpp"
#include "schedule/schedule.hpp"
#include "schedule/test_random.hpp"
#include "schedule/scoped_time_zone.hpp"

namespace jobhost::schedule {
namespace {

using namespace std::chrono_literals;
using std::chrono::days;
using std::chrono::sys_seconds;
using std::chrono::system_clock;

sys_seconds at(std::string_view iso) { return parse_iso8601(iso, "test"); }
std::string iso(sys_seconds t) { return format_iso8601_local(t); }

// The first `n` fires of `spec` strictly after `after`, as local ISO 8601.
std::vector<std::string> fires(std::string_view spec, std::string_view after, int n) {
  const auto schedule = parse_schedule(spec);
  std::vector<std::string> out;
  system_clock::time_point t = at(after);
  for (int i = 0; i < n; ++i) {
    const sys_seconds next = schedule->next(t);
    out.push_back(iso(next));
    t = next;
  }
  return out;
}

std::string next_after(std::string_view spec, std::string_view after) { return fires(spec, after, 1).front(); }


class ScheduleNextTest : public ::testing::Test {
 protected:
  ScopedTimeZone tz_{"UTC"};
};

TEST_F(ScheduleNextTest, IsStrictlyAfter) {
  const auto schedule = parse_schedule("0 * * * *");
  EXPECT_EQ(schedule->next(at("2026-03-09T09:00:00Z")), at("2026-03-09T10:00:00Z"));
  EXPECT_EQ(schedule->next(at("2026-03-09T08:59:59Z")), at("2026-03-09T09:00:00Z"));
}

TEST_F(ScheduleNextTest, SubSecondAfter) {
  const auto schedule = parse_schedule("0 * * * *");
  const system_clock::time_point nine = at("2026-03-09T09:00:00Z");
  EXPECT_EQ(schedule->next(nine - 1ns), at("2026-03-09T09:00:00Z"));
  EXPECT_EQ(schedule->next(nine - 999ms), at("2026-03-09T09:00:00Z"));
  EXPECT_EQ(schedule->next(nine + 1ns), at("2026-03-09T10:00:00Z"));
  EXPECT_EQ(schedule->next(nine + 999999999ns), at("2026-03-09T10:00:00Z"));
  const auto every_second = parse_schedule("* * * * * *");
  EXPECT_EQ(every_second->next(nine + 500ms), at("2026-03-09T09:00:01Z"));
  EXPECT_EQ(every_second->next(nine - 500ms), at("2026-03-09T09:00:00Z"));
  // Before 1970 the fraction still rounds towards the past.
  const system_clock::time_point epoch{};
  EXPECT_EQ(parse_schedule("@yearly")->next(epoch - 500ms), at("1970-01-01T00:00:00Z"));
  EXPECT_EQ(every_second->next(epoch - 1500ms), at("1969-12-31T23:59:59Z"));
}

TEST_F(ScheduleNextTest, SecondsWrap) {
  EXPECT_EQ(fires("*/20 * * * * *", "2026-03-09T09:59:30Z", 3),
            (std::vector<std::string>{"2026-03-09T09:59:40+00:00", "2026-03-09T10:00:00+00:00",
                                      "2026-03-09T10:00:20+00:00"}));
  EXPECT_EQ(next_after("59 59 23 31 12 *", "2026-06-01T00:00:00Z"), "2026-12-31T23:59:59+00:00");
}

TEST_F(ScheduleNextTest, MinuteAndHourWrap) {
  EXPECT_EQ(fires("*/5 * * * *", "2026-03-09T09:58:30Z", 3),
            (std::vector<std::string>{"2026-03-09T10:00:00+00:00", "2026-03-09T10:05:00+00:00",
                                      "2026-03-09T10:10:00+00:00"}));
  EXPECT_EQ(fires("15,45 */12 * * *", "2026-03-09T12:45:00Z", 3),
            (std::vector<std::string>{"2026-03-10T00:15:00+00:00", "2026-03-10T00:45:00+00:00",
                                      "2026-03-10T12:15:00+00:00"}));
}

TEST_F(ScheduleNextTest, DayMonthAndYearWrap) {
  EXPECT_EQ(next_after("0 0 * * *", "2026-03-09T23:59:59Z"), "2026-03-10T00:00:00+00:00");
  EXPECT_EQ(next_after("0 0 1 * *", "2026-01-31T12:00:00Z"), "2026-02-01T00:00:00+00:00");
  EXPECT_EQ(next_after("0 0 1 1 *", "2026-12-31T23:59:59Z"), "2027-01-01T00:00:00+00:00");
  EXPECT_EQ(next_after("0 0 1 1 *", "2026-01-01T00:00:00Z"), "2027-01-01T00:00:00+00:00");
  EXPECT_EQ(next_after("59 23 31 12 *", "2026-12-31T23:59:00Z"), "2027-12-31T23:59:00+00:00");
  EXPECT_EQ(next_after("30 9 15 6 *", "2026-06-15T09:30:01Z"), "2027-06-15T09:30:00+00:00");
}

TEST_F(ScheduleNextTest, MonthsWithoutTheDayAreSkipped) {
  EXPECT_EQ(fires("0 0 31 * *", "2026-01-01T00:00:00Z", 7),
            (std::vector<std::string>{"2026-01-31T00:00:00+00:00", "2026-03-31T00:00:00+00:00",
                                      "2026-05-31T00:00:00+00:00", "2026-07-31T00:00:00+00:00",
                                      "2026-08-31T00:00:00+00:00", "2026-10-31T00:00:00+00:00",
                                      "2026-12-31T00:00:00+00:00"}));
  EXPECT_EQ(next_after("0 0 30 * *", "2026-01-30T00:00:00Z"), "2026-03-30T00:00:00+00:00");
  EXPECT_EQ(next_after("0 0 31 2,4,5 *", "2026-01-01T00:00:00Z"), "2026-05-31T00:00:00+00:00");
}

TEST_F(ScheduleNextTest, LeapDays) {
  const char* feb29 = "0 0 29 2 *";
  EXPECT_EQ(next_after(feb29, "2026-01-01T00:00:00Z"), "2028-02-29T00:00:00+00:00");
  EXPECT_EQ(next_after(feb29, "2024-02-29T00:00:00Z"), "2028-02-29T00:00:00+00:00");
  EXPECT_EQ(next_after(feb29, "2024-02-28T23:59:59Z"), "2024-02-29T00:00:00+00:00");
  // 2000 is a leap year (divisible by 400), 1900, 2100 and 2200 are not.
  EXPECT_EQ(next_after(feb29, "1999-03-01T00:00:00Z"), "2000-02-29T00:00:00+00:00");
  EXPECT_EQ(next_after(feb29, "1896-03-01T00:00:00Z"), "1904-02-29T00:00:00+00:00");
  EXPECT_EQ(next_after(feb29, "2096-02-29T00:00:00Z"), "2104-02-29T00:00:00+00:00");
  EXPECT_EQ(next_after(feb29, "2097-03-01T00:00:00Z"), "2104-02-29T00:00:00+00:00");
  EXPECT_EQ(next_after(feb29, "2196-03-01T00:00:00Z"), "2204-02-29T00:00:00+00:00");
  EXPECT_EQ(next_after("0 0 0 29 FEB ?", "2097-03-01T00:00:00Z"), "2104-02-29T00:00:00+00:00");
  EXPECT_EQ(next_after("0 0 29 2 */1", "2097-03-01T00:00:00Z"), "2104-02-29T00:00:00+00:00");

  auto days_in_february = [](const char* year) {
    const auto schedule = parse_schedule("0 12 * 2 *");
    const sys_seconds start = at(std::string(year) + "-01-31T00:00:00Z");
    int count = 0;
    for (sys_seconds t = schedule->next(start); t < start + days{60}; t = schedule->next(t)) ++count;
    return count;
  };
  EXPECT_EQ(days_in_february("2024"), 29);
  EXPECT_EQ(days_in_february("2026"), 28);
  EXPECT_EQ(days_in_february("2000"), 29);
  EXPECT_EQ(days_in_february("2100"), 28);
  EXPECT_EQ(days_in_february("1900"), 28);
}

TEST_F(ScheduleNextTest, EitherDayFieldWhenBothAreRestricted) {
  // 2026-03-01 is a Sunday: the 1st of each month and every Monday.
  EXPECT_EQ(fires("0 0 1 * MON", "2026-02-28T12:00:00Z", 7),
            (std::vector<std::string>{"2026-03-01T00:00:00+00:00", "2026-03-02T00:00:00+00:00",
                                      "2026-03-09T00:00:00+00:00", "2026-03-16T00:00:00+00:00",
                                      "2026-03-23T00:00:00+00:00", "2026-03-30T00:00:00+00:00",
                                      "2026-04-01T00:00:00+00:00"}));
  // A step makes a field restricted: odd days or Mondays.
  EXPECT_EQ(fires("0 0 */2 * MON", "2026-03-01T12:00:00Z", 4),
            (std::vector<std::string>{"2026-03-02T00:00:00+00:00", "2026-03-03T00:00:00+00:00",
                                      "2026-03-05T00:00:00+00:00", "2026-03-07T00:00:00+00:00"}));
  // Either rule reaches days that only the weekday field allows.
  EXPECT_EQ(next_after("0 0 30 2 MON", "2026-01-01T00:00:00Z"), "2026-02-02T00:00:00+00:00");
  EXPECT_EQ(next_after("0 0 1-7 * FRI", "2026-03-07T12:00:00Z"), "2026-03-13T00:00:00+00:00");
}

TEST_F(ScheduleNextTest, BothDayFieldsWhenOneIsUnrestricted) {
  const std::vector<std::string> mondays{"2026-03-02T00:00:00+00:00", "2026-03-09T00:00:00+00:00",
                                         "2026-03-16T00:00:00+00:00"};
  EXPECT_EQ(fires("0 0 * * MON", "2026-02-28T12:00:00Z", 3), mondays);
  EXPECT_EQ(fires("0 0 ? * MON", "2026-02-28T12:00:00Z", 3), mondays);
  EXPECT_EQ(fires("0 0 */1 * MON", "2026-02-28T12:00:00Z", 3), mondays);
  EXPECT_EQ(fires("0 0 *,5 * MON", "2026-02-28T12:00:00Z", 3), mondays);
  const std::vector<std::string> firsts{"2026-03-01T00:00:00+00:00", "2026-04-01T00:00:00+00:00",
                                        "2026-05-01T00:00:00+00:00"};
  EXPECT_EQ(fires("0 0 1 * *", "2026-02-28T12:00:00Z", 3), firsts);
  EXPECT_EQ(fires("0 0 1 * ?", "2026-02-28T12:00:00Z", 3), firsts);
  EXPECT_EQ(fires("0 0 1 * */1", "2026-02-28T12:00:00Z", 3), firsts);
  EXPECT_EQ(fires("0 0 1 * 1,*", "2026-02-28T12:00:00Z", 3), firsts);
  // Weekdays within a range of days: both must match.
  EXPECT_EQ(fires("0 0 ? * SAT,SUN", "2026-03-02T00:00:00Z", 2),
            (std::vector<std::string>{"2026-03-07T00:00:00+00:00", "2026-03-08T00:00:00+00:00"}));
}

TEST_F(ScheduleNextTest, TypicalSpecs) {
  // Friday evening to Monday morning.
  EXPECT_EQ(next_after("0 30 9 * * MON-FRI", "2026-03-06T18:00:00Z"), "2026-03-09T09:30:00+00:00");
  EXPECT_EQ(next_after("0 30 9 * * MON-FRI", "2026-03-09T09:29:59.5Z"), "2026-03-09T09:30:00+00:00");
  EXPECT_EQ(next_after("@hourly", "2026-03-09T09:30:00Z"), "2026-03-09T10:00:00+00:00");
  EXPECT_EQ(next_after("@monthly", "2026-12-15T00:00:00Z"), "2027-01-01T00:00:00+00:00");
  EXPECT_EQ(next_after("0 0 13 * FRI", "2026-03-01T00:00:00Z"), "2026-03-06T00:00:00+00:00");
}

TEST_F(ScheduleNextTest, Every) {
  const auto schedule = parse_schedule("@every 15s");
  const system_clock::time_point t = at("2026-03-09T09:00:00Z");
  EXPECT_EQ(schedule->next(t), at("2026-03-09T09:00:15Z"));
  // Counted from the whole second at or before `after`.
  EXPECT_EQ(schedule->next(t + 700ms), at("2026-03-09T09:00:15Z"));
  EXPECT_EQ(schedule->next(t - 1ns), at("2026-03-09T09:00:14Z"));
  const auto rounded = parse_schedule("@every 2.25s");
  EXPECT_EQ(rounded->next(t), at("2026-03-09T09:00:03Z"));
  const auto long_one = parse_schedule("@every 87600h");
  EXPECT_EQ(long_one->next(t), at("2026-03-09T09:00:00Z") + std::chrono::hours{87600});
}

TEST_F(ScheduleNextTest, ExtremeAfterValues) {
  for (const char* spec : {"* * * * * *", "0 0 29 2 *", "@yearly", "@every 1h", "0 0 31 12 SUN"}) {
    const auto schedule = parse_schedule(spec);
    for (system_clock::time_point after : {system_clock::time_point::min(), system_clock::time_point::max(),
                                           system_clock::time_point{}}) {
      const sys_seconds next = schedule->next(after);
      EXPECT_GT(next, std::chrono::floor<std::chrono::seconds>(after)) << spec;
      EXPECT_LE(next, std::chrono::floor<std::chrono::seconds>(after) + days{366 * 30}) << spec;
    }
  }
}

TEST_F(ScheduleNextTest, ConcurrentCallsAgree) {
  const auto schedule = parse_schedule("*/7 3-20 */3 * MON-FRI");
  const sys_seconds start = at("2026-01-01T00:00:00Z");
  std::vector<sys_seconds> expected;
  for (sys_seconds t = start; expected.size() < 2000;) expected.push_back(t = schedule->next(t));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      sys_seconds t = start;
      for (sys_seconds e : expected) {
        t = schedule->next(t);
        if (t != e) ++mismatches[static_cast<std::size_t>(i)];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

// ---------------------------------------------------------------------------
// Local time zones

TEST_F(ScheduleNextTest, NewYork) {
  // The local-zone overload follows TZ. (DST rules: schedule_zone_test.cpp.)
  ScopedTimeZone zone("America/New_York");
  // Fields match the local reading, not UTC.
  EXPECT_EQ(next_after("0 30 9 * * MON-FRI", "2026-03-06T15:00:00Z"), "2026-03-09T09:30:00-04:00");
  EXPECT_EQ(next_after("0 0 * * *", "2026-01-15T03:00:00Z"), "2026-01-15T00:00:00-05:00");
  EXPECT_EQ(next_after("0 0 * * *", "2026-01-15T06:00:00Z"), "2026-01-16T00:00:00-05:00");
  // 2026-03-08 02:00 EST -> 03:00 EDT: a fixed-time 02:30 runs at 03:00.
  EXPECT_EQ(next_after("30 2 * * *", "2026-03-07T12:00:00-05:00"), "2026-03-08T03:00:00-04:00");
  EXPECT_EQ(fires("*/30 * * * *", "2026-03-08T01:00:00-05:00", 3),
            (std::vector<std::string>{"2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00",
                                      "2026-03-08T03:30:00-04:00"}));
  // 2026-11-01 02:00 EDT -> 01:00 EST: a fixed-time 01:30 runs once, hourly twice.
  EXPECT_EQ(fires("30 1 * * *", "2026-11-01T00:00:00-04:00", 2),
            (std::vector<std::string>{"2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}));
  EXPECT_EQ(fires("0 * * * *", "2026-11-01T00:00:00-04:00", 3),
            (std::vector<std::string>{"2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00",
                                      "2026-11-01T02:00:00-05:00"}));
  // Leap days far ahead are still found in local time.
  EXPECT_EQ(next_after("0 0 29 2 *", "2097-03-01T00:00:00Z"), "2104-02-29T00:00:00-05:00");
}

// ---------------------------------------------------------------------------
// Random specs against a brute-force reference

struct Field {
  int min;
  int max;
  const char* const* names;
};
constexpr const char* kMonths[] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr const char* kDays[] = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

using testing::Rng;

struct RandomField {
  std::string text;
  std::vector<bool> values;  // indexed by value
  bool unrestricted = false;
};

// A random field, and the values it selects computed independently of the parser.
RandomField random_field(Rng& rng, const Field& f, int dense_percent) {
  RandomField out;
  out.values.assign(static_cast<std::size_t>(f.max + 1), false);
  auto spell = [&](int v) {
    if (f.names != nullptr && rng(3) == 0) return std::string(f.names[v - f.min]);
    return std::to_string(v);
  };
  if (static_cast<int>(rng(100)) < dense_percent) {
    out.text = rng(2) ? "*" : "?";
    out.values.assign(out.values.size(), true);
    std::fill(out.values.begin(), out.values.begin() + f.min, false);
    out.unrestricted = true;
    return out;
  }
  const int items = rng.in(1, 3);
  for (int i = 0; i < items; ++i) {
    if (i > 0) out.text += ',';
    int lo = f.min;
    int hi = f.max;
    int step = 1;
    bool star = false;
    switch (rng(6)) {
      case 0:  // N
        lo = hi = rng.in(f.min, f.max);
        out.text += spell(lo);
        break;
      case 1:  // A-B
        lo = rng.in(f.min, f.max);
        hi = rng.in(lo, f.max);
        out.text += spell(lo) + "-" + spell(hi);
        break;
      case 2:  // */S
        step = rng.in(1, f.max - f.min + 2);
        star = true;
        out.text += std::string(rng(2) ? "*" : "?") + "/" + std::to_string(step);
        break;
      case 3:  // N/S
        lo = rng.in(f.min, f.max);
        step = rng.in(1, f.max - f.min + 1);
        out.text += spell(lo) + "/" + std::to_string(step);
        break;
      case 4:  // A-B/S
        lo = rng.in(f.min, f.max);
        hi = rng.in(lo, f.max);
        step = rng.in(1, 5);
        out.text += spell(lo) + "-" + spell(hi) + "/" + std::to_string(step);
        break;
      default:  // a second single value
        lo = hi = rng.in(f.min, f.max);
        out.text += std::to_string(lo);
        break;
    }
    for (int v = lo; v <= hi; v += step) out.values[static_cast<std::size_t>(v)] = true;
    if (star && step == 1) out.unrestricted = true;
  }
  return out;
}

struct RandomSpec {
  std::string text;
  RandomField fields[6];  // second, minute, hour, day-of-month, month, day-of-week

  bool has(int field, int value) const { return fields[field].values[static_cast<std::size_t>(value)]; }

  // cronie: no `*`, `?` or `/` in the second, minute and hour fields.
  bool fixed_time() const {
    for (int i = 0; i < 3; ++i) {
      if (fields[i].text.find_first_of("*?/") != std::string::npos) return false;
    }
    return true;
  }

  bool day_matches(int mday, int month, int wday) const {
    if (!has(4, month)) return false;
    const bool dom = has(3, mday);
    const bool dow = has(5, wday);
    return fields[3].unrestricted || fields[5].unrestricted ? dom && dow : dom || dow;
  }

  bool matches(const std::tm& tm) const {
    return has(0, tm.tm_sec) && has(1, tm.tm_min) && has(2, tm.tm_hour) &&
           day_matches(tm.tm_mday, tm.tm_mon + 1, tm.tm_wday);
  }

  bool can_fire() const {
    if (fields[3].unrestricted || !fields[5].unrestricted) return true;
    constexpr int kMax[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int m = 1; m <= 12; ++m) {
      for (int d = 1; d <= kMax[m - 1]; ++d) {
        if (fields[4].values[static_cast<std::size_t>(m)] && fields[3].values[static_cast<std::size_t>(d)]) return true;
      }
    }
    return false;
  }
};

RandomSpec random_spec(Rng& rng, bool with_seconds) {
  static constexpr Field kFields[] = {{0, 59, nullptr}, {0, 59, nullptr}, {0, 23, nullptr},
                                      {1, 31, nullptr}, {1, 12, kMonths}, {0, 6, kDays}};
  static constexpr int kDense[] = {40, 30, 40, 50, 60, 50};
  RandomSpec spec;
  for (int i = 0; i < 6; ++i) spec.fields[i] = random_field(rng, kFields[i], kDense[i]);
  if (!with_seconds) {
    spec.fields[0].text = "0";
    spec.fields[0].values.assign(60, false);
    spec.fields[0].values[0] = true;
    spec.fields[0].unrestricted = false;
  }
  for (int i = with_seconds ? 0 : 1; i < 6; ++i) spec.text += (spec.text.empty() ? "" : " ") + spec.fields[i].text;
  return spec;
}

// Reference for UTC over long spans: day by day, then through the allowed
// hours, minutes and seconds of a matching day.
std::optional<sys_seconds> reference_next_utc(const RandomSpec& spec, sys_seconds after, int max_days) {
  const sys_seconds t0 = after + 1s;
  const auto first_day = std::chrono::floor<days>(t0);
  for (int i = 0; i < max_days; ++i) {
    const auto day = first_day + days{i};
    const std::chrono::year_month_day date{day};
    if (!spec.day_matches(int(unsigned(date.day())), int(unsigned(date.month())),
                          int(std::chrono::weekday{day}.c_encoding()))) {
      continue;
    }
    for (int h = 0; h < 24; ++h) {
      const sys_seconds hour = day + std::chrono::hours{h};
      if (!spec.has(2, h) || hour + 1h <= t0) continue;
      for (int m = 0; m < 60; ++m) {
        const sys_seconds minute = hour + std::chrono::minutes{m};
        if (!spec.has(1, m) || minute + 1min <= t0) continue;
        for (int s = 0; s < 60; ++s) {
          const sys_seconds t = minute + std::chrono::seconds{s};
          if (spec.has(0, s) && t >= t0) return t;
        }
      }
    }
  }
  return std::nullopt;
}

TEST_F(ScheduleNextTest, RandomSpecsMatchBruteForceInUtc) {
  Rng rng{0x9E3779B97F4A7C15ULL};
  int compared = 0;
  for (int i = 0; i < 400; ++i) {
    const RandomSpec spec = random_spec(rng, rng(2) == 0);
    std::unique_ptr<Schedule> schedule;
    try {
      schedule = parse_schedule(spec.text);
    } catch (const ScheduleError& e) {
      EXPECT_FALSE(spec.can_fire()) << spec.text << ": " << e.what();
      continue;
    }
    ASSERT_TRUE(spec.can_fire()) << spec.text << " was accepted";
    for (int j = 0; j < 4; ++j) {
      // 1990..2110, with a random fraction of a second.
      const sys_seconds base{std::chrono::seconds{631152000 + static_cast<std::int64_t>(rng(3786825600ULL))}};
      const system_clock::time_point after = base + std::chrono::nanoseconds{rng(1000000000)};
      const auto expected = reference_next_utc(spec, base, 366 * 12);
      const sys_seconds got = schedule->next(after);
      if (expected) {
        ++compared;
        ASSERT_EQ(iso(got), iso(*expected)) << spec.text << " after " << iso(base);
      } else {
        ASSERT_GT(got, base + days{366 * 12 - 2}) << spec.text << " after " << iso(base);
      }
    }
  }
  EXPECT_GT(compared, 1000);
}

// Brute force with cronie's DST rules, minute by minute, through libc
// (localtime_r with TZ set to the same zone): an independent implementation.
std::chrono::seconds libc_offset(sys_seconds t) {
  const std::time_t time = t.time_since_epoch().count();
  std::tm tm{};
  localtime_r(&time, &tm);
  return std::chrono::seconds{tm.tm_gmtoff};
}

bool reading_matches(const RandomSpec& spec, std::chrono::seconds reading) {
  const std::time_t time = reading.count();
  std::tm tm{};
  gmtime_r(&time, &tm);
  return spec.matches(tm);
}

std::optional<sys_seconds> reference_next_dst(const RandomSpec& spec, sys_seconds after, std::chrono::seconds span) {
  const bool fixed = spec.fixed_time();
  for (sys_seconds t = std::chrono::ceil<std::chrono::minutes>(after + 1s); t <= after + span; t += 60s) {
    const auto reading = t.time_since_epoch() + libc_offset(t);
    const auto previous = t.time_since_epoch() - 60s + libc_offset(t - 60s);
    if (reading_matches(spec, reading)) {
      if (!fixed) return t;
      // Fixed time: only the first instant with this reading.
      bool repeated = false;
      for (const auto offset : {libc_offset(t - days{1}), libc_offset(t + days{1})}) {
        const sys_seconds earlier{reading - offset};
        if (earlier < t && earlier.time_since_epoch() + libc_offset(earlier) == reading) repeated = true;
      }
      if (!repeated) return t;
    }
    if (fixed && reading - previous > 60s) {  // clocks jumped: t is the first instant after the gap
      for (auto skipped = previous + 60s; skipped < reading; skipped += 60s) {
        if (reading_matches(spec, skipped)) return t;
      }
    }
  }
  return std::nullopt;
}

void check_zone_around(const char* zone_name, std::initializer_list<const char*> moments, std::uint64_t seed) {
  ScopedTimeZone libc_zone(zone_name);  // for the reference only
  const TimeZone zone = TimeZone::named(zone_name);
  Rng rng{seed};
  int compared = 0;
  int fixed = 0;
  for (const char* moment : moments) {
    const sys_seconds center = at(moment);
    for (int i = 0; i < 150; ++i) {
      RandomSpec spec = random_spec(rng, false);
      // Fire near the change often: hours around it, whole minutes.
      if (rng(2) == 0) {
        const int h = static_cast<int>(rng(24));
        spec.fields[2].text = std::to_string(h);
        spec.fields[2].values.assign(24, false);
        spec.fields[2].values[static_cast<std::size_t>(h)] = true;
        spec.text.clear();
        for (int f = 1; f < 6; ++f) spec.text += (spec.text.empty() ? "" : " ") + spec.fields[f].text;
      }
      std::unique_ptr<Schedule> schedule;
      try {
        schedule = parse_schedule(spec.text, zone);
      } catch (const ScheduleError&) {
        continue;
      }
      // Start anywhere from two days before to one day after the change.
      const sys_seconds after = center - 48h + std::chrono::seconds{rng(3 * 86400)};
      const auto expected = reference_next_dst(spec, after, days{4});
      if (!expected) continue;
      ++compared;
      if (spec.fixed_time()) ++fixed;
      ASSERT_EQ(format_iso8601(schedule->next(after), zone), format_iso8601(*expected, zone))
          << zone_name << ": " << spec.text << (spec.fixed_time() ? " (fixed time)" : " (elapsed time)") << " after "
          << format_iso8601(after, zone);
    }
  }
  EXPECT_GT(compared, 40) << zone_name;
  EXPECT_GT(fixed, 5) << zone_name;
}

TEST_F(ScheduleNextTest, RandomSpecsMatchBruteForceAroundOffsetChanges) {
  check_zone_around("America/New_York", {"2026-03-08T07:00:00Z", "2026-11-01T06:00:00Z"}, 3);
  check_zone_around("Australia/Lord_Howe", {"2026-04-04T15:00:00Z", "2026-10-03T15:30:00Z"}, 4);  // 30-minute shifts
  check_zone_around("Pacific/Apia", {"2011-12-30T10:00:00Z"}, 5);  // a whole day skipped
  check_zone_around("America/Sao_Paulo", {"2018-11-04T03:00:00Z", "2019-02-17T02:00:00Z"}, 6);  // at midnight
  check_zone_around("Europe/London", {"2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z"}, 7);
  // After the last transition the files list: the footer's rule.
  check_zone_around("America/New_York", {"2040-03-11T07:00:00Z", "2040-11-04T06:00:00Z"}, 8);
  check_zone_around("Australia/Lord_Howe", {"2045-04-01T15:00:00Z", "2045-09-30T15:30:00Z"}, 9);
}

}  // namespace
}  // namespace jobhost::schedule
