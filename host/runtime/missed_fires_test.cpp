#include "runtime/missed_fires.hpp"

#include <gtest/gtest.h>

#include "schedule/iso8601.hpp"

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_seconds;

sys_seconds at(const char* iso) { return schedule::parse_iso8601(iso, "test instant"); }

std::unique_ptr<schedule::Schedule> parse(const char* spec) {
  return schedule::parse_schedule(spec, schedule::TimeZone::utc());
}

TEST(MissedFires, NoneWhenTheNextFireIsStillAhead) {
  const auto every_minute = parse("* * * * *");
  const auto missed =
      find_missed_fires(*every_minute, at("2026-01-01T10:00:00Z"), at("2026-01-01T10:00:59Z"), Misfire::once, 60s);
  EXPECT_EQ(missed.count, 0u);
  EXPECT_FALSE(missed.first);
  EXPECT_FALSE(missed.catch_up);
}

TEST(MissedFires, OnceCatchesUpTheLatestWithinTheDeadline) {
  const auto every_minute = parse("* * * * *");
  const auto missed =
      find_missed_fires(*every_minute, at("2026-01-01T10:00:00Z"), at("2026-01-01T10:05:30Z"), Misfire::once, 60s);
  EXPECT_EQ(missed.count, 5u);
  EXPECT_EQ(missed.first, at("2026-01-01T10:01:00Z"));
  EXPECT_EQ(missed.latest, at("2026-01-01T10:05:00Z"));
  EXPECT_EQ(missed.catch_up, at("2026-01-01T10:05:00Z"));
  EXPECT_EQ(describe(missed, *every_minute), "5 fires (2026-01-01T10:01:00+00:00 to 2026-01-01T10:05:00+00:00)");
}

TEST(MissedFires, AFireExactlyNowCounts) {
  const auto every_minute = parse("* * * * *");
  const auto missed =
      find_missed_fires(*every_minute, at("2026-01-01T10:00:00Z"), at("2026-01-01T10:01:00Z"), Misfire::once, 60s);
  EXPECT_EQ(missed.count, 1u);
  EXPECT_EQ(missed.catch_up, at("2026-01-01T10:01:00Z"));
  EXPECT_EQ(describe(missed, *every_minute), "1 fire (2026-01-01T10:01:00+00:00)");
}

TEST(MissedFires, SkipNeverCatchesUp) {
  const auto every_minute = parse("* * * * *");
  const auto missed =
      find_missed_fires(*every_minute, at("2026-01-01T10:00:00Z"), at("2026-01-01T10:05:30Z"), Misfire::skip, 60s);
  EXPECT_EQ(missed.count, 5u);
  EXPECT_FALSE(missed.catch_up);
}

TEST(MissedFires, TheLatestOutsideTheDeadlineIsSkipped) {
  const auto daily = parse("0 9 * * *");
  const auto missed =
      find_missed_fires(*daily, at("2026-01-01T08:00:00Z"), at("2026-01-01T10:00:01Z"), Misfire::once, 1h);
  EXPECT_EQ(missed.latest, at("2026-01-01T09:00:00Z"));
  EXPECT_FALSE(missed.catch_up);
  const auto in_time =
      find_missed_fires(*daily, at("2026-01-01T08:00:00Z"), at("2026-01-01T10:00:00Z"), Misfire::once, 1h);
  EXPECT_EQ(in_time.catch_up, at("2026-01-01T09:00:00Z"));
}

TEST(MissedFires, FindsTheLatestOfMillionsWithoutWalkingThem) {
  const auto every_second = parse("* * * * * *");
  const auto missed =
      find_missed_fires(*every_second, at("2000-01-01T00:00:00Z"), at("2026-06-01T12:34:56Z"), Misfire::once, 1h);
  EXPECT_EQ(missed.count, MissedFires::kMaxCounted);
  EXPECT_EQ(missed.latest, at("2026-06-01T12:34:56Z"));
  EXPECT_EQ(missed.catch_up, at("2026-06-01T12:34:56Z"));
  EXPECT_EQ(describe(missed, *every_second).substr(0, 16), "more than 10000 ");
}

TEST(MissedFires, IrregularSchedulesFindTheirLatest) {
  // The last weekday of the month, over a year of downtime.
  const auto last_weekday = parse("0 12 LW * *");
  const auto missed =
      find_missed_fires(*last_weekday, at("2025-01-01T00:00:00Z"), at("2026-03-01T00:00:00Z"), Misfire::once, 1h);
  EXPECT_EQ(missed.count, 14u);
  EXPECT_EQ(missed.latest, at("2026-02-27T12:00:00Z"));
  EXPECT_FALSE(missed.catch_up);
}

TEST(MissedFires, LatestFireAtOrBefore) {
  EXPECT_EQ(latest_fire_at_or_before(*parse("0 9 * * *"), at("2026-01-01T08:59:59Z")), at("2025-12-31T09:00:00Z"));
  EXPECT_EQ(latest_fire_at_or_before(*parse("0 9 * * *"), at("2026-01-01T09:00:00Z")), at("2026-01-01T09:00:00Z"));
  EXPECT_EQ(latest_fire_at_or_before(*parse("0 0 29 2 *"), at("2104-02-28T00:00:00Z")), at("2096-02-29T00:00:00Z"));
}

TEST(MissedFires, DefaultStartingDeadlineIsThePeriodUpToAnHour) {
  const auto now = at("2026-01-01T10:00:30Z");
  EXPECT_EQ(default_starting_deadline(*parse("*/10 * * * * *"), now), 10s);
  EXPECT_EQ(default_starting_deadline(*parse("*/5 * * * *"), now), 5min);
  EXPECT_EQ(default_starting_deadline(*parse("@daily"), now), 1h);
  EXPECT_EQ(default_starting_deadline(*parse("@every 90m"), now), 1h);
}

// @every counts each fire from the one before: the fire caught up is the
// one missed, never the next one, which lies ahead (and must still run).
TEST(MissedFires, EveryCatchesUpTheFireItMissedNotTheNextOne) {
  const auto every_15s = parse("@every 15s");
  const auto missed =
      find_missed_fires(*every_15s, at("2026-01-01T16:12:41Z"), at("2026-01-01T16:13:05Z"), Misfire::once, 15s);
  EXPECT_EQ(missed.count, 1u);
  EXPECT_EQ(missed.first, at("2026-01-01T16:12:56Z"));
  EXPECT_EQ(missed.latest, at("2026-01-01T16:12:56Z"));
  EXPECT_EQ(missed.catch_up, at("2026-01-01T16:12:56Z"));
}

TEST(MissedFires, EveryCountsSeveralMissedFiresFromTheLastOne) {
  const auto every_15s = parse("@every 15s");
  const auto missed =
      find_missed_fires(*every_15s, at("2026-01-01T16:12:41Z"), at("2026-01-01T16:14:00Z"), Misfire::once, 15s);
  EXPECT_EQ(missed.count, 5u);  // :56, :11, :26, :41, :56
  EXPECT_EQ(missed.latest, at("2026-01-01T16:13:56Z"));
  EXPECT_EQ(missed.catch_up, at("2026-01-01T16:13:56Z"));
}

// More fires than are walked: the latest is still at or before now.
TEST(MissedFires, EveryWithMoreFiresThanAreWalkedNeverCatchesUpAFutureOne) {
  const auto every_7s = parse("@every 7s");
  const auto now = at("2026-01-02T16:00:00Z");
  const auto missed = find_missed_fires(*every_7s, at("2026-01-01T00:00:00Z"), now, Misfire::once, 7s);
  EXPECT_EQ(missed.count, MissedFires::kMaxCounted);
  ASSERT_TRUE(missed.latest);
  EXPECT_LE(*missed.latest, now);
  EXPECT_GT(*missed.latest, now - 7s);
  EXPECT_EQ(missed.catch_up, missed.latest);
}

TEST(MissedFires, SkipAndAnOldLatestNeverCatchUpForEvery) {
  const auto every_15s = parse("@every 15s");
  const auto after = at("2026-01-01T16:12:41Z");
  EXPECT_FALSE(find_missed_fires(*every_15s, after, at("2026-01-01T16:13:05Z"), Misfire::skip, 15s).catch_up);
  const auto old = find_missed_fires(*every_15s, after, at("2026-01-01T16:13:20Z"), Misfire::once, 5s);
  EXPECT_EQ(old.latest, at("2026-01-01T16:13:11Z"));
  EXPECT_FALSE(old.catch_up) << "9 s old, deadline 5 s";
}

}  // namespace
}  // namespace jobhost::runtime
