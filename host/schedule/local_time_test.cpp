#include "schedule/local_time.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "schedule/iso8601.hpp"
#include "schedule/scoped_time_zone.hpp"

namespace jobhost::schedule {
namespace {

using namespace std::chrono_literals;
using std::chrono::local_days;
using std::chrono::local_seconds;
using std::chrono::sys_seconds;

sys_seconds at(std::string_view iso) { return parse_iso8601(iso, "test"); }

local_seconds reading(int y, unsigned m, unsigned d, std::chrono::seconds time_of_day) {
  return local_days{std::chrono::year{y} / m / d} + time_of_day;
}

// The local-zone helpers follow TZ (an IANA name); TimeZone itself is tested
// with explicit zones in schedule_zone_test.cpp.
constexpr const char* kEastern = "America/New_York";

TEST(LocalTime, Utc) {
  ScopedTimeZone zone("UTC");
  const sys_seconds t = at("2026-03-09T09:00:00Z");
  EXPECT_EQ(TimeZone::local().utc_offset(t), 0s);
  EXPECT_EQ(TimeZone::local().to_local(t).time_since_epoch(), t.time_since_epoch());
  const LocalInstants instants = TimeZone::local().from_local(reading(2026, 3, 9, 9h));
  ASSERT_EQ(instants.count, 1);
  EXPECT_EQ(instants.at[0], t);
}

TEST(LocalTime, ZonesThatNeverChangedKeepTheirOffsetAtAnyInstant) {
  // Kept as a constant rather than looked up; Kolkata changed before 1946.
  for (const char* iso : {"0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "2026-07-15T12:00:00Z",
                          "2999-12-31T23:59:59Z"}) {
    EXPECT_EQ(TimeZone::named("Etc/UTC").utc_offset(at(iso)), 0s) << iso;
    EXPECT_EQ(TimeZone::named("Etc/GMT+5").utc_offset(at(iso)), -5h) << iso;
  }
  EXPECT_EQ(TimeZone::named("Asia/Kolkata").utc_offset(at("2026-07-15T12:00:00Z")), 5h + 30min);
  EXPECT_EQ(TimeZone::named("Asia/Kolkata").utc_offset(at("1943-07-15T12:00:00Z")), 6h + 30min);
}

TEST(LocalTime, OffsetsFollowTheZone) {
  ScopedTimeZone zone(kEastern);
  EXPECT_EQ(TimeZone::local().utc_offset(at("2026-01-15T12:00:00Z")), -5h);
  EXPECT_EQ(TimeZone::local().utc_offset(at("2026-07-15T12:00:00Z")), -4h);
  EXPECT_EQ(TimeZone::local().to_local(at("2026-07-15T12:00:00Z")), reading(2026, 7, 15, 8h));
  // The change happens at 02:00 EST = 07:00 UTC.
  EXPECT_EQ(TimeZone::local().utc_offset(at("2026-03-08T06:59:59Z")), -5h);
  EXPECT_EQ(TimeZone::local().utc_offset(at("2026-03-08T07:00:00Z")), -4h);
}

TEST(LocalTime, FromLocalNormalReading) {
  ScopedTimeZone zone(kEastern);
  const LocalInstants instants = TimeZone::local().from_local(reading(2026, 7, 15, 8h));
  ASSERT_EQ(instants.count, 1);
  EXPECT_EQ(instants.at[0], at("2026-07-15T12:00:00Z"));
}

TEST(LocalTime, FromLocalSkippedReading) {
  ScopedTimeZone zone(kEastern);
  EXPECT_EQ(TimeZone::local().from_local(reading(2026, 3, 8, 2h + 30min)).count, 0);
  EXPECT_EQ(TimeZone::local().from_local(reading(2026, 3, 8, 2h)).count, 0);
  EXPECT_EQ(TimeZone::local().from_local(reading(2026, 3, 8, 3h)).count, 1);
  EXPECT_EQ(TimeZone::local().from_local(reading(2026, 3, 8, 1h + 59min + 59s)).count, 1);
}

TEST(LocalTime, FromLocalRepeatedReading) {
  ScopedTimeZone zone(kEastern);
  const LocalInstants instants = TimeZone::local().from_local(reading(2026, 11, 1, 1h + 30min));
  ASSERT_EQ(instants.count, 2);
  EXPECT_EQ(instants.at[0], at("2026-11-01T05:30:00Z"));
  EXPECT_EQ(instants.at[1], at("2026-11-01T06:30:00Z"));
  EXPECT_EQ(TimeZone::local().from_local(reading(2026, 11, 1, 2h)).count, 1);
}

TEST(LocalTime, TzNamesALocalZone) {
  {
    ScopedTimeZone zone(":Asia/Tokyo");
    EXPECT_EQ(TimeZone::local().name(), "Asia/Tokyo");
  }
  {
    ScopedTimeZone zone("Not/A_Zone");
    EXPECT_NO_THROW(TimeZone::local()) << "an unusable TZ falls back to /etc/localtime or UTC";
  }
}

TEST(LocalTime, OffsetChange) {
  ScopedTimeZone zone(kEastern);
  EXPECT_EQ(TimeZone::local().offset_change(at("2026-03-07T00:00:00Z"), at("2026-03-10T00:00:00Z")), at("2026-03-08T07:00:00Z"));
  EXPECT_EQ(TimeZone::local().offset_change(at("2026-10-31T00:00:00Z"), at("2026-11-03T00:00:00Z")), at("2026-11-01T06:00:00Z"));
}

}  // namespace
}  // namespace jobhost::schedule
