// Time zones (CRON_TZ=/TZ= prefixes, default zones), the syntax beyond robfig
// (7 for Sunday, Quartz's L, L-n, nW, LW, nL, n#k) and cronie's DST rules.
// Every zone is given explicitly; nothing depends on the host's TZ.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <thread>
#include <vector>

#include "schedule/cron.hpp"
#include "schedule/iso8601.hpp"
#include "schedule/schedule.hpp"

namespace jobhost::schedule {
namespace {

using namespace std::chrono_literals;
using std::chrono::days;
using std::chrono::sys_seconds;

sys_seconds at(std::string_view iso) { return parse_iso8601(iso, "test"); }

// The first `n` fires of `spec` strictly after `after`, in the schedule's zone.
std::vector<std::string> fires(std::string_view spec, const char* zone, std::string_view after, int n) {
  const auto schedule = parse_schedule(spec, TimeZone::named(zone));
  std::vector<std::string> out;
  sys_seconds t = at(after);
  for (int i = 0; i < n; ++i) {
    t = schedule->next(t);
    out.push_back(format_iso8601(t, schedule->zone()));
  }
  return out;
}

std::string error_of(std::string_view spec) {
  try {
    parse_schedule(spec, TimeZone::utc());
  } catch (const ScheduleError& e) {
    return e.what();
  }
  return "";
}

using Fires = std::vector<std::string>;

// ---------------------------------------------------------------------------
// Zones

TEST(TimeZone, NamedZonesAndOffsets) {
  const TimeZone ny = TimeZone::named("America/New_York");
  EXPECT_EQ(ny.name(), "America/New_York");
  EXPECT_EQ(ny.utc_offset(at("2026-01-15T12:00:00Z")), -5h);
  EXPECT_EQ(ny.utc_offset(at("2026-07-15T12:00:00Z")), -4h);
  EXPECT_EQ(ny.utc_offset(at("2026-03-08T06:59:59Z")), -5h);
  EXPECT_EQ(ny.utc_offset(at("2026-03-08T07:00:00Z")), -4h);
  EXPECT_EQ(TimeZone::named("Asia/Kolkata").utc_offset(at("2026-01-15T12:00:00Z")), 5h + 30min);
  EXPECT_EQ(TimeZone::utc().utc_offset(at("2026-07-15T12:00:00Z")), 0s);
  EXPECT_EQ(ny.offset_change(at("2026-03-07T00:00:00Z"), at("2026-03-10T00:00:00Z")), at("2026-03-08T07:00:00Z"));
  EXPECT_EQ(ny.offset_change(at("2026-10-31T00:00:00Z"), at("2026-11-03T00:00:00Z")), at("2026-11-01T06:00:00Z"));
}

TEST(TimeZone, RulesContinueAfterTheLastListedTransition) {
  // The files list transitions up to 2037; the POSIX footer rule goes on.
  const TimeZone ny = TimeZone::named("America/New_York");
  EXPECT_EQ(ny.utc_offset(at("2040-07-15T12:00:00Z")), -4h);
  EXPECT_EQ(ny.utc_offset(at("2040-01-15T12:00:00Z")), -5h);
  EXPECT_EQ(ny.utc_offset(at("2040-03-11T06:59:59Z")), -5h);
  EXPECT_EQ(ny.utc_offset(at("2040-03-11T07:00:00Z")), -4h);
  EXPECT_EQ(ny.utc_offset(at("2040-11-04T05:59:59Z")), -4h);
  EXPECT_EQ(ny.utc_offset(at("2040-11-04T06:00:00Z")), -5h);
  EXPECT_EQ(ny.utc_offset(at("2300-07-01T00:00:00Z")), -4h);
  EXPECT_EQ(ny.offset_change(at("2040-03-10T00:00:00Z"), at("2040-03-13T00:00:00Z")), at("2040-03-11T07:00:00Z"));
  // Southern hemisphere, and half-hour DST.
  const TimeZone sydney = TimeZone::named("Australia/Sydney");
  EXPECT_EQ(sydney.utc_offset(at("2045-01-15T00:00:00Z")), 11h);
  EXPECT_EQ(sydney.utc_offset(at("2045-07-15T00:00:00Z")), 10h);
  const TimeZone lord_howe = TimeZone::named("Australia/Lord_Howe");
  EXPECT_EQ(lord_howe.utc_offset(at("2045-01-15T00:00:00Z")), 11h);
  EXPECT_EQ(lord_howe.utc_offset(at("2045-07-15T00:00:00Z")), 10h + 30min);
  // No DST in the rule: the last period goes on.
  EXPECT_EQ(TimeZone::named("America/Sao_Paulo").utc_offset(at("2045-01-15T00:00:00Z")), -3h);
  EXPECT_EQ(TimeZone::named("Asia/Tokyo").utc_offset(at("2045-01-15T00:00:00Z")), 9h);
  EXPECT_EQ(fires("30 2 * * *", "America/New_York", "2040-03-10T12:00:00-05:00", 2),
            (Fires{"2040-03-11T03:00:00-04:00", "2040-03-12T02:30:00-04:00"}));
}

TEST(TimeZone, FromLocal) {
  const TimeZone ny = TimeZone::named("America/New_York");
  using std::chrono::local_days;
  const auto reading = [](int y, unsigned m, unsigned d, std::chrono::seconds s) {
    return local_days{std::chrono::year{y} / m / d} + s;
  };
  EXPECT_EQ(ny.from_local(reading(2026, 3, 8, 2h + 30min)).count, 0);
  EXPECT_EQ(ny.from_local(reading(2026, 3, 8, 3h)).count, 1);
  const LocalInstants twice = ny.from_local(reading(2026, 11, 1, 1h + 30min));
  ASSERT_EQ(twice.count, 2);
  EXPECT_EQ(twice.at[0], at("2026-11-01T05:30:00Z"));
  EXPECT_EQ(twice.at[1], at("2026-11-01T06:30:00Z"));
}

TEST(TimeZone, UnknownZonesAreNamed) {
  try {
    TimeZone::named("Mars/Olympus_Mons");
    FAIL() << "no exception";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown time zone \"Mars/Olympus_Mons\""), std::string::npos) << e.what();
  }
  EXPECT_THROW(TimeZone::named(""), ConfigError);
}

TEST(TimeZone, SeveralZonesAtOnceFromManyThreads) {
  const auto tokyo = parse_schedule("0 9 * * *", TimeZone::named("Asia/Tokyo"));
  const auto paris = parse_schedule("0 9 * * *", TimeZone::named("Europe/Paris"));
  const sys_seconds from = at("2026-06-01T12:00:00Z");
  std::vector<std::thread> threads;
  std::vector<int> bad(8, 0);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      for (int k = 0; k < 2000; ++k) {
        if (tokyo->next(from) != at("2026-06-02T00:00:00Z")) ++bad[i];
        if (paris->next(from) != at("2026-06-02T07:00:00Z")) ++bad[i];
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int b : bad) EXPECT_EQ(b, 0);
}

TEST(ZonePrefix, CronTzAndTzPrefixes) {
  EXPECT_EQ(fires("CRON_TZ=America/New_York 0 9 * * *", "UTC", "2026-03-06T15:00:00Z", 1),
            Fires{"2026-03-07T09:00:00-05:00"});
  EXPECT_EQ(fires("TZ=Asia/Tokyo 0 9 * * *", "America/New_York", "2026-03-06T15:00:00Z", 1),
            Fires{"2026-03-07T09:00:00+09:00"});
  // Any whitespace after the zone, and around the spec.
  EXPECT_EQ(fires("  TZ=Asia/Tokyo\t\t0 9 * * *  ", "UTC", "2026-03-06T15:00:00Z", 1),
            Fires{"2026-03-07T09:00:00+09:00"});
  EXPECT_EQ(fires("CRON_TZ=Europe/Paris @daily", "UTC", "2026-07-01T12:00:00Z", 1),
            Fires{"2026-07-02T00:00:00+02:00"});
  const auto schedule = parse_schedule("TZ=Asia/Tokyo @every 1h", TimeZone::utc());
  EXPECT_EQ(schedule->zone().name(), "Asia/Tokyo");
  EXPECT_EQ(schedule->spec(), "TZ=Asia/Tokyo @every 1h");
}

TEST(ZonePrefix, DefaultZoneIsUsedWithoutAPrefix) {
  EXPECT_EQ(fires("0 9 * * *", "Asia/Tokyo", "2026-03-06T15:00:00Z", 1), Fires{"2026-03-07T09:00:00+09:00"});
  EXPECT_EQ(parse_schedule("0 9 * * *", TimeZone::named("Asia/Tokyo"))->zone().name(), "Asia/Tokyo");
}

TEST(ZonePrefix, BadPrefixesAreErrorsNamingTheZone) {
  EXPECT_EQ(error_of("TZ="), "cron spec \"TZ=\": TZ= needs a time-zone name, e.g. \"TZ=America/New_York 0 9 * * *\"");
  EXPECT_NE(error_of("CRON_TZ=").find("CRON_TZ= needs a time-zone name"), std::string::npos);
  EXPECT_NE(error_of("TZ= 0 9 * * *").find("TZ= needs a time-zone name"), std::string::npos);
  EXPECT_NE(error_of("TZ=UTC").find("nothing after the time zone \"UTC\""), std::string::npos);
  EXPECT_NE(error_of("TZ=UTC   ").find("nothing after the time zone"), std::string::npos);
  EXPECT_EQ(error_of("TZ=Nowhere/Land 0 9 * * *").rfind("cron spec \"TZ=Nowhere/Land 0 9 * * *\": unknown time zone "
                                                        "\"Nowhere/Land\"",
                                                        0),
            0u)
      << error_of("TZ=Nowhere/Land 0 9 * * *");
  EXPECT_NE(error_of("TZ=UTC 61 * * * *").find("minute field \"61\""), std::string::npos);
  EXPECT_NE(error_of("TZ=UTC TZ=UTC 0 * * * *").find("second field \"TZ=UTC\""), std::string::npos)
      << "only one prefix: the second is read as a field";
}

// ---------------------------------------------------------------------------
// Syntax beyond robfig

TEST(Extras, SevenIsSunday) {
  // 2026-03-01 is a Sunday.
  EXPECT_EQ(fires("0 0 * * 7", "UTC", "2026-02-28T12:00:00Z", 2),
            (Fires{"2026-03-01T00:00:00+00:00", "2026-03-08T00:00:00+00:00"}));
  EXPECT_EQ(fires("0 0 * * 5-7", "UTC", "2026-03-01T12:00:00Z", 3),
            (Fires{"2026-03-06T00:00:00+00:00", "2026-03-07T00:00:00+00:00", "2026-03-08T00:00:00+00:00"}));
  EXPECT_EQ(fires("0 0 * * 0,7", "UTC", "2026-03-01T12:00:00Z", 1), Fires{"2026-03-08T00:00:00+00:00"});
  EXPECT_EQ(fires("0 0 * * 6/1", "UTC", "2026-03-01T12:00:00Z", 2),
            (Fires{"2026-03-07T00:00:00+00:00", "2026-03-14T00:00:00+00:00"}))
      << "N/STEP still ends at Saturday";
}

TEST(Extras, LastDayOfMonth) {
  EXPECT_EQ(fires("0 0 L * *", "UTC", "2026-01-15T00:00:00Z", 4),
            (Fires{"2026-01-31T00:00:00+00:00", "2026-02-28T00:00:00+00:00", "2026-03-31T00:00:00+00:00",
                   "2026-04-30T00:00:00+00:00"}));
  EXPECT_EQ(fires("0 0 L 2 *", "UTC", "2027-03-01T00:00:00Z", 2),
            (Fires{"2028-02-29T00:00:00+00:00", "2029-02-28T00:00:00+00:00"}));
  EXPECT_EQ(fires("0 0 L-2 * *", "UTC", "2026-01-01T00:00:00Z", 2),
            (Fires{"2026-01-29T00:00:00+00:00", "2026-02-26T00:00:00+00:00"}));
  EXPECT_EQ(fires("0 0 L-0 * *", "UTC", "2026-01-01T00:00:00Z", 1), Fires{"2026-01-31T00:00:00+00:00"});
  // L-30 is the 1st of 31-day months only.
  EXPECT_EQ(fires("0 0 L-30 * *", "UTC", "2026-01-02T00:00:00Z", 2),
            (Fires{"2026-03-01T00:00:00+00:00", "2026-05-01T00:00:00+00:00"}));
  EXPECT_EQ(fires("0 0 1,L * *", "UTC", "2026-01-15T00:00:00Z", 3),
            (Fires{"2026-01-31T00:00:00+00:00", "2026-02-01T00:00:00+00:00", "2026-02-28T00:00:00+00:00"}));
  EXPECT_EQ(fires("0 0 l * *", "UTC", "2026-01-15T00:00:00Z", 1), Fires{"2026-01-31T00:00:00+00:00"});
}

TEST(Extras, NearestWeekday) {
  // 2026-02-01 is a Sunday: 1W is Monday the 2nd. 2026-08-01 is a Saturday:
  // 1W is Monday the 3rd (never the previous month). 2026-03-15 is a Sunday:
  // 15W is Monday the 16th. 2026-08-15 is a Saturday: Friday the 14th.
  EXPECT_EQ(fires("0 0 1W 2 *", "UTC", "2026-01-01T00:00:00Z", 1), Fires{"2026-02-02T00:00:00+00:00"});
  EXPECT_EQ(fires("0 0 1W 8 *", "UTC", "2026-01-01T00:00:00Z", 1), Fires{"2026-08-03T00:00:00+00:00"});
  EXPECT_EQ(fires("0 0 15W 3 *", "UTC", "2026-01-01T00:00:00Z", 1), Fires{"2026-03-16T00:00:00+00:00"});
  EXPECT_EQ(fires("0 0 15W 8 *", "UTC", "2026-01-01T00:00:00Z", 1), Fires{"2026-08-14T00:00:00+00:00"});
  EXPECT_EQ(fires("0 0 10W 3 *", "UTC", "2026-01-01T00:00:00Z", 1), Fires{"2026-03-10T00:00:00+00:00"});
  // 2026-05-31 is a Sunday and the last day: 31W is Friday the 29th.
  EXPECT_EQ(fires("0 0 31W 5 *", "UTC", "2026-01-01T00:00:00Z", 1), Fires{"2026-05-29T00:00:00+00:00"});
  // 31W in a 30-day month: no such day, no fire that month.
  EXPECT_EQ(fires("0 0 31W 4,5 *", "UTC", "2026-01-01T00:00:00Z", 1), Fires{"2026-05-29T00:00:00+00:00"});
  // LW: 2026-05-31 is a Sunday -> Friday 29th; 2026-02-28 is a Saturday -> 27th.
  EXPECT_EQ(fires("0 0 LW 2,5 *", "UTC", "2026-01-01T00:00:00Z", 2),
            (Fires{"2026-02-27T00:00:00+00:00", "2026-05-29T00:00:00+00:00"}));
  // 30W in February never happens.
  EXPECT_NE(error_of("0 0 30W 2 *").find("can never fire"), std::string::npos);
}

TEST(Extras, LastAndNthWeekday) {
  // Last Friday: 2026-01-30, 2026-02-27.
  EXPECT_EQ(fires("0 0 * * 5L", "UTC", "2026-01-01T00:00:00Z", 2),
            (Fires{"2026-01-30T00:00:00+00:00", "2026-02-27T00:00:00+00:00"}));
  EXPECT_EQ(fires("0 0 ? * FRIL", "UTC", "2026-01-01T00:00:00Z", 1), Fires{"2026-01-30T00:00:00+00:00"});
  // Last Sunday written as 7L and 0L.
  EXPECT_EQ(fires("0 0 * * 7L", "UTC", "2026-01-01T00:00:00Z", 1), Fires{"2026-01-25T00:00:00+00:00"});
  // Second Tuesday: 2026-01-13, 2026-02-10.
  EXPECT_EQ(fires("0 0 * * 2#2", "UTC", "2026-01-01T00:00:00Z", 2),
            (Fires{"2026-01-13T00:00:00+00:00", "2026-02-10T00:00:00+00:00"}));
  EXPECT_EQ(fires("0 0 * * tue#2", "UTC", "2026-01-01T00:00:00Z", 1), Fires{"2026-01-13T00:00:00+00:00"});
  // Fifth Thursday: only in months that have one (2026-01-29, 2026-04-30).
  EXPECT_EQ(fires("0 0 * * 4#5", "UTC", "2026-01-01T00:00:00Z", 2),
            (Fires{"2026-01-29T00:00:00+00:00", "2026-04-30T00:00:00+00:00"}));
  // A fifth Monday in February needs a leap year starting on a Monday: 2016, 2044.
  EXPECT_EQ(fires("0 0 * 2 1#5", "UTC", "2017-01-01T00:00:00Z", 1), Fires{"2044-02-29T00:00:00+00:00"});
  // With a restricted day of month, either field matching is enough.
  EXPECT_EQ(fires("0 0 1 * 5L", "UTC", "2026-01-02T00:00:00Z", 2),
            (Fires{"2026-01-30T00:00:00+00:00", "2026-02-01T00:00:00+00:00"}));
  // Lists mixing plain days with extras.
  EXPECT_EQ(fires("0 0 * * 1#1,5L", "UTC", "2026-01-01T00:00:00Z", 3),
            (Fires{"2026-01-05T00:00:00+00:00", "2026-01-30T00:00:00+00:00", "2026-02-02T00:00:00+00:00"}));
}

// Brute force over days for random specs made of the extras.
TEST(Extras, RandomExtrasMatchADayByDayReference) {
  std::uint64_t x = 0xD1B54A32D192ED03ULL;
  auto rand = [&](std::uint64_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % n;
  };
  const char* dom_items[] = {"L", "L-1", "L-3", "LW", "1W", "15W", "30W", "31W", "1", "15", "29", "31", "*", "?"};
  const char* dow_items[] = {"5L", "0L", "7L", "1#1", "3#3", "6#5", "0#5", "2", "7", "*", "?", "MON#2"};
  int compared = 0;
  for (int i = 0; i < 300; ++i) {
    const std::string dom = dom_items[rand(std::size(dom_items))];
    const std::string dow = dow_items[rand(std::size(dow_items))];
    const std::string month = rand(3) == 0 ? "2" : "*";
    const std::string spec = "0 0 " + dom + " " + month + " " + dow;
    std::unique_ptr<Schedule> schedule;
    try {
      schedule = parse_schedule(spec, TimeZone::utc());
    } catch (const ScheduleError& e) {
      EXPECT_NE(std::string(e.what()).find("can never fire"), std::string::npos) << spec << ": " << e.what();
      continue;
    }
    // Reference: the day fields as independent predicates.
    const auto matches = [&](std::chrono::sys_days day) {
      const std::chrono::year_month_day date{day};
      const int d = int(unsigned(date.day()));
      const int length = int(unsigned((date.year() / date.month() / std::chrono::last).day()));
      const int wd = int(std::chrono::weekday{day}.c_encoding());
      if (month == "2" && unsigned(date.month()) != 2) return false;
      const auto weekday_of = [&](int dd) { return (wd - (d - dd) % 7 + 14) % 7; };
      bool dom_ok = false;
      if (dom == "*" || dom == "?") dom_ok = true;
      else if (dom == "L") dom_ok = d == length;
      else if (dom.starts_with("L-")) dom_ok = d == length - std::stoi(dom.substr(2));
      else if (dom.ends_with("W")) {
        int n = dom == "LW" ? length : std::stoi(dom);
        if (n <= length) {
          const int w = weekday_of(n);
          if (w == 6) n = n == 1 ? 3 : n - 1;
          else if (w == 0) n = n == length ? n - 2 : n + 1;
          dom_ok = d == n;
        }
      } else dom_ok = d == std::stoi(dom);
      bool dow_ok = false;
      if (dow == "*" || dow == "?") dow_ok = true;
      else if (dow.ends_with("L")) dow_ok = wd == std::stoi(dow) % 7 && d + 7 > length;
      else if (dow.find('#') != std::string::npos) {
        const int w = dow.starts_with("MON") ? 1 : std::stoi(dow) % 7;
        const int k = std::stoi(dow.substr(dow.find('#') + 1));
        dow_ok = wd == w && (d - 1) / 7 + 1 == k;
      } else dow_ok = wd == std::stoi(dow) % 7;
      const bool dom_star = dom == "*" || dom == "?";
      const bool dow_star = dow == "*" || dow == "?";
      return dom_star || dow_star ? dom_ok && dow_ok : dom_ok || dow_ok;
    };
    const sys_seconds from{std::chrono::seconds{946684800 + static_cast<std::int64_t>(rand(3155760000ULL))}};
    std::chrono::sys_days day = std::chrono::floor<days>(from) + days{1};
    int steps = 0;
    while (!matches(day) && steps < 366 * 60) {
      day += days{1};
      ++steps;
    }
    ASSERT_LT(steps, 366 * 60) << spec;
    ++compared;
    EXPECT_EQ(schedule->next(from), sys_seconds{day}) << spec << " after " << format_iso8601(from, TimeZone::utc());
  }
  EXPECT_GT(compared, 200);
}

TEST(Extras, FixedTimeIsDetectedFromTheTimeFields) {
  const auto fixed = [](std::string_view fields) { return parse_cron_fields(fields, fields).fixed_time; };
  EXPECT_TRUE(fixed("30 2 * * *"));
  EXPECT_TRUE(fixed("0 30 2 * * *"));
  EXPECT_TRUE(fixed("0,30 1-3 * * *"));
  EXPECT_TRUE(fixed("0 0 0 L * 5#2"));
  EXPECT_FALSE(fixed("* 2 * * *"));
  EXPECT_FALSE(fixed("0 * * * *"));
  EXPECT_FALSE(fixed("*/15 2 * * *"));
  EXPECT_FALSE(fixed("0 2/3 * * *"));
  EXPECT_FALSE(fixed("0 ? * * *"));
  EXPECT_FALSE(fixed("* 0 2 * * *")) << "the seconds field counts too";
}

// ---------------------------------------------------------------------------
// DST: cronie's rules

constexpr const char* kNewYork = "America/New_York";

TEST(Dst, SpringForwardFixedTimeRunsAtTheEndOfTheGap) {
  // 2026-03-08 02:00 EST -> 03:00 EDT.
  EXPECT_EQ(fires("30 2 * * *", kNewYork, "2026-03-07T12:00:00-05:00", 3),
            (Fires{"2026-03-08T03:00:00-04:00",
                   "2026-03-09T02:30:00-04:00", "2026-03-10T02:30:00-04:00"}));
  // Several skipped times make one fire; an existing 03:00 is the same instant.
  EXPECT_EQ(fires("0,15,45 2 * * *", kNewYork, "2026-03-08T00:00:00-05:00", 2),
            (Fires{"2026-03-08T03:00:00-04:00", "2026-03-09T02:00:00-04:00"}));
  EXPECT_EQ(fires("30 2,3 * * *", kNewYork, "2026-03-08T00:00:00-05:00", 3),
            (Fires{"2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00", "2026-03-09T02:30:00-04:00"}));
  // With seconds.
  EXPECT_EQ(fires("10 59 2 * * *", kNewYork, "2026-03-08T00:00:00-05:00", 1), Fires{"2026-03-08T03:00:00-04:00"});
  // From inside the day but before the change, and exactly one second before it.
  EXPECT_EQ(fires("30 2 * * *", kNewYork, "2026-03-08T01:59:59-05:00", 1), Fires{"2026-03-08T03:00:00-04:00"});
  // After the change has happened, the gap's fire is in the past.
  EXPECT_EQ(fires("30 2 * * *", kNewYork, "2026-03-08T03:00:00-04:00", 1), Fires{"2026-03-09T02:30:00-04:00"});
}

TEST(Dst, SpringForwardElapsedTimeSkipsTheGap) {
  EXPECT_EQ(fires("*/30 * * * *", kNewYork, "2026-03-08T01:00:00-05:00", 3),
            (Fires{"2026-03-08T01:30:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T03:30:00-04:00"}));
  EXPECT_EQ(fires("0 * * * *", kNewYork, "2026-03-08T00:30:00-05:00", 3),
            (Fires{"2026-03-08T01:00:00-05:00", "2026-03-08T03:00:00-04:00", "2026-03-08T04:00:00-04:00"}));
  EXPECT_EQ(fires("@hourly", kNewYork, "2026-03-08T01:30:00-05:00", 1), Fires{"2026-03-08T03:00:00-04:00"});
  // `*` in the minute field: elapsed time, so 02:xx never fires that day.
  EXPECT_EQ(fires("* 2 * * *", kNewYork, "2026-03-08T00:00:00-05:00", 1), Fires{"2026-03-09T02:00:00-04:00"});
}

TEST(Dst, FallBackFixedTimeRunsOnceAtTheFirstOccurrence) {
  // 2026-11-01 02:00 EDT -> 01:00 EST.
  EXPECT_EQ(fires("30 1 * * *", kNewYork, "2026-11-01T00:00:00-04:00", 2),
            (Fires{"2026-11-01T01:30:00-04:00", "2026-11-02T01:30:00-05:00"}));
  // Starting inside the repeated hour, after the first 01:30 or before the second.
  EXPECT_EQ(fires("30 1 * * *", kNewYork, "2026-11-01T01:45:00-04:00", 1), Fires{"2026-11-02T01:30:00-05:00"});
  EXPECT_EQ(fires("30 1 * * *", kNewYork, "2026-11-01T01:10:00-05:00", 1), Fires{"2026-11-02T01:30:00-05:00"});
  // robfig's own case, with the fixed-time rule.
  EXPECT_EQ(fires("0 30 1 04 Nov ?", kNewYork, "2012-11-04T01:45:00-04:00", 1), Fires{"2013-11-04T01:30:00-05:00"});
  // 02:00 is not repeated (01:59:59 EDT is followed by 01:00 EST).
  EXPECT_EQ(fires("0 2 * * *", kNewYork, "2026-11-01T00:00:00-04:00", 1), Fires{"2026-11-01T02:00:00-05:00"});
  EXPECT_EQ(fires("0 1 * * *", kNewYork, "2026-11-01T00:00:00-04:00", 2),
            (Fires{"2026-11-01T01:00:00-04:00", "2026-11-02T01:00:00-05:00"}));
}

TEST(Dst, FallBackElapsedTimeRunsInBothOccurrences) {
  EXPECT_EQ(fires("0 * * * *", kNewYork, "2026-11-01T00:00:00-04:00", 3),
            (Fires{"2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00"}));
  EXPECT_EQ(fires("30 * * * *", kNewYork, "2026-11-01T01:45:00-04:00", 2),
            (Fires{"2026-11-01T01:30:00-05:00", "2026-11-01T02:30:00-05:00"}));
  EXPECT_EQ(fires("@hourly", kNewYork, "2026-11-01T00:30:00-04:00", 3),
            (Fires{"2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T02:00:00-05:00"}));
  EXPECT_EQ(fires("*/20 1 * * *", kNewYork, "2026-11-01T01:30:00-04:00", 4),
            (Fires{"2026-11-01T01:40:00-04:00", "2026-11-01T01:00:00-05:00", "2026-11-01T01:20:00-05:00",
                   "2026-11-01T01:40:00-05:00"}));
}

TEST(Dst, LordHoweShiftsByThirtyMinutes) {
  constexpr const char* kLordHowe = "Australia/Lord_Howe";
  // 2026-10-04 02:00 +10:30 -> 02:30 +11:00.
  EXPECT_EQ(fires("15 2 * * *", kLordHowe, "2026-10-03T12:00:00+10:30", 2),
            (Fires{"2026-10-04T02:30:00+11:00", "2026-10-05T02:15:00+11:00"}));
  EXPECT_EQ(fires("*/15 * * * *", kLordHowe, "2026-10-04T01:40:00+10:30", 3),
            (Fires{"2026-10-04T01:45:00+10:30", "2026-10-04T02:30:00+11:00", "2026-10-04T02:45:00+11:00"}));
  // 2026-04-05 02:00 +11:00 -> 01:30 +10:30: 01:30-01:59 repeats.
  EXPECT_EQ(fires("45 1 * * *", kLordHowe, "2026-04-05T00:00:00+11:00", 2),
            (Fires{"2026-04-05T01:45:00+11:00", "2026-04-06T01:45:00+10:30"}));
  EXPECT_EQ(fires("*/15 * * * *", kLordHowe, "2026-04-05T01:20:00+11:00", 5),
            (Fires{"2026-04-05T01:30:00+11:00", "2026-04-05T01:45:00+11:00", "2026-04-05T01:30:00+10:30",
                   "2026-04-05T01:45:00+10:30", "2026-04-05T02:00:00+10:30"}));
}

TEST(Dst, SaoPauloMidnightDoesNotExist) {
  constexpr const char* kSaoPaulo = "America/Sao_Paulo";
  // 2018-11-04 00:00 -03 -> 01:00 -02: that day starts at 01:00.
  EXPECT_EQ(fires("0 0 * * *", kSaoPaulo, "2018-11-03T12:00:00-03:00", 2),
            (Fires{"2018-11-04T01:00:00-02:00", "2018-11-05T00:00:00-02:00"}));
  EXPECT_EQ(fires("@daily", kSaoPaulo, "2018-11-03T12:00:00-03:00", 1), Fires{"2018-11-04T01:00:00-02:00"});
  EXPECT_EQ(fires("30 0 4 11 *", kSaoPaulo, "2018-11-01T00:00:00-03:00", 1), Fires{"2018-11-04T01:00:00-02:00"});
  EXPECT_EQ(fires("0 * * * *", kSaoPaulo, "2018-11-03T22:30:00-03:00", 3),
            (Fires{"2018-11-03T23:00:00-03:00", "2018-11-04T01:00:00-02:00", "2018-11-04T02:00:00-02:00"}));
  // 2019-02-17 00:00 -02 -> 2019-02-16 23:00 -03: 23:xx of the 16th repeats.
  EXPECT_EQ(fires("30 23 * * *", kSaoPaulo, "2019-02-16T12:00:00-02:00", 2),
            (Fires{"2019-02-16T23:30:00-02:00", "2019-02-17T23:30:00-03:00"}));
  EXPECT_EQ(fires("0 * * * *", kSaoPaulo, "2019-02-16T22:30:00-02:00", 3),
            (Fires{"2019-02-16T23:00:00-02:00", "2019-02-16T23:00:00-03:00", "2019-02-17T00:00:00-03:00"}));
  EXPECT_EQ(fires("0 0 * * *", kSaoPaulo, "2019-02-16T12:00:00-02:00", 1), Fires{"2019-02-17T00:00:00-03:00"});
}

TEST(Dst, EveryCountsElapsedTimeAcrossTransitions) {
  EXPECT_EQ(fires("@every 30m", kNewYork, "2026-03-08T01:15:00-05:00", 3),
            (Fires{"2026-03-08T01:45:00-05:00", "2026-03-08T03:15:00-04:00", "2026-03-08T03:45:00-04:00"}));
  EXPECT_EQ(fires("@every 1h", kNewYork, "2026-11-01T00:30:00-04:00", 3),
            (Fires{"2026-11-01T01:30:00-04:00", "2026-11-01T01:30:00-05:00", "2026-11-01T02:30:00-05:00"}));
  EXPECT_EQ(fires("@every 24h", kNewYork, "2026-03-07T12:00:00-05:00", 1), Fires{"2026-03-08T13:00:00-04:00"});
}

TEST(Dst, SkippedCalendarDay) {
  // Samoa skipped 2011-12-30 (UTC-10 -> UTC+14): a fixed-time job of that
  // day runs at the first instant after the gap.
  EXPECT_EQ(fires("0 12 30 12 *", "Pacific/Apia", "2011-12-29T00:00:00-10:00", 2),
            (Fires{"2011-12-31T00:00:00+14:00", "2012-12-30T12:00:00+14:00"}));
  EXPECT_EQ(fires("0 12 * * *", "Pacific/Apia", "2011-12-29T13:00:00-10:00", 1), Fires{"2011-12-31T00:00:00+14:00"});
  EXPECT_EQ(fires("0 * * * *", "Pacific/Apia", "2011-12-29T23:30:00-10:00", 1), Fires{"2011-12-31T00:00:00+14:00"});
  EXPECT_EQ(fires("0 12 * * *", "Pacific/Apia", "2011-12-31T00:00:00+14:00", 1), Fires{"2011-12-31T12:00:00+14:00"});
}

}  // namespace
}  // namespace jobhost::schedule
