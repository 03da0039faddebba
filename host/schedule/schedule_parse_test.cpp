// parse_schedule: every piece of syntax, and every way to get it wrong.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "schedule/iso8601.hpp"
#include "schedule/schedule.hpp"
#include "schedule/scoped_time_zone.hpp"

namespace jobhost::schedule {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_seconds;

class ScheduleParseTest : public ::testing::Test {
 protected:
  ScopedTimeZone tz_{"UTC"};
};

sys_seconds at(std::string_view iso) { return parse_iso8601(iso, "test"); }

// The fires of `spec` in [from, until).
std::vector<sys_seconds> fires(std::string_view spec, sys_seconds from, sys_seconds until) {
  const auto schedule = parse_schedule(spec);
  std::vector<sys_seconds> out;
  for (sys_seconds t = schedule->next(from - 1s); t < until; t = schedule->next(t)) out.push_back(t);
  return out;
}

std::set<int> range(int lo, int hi, int step = 1) {
  std::set<int> out;
  for (int v = lo; v <= hi; v += step) out.insert(v);
  return out;
}

// The values a field selects, read back from the fires of a spec that has
// that field and `*` (or 0) elsewhere.
std::set<int> seconds_of(const std::string& field) {
  std::set<int> out;
  const auto start = at("2026-01-01T00:00:00Z");
  for (auto t : fires(field + " * * * * *", start, start + 1min)) out.insert(int((t - start).count()));
  return out;
}
std::set<int> minutes_of(const std::string& field) {
  std::set<int> out;
  const auto start = at("2026-01-01T00:00:00Z");
  for (auto t : fires(field + " * * * *", start, start + 1h)) out.insert(int((t - start) / 1min));
  return out;
}
std::set<int> hours_of(const std::string& field) {
  std::set<int> out;
  const auto start = at("2026-01-01T00:00:00Z");
  for (auto t : fires("0 " + field + " * * *", start, start + 24h)) out.insert(int((t - start) / 1h));
  return out;
}
std::set<int> days_of(const std::string& field) {  // January 2026
  std::set<int> out;
  const auto start = at("2026-01-01T00:00:00Z");
  for (auto t : fires("0 0 " + field + " * *", start, at("2026-02-01T00:00:00Z"))) {
    out.insert(int((t - start) / 24h) + 1);
  }
  return out;
}
std::set<int> months_of(const std::string& field) {  // 2026
  std::set<int> out;
  for (auto t : fires("0 0 1 " + field + " *", at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z"))) {
    const std::chrono::year_month_day date{std::chrono::floor<std::chrono::days>(t)};
    out.insert(int(unsigned(date.month())));
  }
  return out;
}
std::set<int> weekdays_of(const std::string& field) {  // 2026-03-01 is a Sunday
  std::set<int> out;
  const auto start = at("2026-03-01T00:00:00Z");
  for (auto t : fires("0 0 * * " + field, start, start + std::chrono::days{7})) out.insert(int((t - start) / 24h));
  return out;
}

std::string error_of(std::string_view spec) {
  try {
    parse_schedule(spec);
  } catch (const ScheduleError& e) {
    return e.what();
  }
  return "";
}

TEST_F(ScheduleParseTest, SpecIsKeptAsWritten) {
  EXPECT_EQ(parse_schedule("*/5 * * * *")->spec(), "*/5 * * * *");
  EXPECT_EQ(parse_schedule("  0 30\t9 * *   MON-FRI \n")->spec(), "  0 30\t9 * *   MON-FRI \n");
  EXPECT_EQ(parse_schedule("@every 15s")->spec(), "@every 15s");
  EXPECT_EQ(parse_schedule("@Daily")->spec(), "@Daily");
}

TEST_F(ScheduleParseTest, ScheduleErrorIsAConfigError) {
  EXPECT_THROW(parse_schedule("nonsense"), ConfigError);
  EXPECT_THROW(parse_schedule("nonsense"), ScheduleError);
}

TEST_F(ScheduleParseTest, SingleValuesAndStars) {
  EXPECT_EQ(seconds_of("7"), std::set<int>{7});
  EXPECT_EQ(seconds_of("*"), range(0, 59));
  EXPECT_EQ(seconds_of("?"), range(0, 59));
  EXPECT_EQ(minutes_of("0"), std::set<int>{0});
  EXPECT_EQ(minutes_of("59"), std::set<int>{59});
  EXPECT_EQ(minutes_of("*"), range(0, 59));
  EXPECT_EQ(minutes_of("05"), std::set<int>{5});
  EXPECT_EQ(minutes_of("0000000000000000000000000005"), std::set<int>{5});
  EXPECT_EQ(hours_of("23"), std::set<int>{23});
  EXPECT_EQ(hours_of("*"), range(0, 23));
  EXPECT_EQ(days_of("31"), std::set<int>{31});
  EXPECT_EQ(days_of("1"), std::set<int>{1});
  EXPECT_EQ(days_of("*"), range(1, 31));
  EXPECT_EQ(days_of("?"), range(1, 31));
  EXPECT_EQ(months_of("12"), std::set<int>{12});
  EXPECT_EQ(months_of("*"), range(1, 12));
  EXPECT_EQ(weekdays_of("0"), std::set<int>{0});
  EXPECT_EQ(weekdays_of("6"), std::set<int>{6});
  EXPECT_EQ(weekdays_of("*"), range(0, 6));
  EXPECT_EQ(weekdays_of("?"), range(0, 6));
}

TEST_F(ScheduleParseTest, FiveFieldsMeanSecondZero) {
  EXPECT_EQ(fires("* * * * *", at("2026-01-01T00:00:00Z"), at("2026-01-01T00:03:00Z")),
            (std::vector{at("2026-01-01T00:00:00Z"), at("2026-01-01T00:01:00Z"), at("2026-01-01T00:02:00Z")}));
}

TEST_F(ScheduleParseTest, EveryMonthName) {
  const char* names[] = {"JAN", "feb", "Mar", "aPR", "MAY", "JUN", "jul", "AUG", "SEP", "OCT", "NOV", "DEC"};
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(months_of(names[i]), std::set<int>{i + 1}) << names[i];
  }
  EXPECT_EQ(months_of("JAN-MAR"), range(1, 3));
  EXPECT_EQ(months_of("nov-dec"), range(11, 12));
  EXPECT_EQ(months_of("JAN,jun,12"), (std::set<int>{1, 6, 12}));
  EXPECT_EQ(months_of("FEB/3"), (std::set<int>{2, 5, 8, 11}));
  EXPECT_EQ(months_of("3-SEP"), range(3, 9));
}

TEST_F(ScheduleParseTest, EveryDayName) {
  const char* names[] = {"SUN", "mon", "Tue", "wED", "THU", "FRI", "sat"};
  for (int i = 0; i < 7; ++i) {
    EXPECT_EQ(weekdays_of(names[i]), std::set<int>{i}) << names[i];
  }
  EXPECT_EQ(weekdays_of("MON-FRI"), range(1, 5));
  EXPECT_EQ(weekdays_of("SUN,SAT"), (std::set<int>{0, 6}));
  EXPECT_EQ(weekdays_of("MON/2"), (std::set<int>{1, 3, 5}));
  EXPECT_EQ(weekdays_of("sun-sat/3"), (std::set<int>{0, 3, 6}));
}

TEST_F(ScheduleParseTest, Ranges) {
  EXPECT_EQ(seconds_of("10-12"), range(10, 12));
  EXPECT_EQ(minutes_of("0-59"), range(0, 59));
  EXPECT_EQ(minutes_of("7-7"), std::set<int>{7});
  EXPECT_EQ(hours_of("9-17"), range(9, 17));
  EXPECT_EQ(days_of("28-31"), range(28, 31));
  EXPECT_EQ(months_of("6-8"), range(6, 8));
  EXPECT_EQ(weekdays_of("1-5"), range(1, 5));
}

TEST_F(ScheduleParseTest, Lists) {
  EXPECT_EQ(seconds_of("0,30"), (std::set<int>{0, 30}));
  EXPECT_EQ(minutes_of("5,1,3"), (std::set<int>{1, 3, 5}));
  EXPECT_EQ(minutes_of("1-3,2-4,59"), (std::set<int>{1, 2, 3, 4, 59}));
  EXPECT_EQ(hours_of("0,12,23"), (std::set<int>{0, 12, 23}));
  EXPECT_EQ(days_of("1,15,31"), (std::set<int>{1, 15, 31}));
}

TEST_F(ScheduleParseTest, Steps) {
  EXPECT_EQ(seconds_of("*/15"), (std::set<int>{0, 15, 30, 45}));
  EXPECT_EQ(minutes_of("*/5"), range(0, 55, 5));
  EXPECT_EQ(minutes_of("?/20"), (std::set<int>{0, 20, 40}));
  EXPECT_EQ(minutes_of("5/15"), (std::set<int>{5, 20, 35, 50}));  // N/STEP: N through the maximum
  EXPECT_EQ(minutes_of("10-30/10"), (std::set<int>{10, 20, 30}));
  EXPECT_EQ(minutes_of("10-31/10"), (std::set<int>{10, 20, 30}));
  EXPECT_EQ(minutes_of("*/1"), range(0, 59));
  EXPECT_EQ(minutes_of("*/59"), (std::set<int>{0, 59}));
  EXPECT_EQ(minutes_of("*/60"), std::set<int>{0});
  EXPECT_EQ(minutes_of("*/999999999"), std::set<int>{0});
  EXPECT_EQ(minutes_of("59/5"), std::set<int>{59});
  EXPECT_EQ(minutes_of("1/1"), range(1, 59));
  EXPECT_EQ(hours_of("*/6"), (std::set<int>{0, 6, 12, 18}));
  EXPECT_EQ(hours_of("1/6"), (std::set<int>{1, 7, 13, 19}));
  EXPECT_EQ(days_of("*/10"), (std::set<int>{1, 11, 21, 31}));
  EXPECT_EQ(days_of("2/10"), (std::set<int>{2, 12, 22}));
  EXPECT_EQ(months_of("*/4"), (std::set<int>{1, 5, 9}));
  EXPECT_EQ(weekdays_of("*/2"), (std::set<int>{0, 2, 4, 6}));
  EXPECT_EQ(weekdays_of("1-5/2"), (std::set<int>{1, 3, 5}));
}

TEST_F(ScheduleParseTest, SixFieldsHaveSecondsFirst) {
  EXPECT_EQ(fires("30 15 10 1 1 *", at("2026-01-01T00:00:00Z"), at("2027-01-01T00:00:00Z")),
            std::vector{at("2026-01-01T10:15:30Z")});
}

TEST_F(ScheduleParseTest, FieldsAreSeparatedByAnyWhitespace) {
  EXPECT_EQ(fires(" \t0\t\t30 9\n*\r* \v* \f", at("2026-01-01T00:00:00Z"), at("2026-01-02T00:00:00Z")),
            std::vector{at("2026-01-01T09:30:00Z")});
}

TEST_F(ScheduleParseTest, Descriptors) {
  const auto from = at("2026-05-17T13:14:15Z");  // a Sunday
  struct Case {
    const char* spec;
    const char* next;
  };
  for (const Case& c : {Case{"@yearly", "2027-01-01T00:00:00+00:00"}, Case{"@annually", "2027-01-01T00:00:00+00:00"},
                        Case{"@monthly", "2026-06-01T00:00:00+00:00"}, Case{"@weekly", "2026-05-24T00:00:00+00:00"},
                        Case{"@daily", "2026-05-18T00:00:00+00:00"}, Case{"@midnight", "2026-05-18T00:00:00+00:00"},
                        Case{"@hourly", "2026-05-17T14:00:00+00:00"}, Case{"@HOURLY", "2026-05-17T14:00:00+00:00"},
                        Case{"@Weekly", "2026-05-24T00:00:00+00:00"}, Case{"  @daily\t", "2026-05-18T00:00:00+00:00"}}) {
    EXPECT_EQ(format_iso8601_local(parse_schedule(c.spec)->next(from)), c.next) << c.spec;
  }
}

TEST_F(ScheduleParseTest, Every) {
  const auto from = at("2026-05-17T13:14:15Z");
  EXPECT_EQ(parse_schedule("@every 15s")->next(from), from + 15s);
  EXPECT_EQ(parse_schedule("@every 1h30m")->next(from), from + 90min);
  EXPECT_EQ(parse_schedule("@EVERY   2m")->next(from), from + 2min);
  EXPECT_EQ(parse_schedule("@every 1s")->next(from), from + 1s);
  // A sub-second remainder is rounded up to the next whole second.
  EXPECT_EQ(parse_schedule("@every 1.5s")->next(from), from + 2s);
  EXPECT_EQ(parse_schedule("@every 1m0.001s")->next(from), from + 61s);
  EXPECT_EQ(parse_schedule("@every 1000ms")->next(from), from + 1s);
}

TEST_F(ScheduleParseTest, RejectsOutOfRangeValues) {
  struct Case {
    const char* spec;
    const char* message;
  };
  for (const Case& c : {
           Case{"61 * * * *", "cron spec \"61 * * * *\": minute field \"61\": 61 is out of range 0-59"},
           Case{"60 * * * * *", "cron spec \"60 * * * * *\": second field \"60\": 60 is out of range 0-59"},
           Case{"* 24 * * *", "cron spec \"* 24 * * *\": hour field \"24\": 24 is out of range 0-23"},
           Case{"* * 0 * *", "cron spec \"* * 0 * *\": day-of-month field \"0\": 0 is out of range 1-31"},
           Case{"* * 32 * *", "cron spec \"* * 32 * *\": day-of-month field \"32\": 32 is out of range 1-31"},
           Case{"* * * 0 *", "cron spec \"* * * 0 *\": month field \"0\": 0 is out of range 1-12"},
           Case{"* * * 13 *", "cron spec \"* * * 13 *\": month field \"13\": 13 is out of range 1-12"},
           Case{"* * * * 8", "cron spec \"* * * * 8\": day-of-week field \"8\": 8 is out of range 0-7"},
           Case{"1,2,99 * * * *", "cron spec \"1,2,99 * * * *\": minute field \"1,2,99\": 99 is out of range 0-59"},
           Case{"0-60 * * * *", "cron spec \"0-60 * * * *\": minute field \"0-60\": 60 is out of range 0-59"},
           Case{"99999999999999999999 * * * *",
                "cron spec \"99999999999999999999 * * * *\": minute field \"99999999999999999999\": "
                "99999999999999999999 is out of range 0-59"},
           Case{"* * * * 1-99999999999",
                "cron spec \"* * * * 1-99999999999\": day-of-week field \"1-99999999999\": "
                "99999999999 is out of range 0-7"},
       }) {
    EXPECT_EQ(error_of(c.spec), c.message) << c.spec;
  }
}

TEST_F(ScheduleParseTest, RejectsMalformedItems) {
  struct Case {
    const char* spec;
    const char* field;  // "minute field \"...\""
    const char* reason;
  };
  for (const Case& c : {
           Case{"*/0 * * * *", "minute field \"*/0\"", "step 0 in \"*/0\" must be at least 1"},
           Case{"5/0 * * * *", "minute field \"5/0\"", "step 0 in \"5/0\" must be at least 1"},
           Case{"* * * * * */00", "day-of-week field \"*/00\"", "step 0 in \"*/00\" must be at least 1"},
           Case{"*/ * * * *", "minute field \"*/\"", "missing step after '/' in \"*/\""},
           Case{"/5 * * * *", "minute field \"/5\"", "missing value before '/' in \"/5\""},
           Case{"*/5/2 * * * *", "minute field \"*/5/2\"", "too many '/' in \"*/5/2\""},
           Case{"*/x * * * *", "minute field \"*/x\"", "step \"x\" is not a number"},
           Case{"*/-1 * * * *", "minute field \"*/-1\"", "step \"-1\" is not a number"},
           Case{"*/99999999999999999999 * * * *", "minute field \"*/99999999999999999999\"",
                "step 99999999999999999999 is too large"},
           Case{"30-10 * * * *", "minute field \"30-10\"", "range \"30-10\" goes backwards (30 is after 10)"},
           Case{"* * * * FRI-MON", "day-of-week field \"FRI-MON\"", "range \"FRI-MON\" goes backwards (5 is after 1)"},
           Case{"* * * DEC-JAN *", "month field \"DEC-JAN\"", "range \"DEC-JAN\" goes backwards (12 is after 1)"},
           Case{"1-2-3 * * * *", "minute field \"1-2-3\"", "too many '-' in \"1-2-3\""},
           Case{"-5 * * * *", "minute field \"-5\"", "missing start of the range \"-5\""},
           Case{"5- * * * *", "minute field \"5-\"", "missing end of the range \"5-\""},
           Case{"*-5 * * * *", "minute field \"*-5\"", "\"*\" cannot be part of a range in \"*-5\""},
           Case{"5-? * * * *", "minute field \"5-?\"", "\"?\" cannot be part of a range in \"5-?\""},
           Case{"1,,2 * * * *", "minute field \"1,,2\"", "empty item in the list"},
           Case{"1, * * * *", "minute field \"1,\"", "empty item in the list"},
           Case{",1 * * * *", "minute field \",1\"", "empty item in the list"},
           Case{", * * * *", "minute field \",\"", "empty item in the list"},
           Case{"x * * * *", "minute field \"x\"", "\"x\" is not a number"},
           Case{"1a * * * *", "minute field \"1a\"", "\"1a\" is not a number"},
           Case{"+5 * * * *", "minute field \"+5\"", "\"+5\" is not a number"},
           Case{"JAN * * * *", "minute field \"JAN\"", "\"JAN\" is not a number"},
           Case{"* MON * * *", "hour field \"MON\"", "\"MON\" is not a number"},
           Case{"* * MON * *", "day-of-month field \"MON\"", "\"MON\" is not a number"},
           Case{"* * * MON *", "month field \"MON\"", "\"MON\" is not a number or a month name (JAN-DEC)"},
           Case{"* * * JANUARY *", "month field \"JANUARY\"", "\"JANUARY\" is not a number or a month name (JAN-DEC)"},
           Case{"* * * * JAN", "day-of-week field \"JAN\"", "\"JAN\" is not a number or a day name (SUN-SAT)"},
           Case{"* * * * MONDAY", "day-of-week field \"MONDAY\"", "\"MONDAY\" is not a number or a day name (SUN-SAT)"},
           Case{"* * * * MO", "day-of-week field \"MO\"", "\"MO\" is not a number or a day name (SUN-SAT)"},
           // Quartz extras used wrongly.
           Case{"* * L/2 * *", "day-of-month field \"L/2\"", "\"L/2\" cannot have a step"},
           Case{"* * 5W/2 * *", "day-of-month field \"5W/2\"", "\"5W/2\" cannot have a step"},
           Case{"* * L-31 * *", "day-of-month field \"L-31\"", "offset 31 in \"L-31\" is out of range 0-30"},
           Case{"* * L- * *", "day-of-month field \"L-\"", "offset \"\" in \"L-\" is not a number"},
           Case{"* * L-x * *", "day-of-month field \"L-x\"", "offset \"x\" in \"L-x\" is not a number"},
           Case{"* * 0W * *", "day-of-month field \"0W\"", "day 0 in \"0W\" is out of range 1-31"},
           Case{"* * 32W * *", "day-of-month field \"32W\"", "day 32 in \"32W\" is out of range 1-31"},
           Case{"* * xW * *", "day-of-month field \"xW\"", "day \"x\" in \"xW\" is not a number"},
           Case{"* * 1-5W * *", "day-of-month field \"1-5W\"", "day \"1-5\" in \"1-5W\" is not a number"},
           Case{"* * LX * *", "day-of-month field \"LX\"", "\"LX\" is not a day, L, L-n, nW or LW"},
           Case{"* * W * *", "day-of-month field \"W\"", "\"W\" is not a number"},
           Case{"* * * * L", "day-of-week field \"L\"", "\"L\" needs a weekday before it"},
           Case{"* * * * 5L/2", "day-of-week field \"5L/2\"", "\"5L/2\" cannot have a step"},
           Case{"* * * * XL", "day-of-week field \"XL\"", "\"X\" is not a number or a day name (SUN-SAT)"},
           Case{"* * * * 8L", "day-of-week field \"8L\"", "8 is out of range 0-7"},
           Case{"* * * * 1-5L", "day-of-week field \"1-5L\"", "a range cannot be used with 'L' in \"1-5L\""},
           Case{"* * * * 1#6", "day-of-week field \"1#6\"", "occurrence 6 in \"1#6\" is out of range 1-5"},
           Case{"* * * * 1#0", "day-of-week field \"1#0\"", "occurrence 0 in \"1#0\" is out of range 1-5"},
           Case{"* * * * 1#", "day-of-week field \"1#\"", "occurrence \"\" in \"1#\" is not a number"},
           Case{"* * * * 1#2#3", "day-of-week field \"1#2#3\"", "occurrence \"2#3\" in \"1#2#3\" is not a number"},
           Case{"* * * * #2", "day-of-week field \"#2\"", "missing weekday before '#' in \"#2\""},
           Case{"* * * * 8#1", "day-of-week field \"8#1\"", "8 is out of range 0-7"},
           Case{"* * * * 1-3#2", "day-of-week field \"1-3#2\"", "a range cannot be used with '#' in \"1-3#2\""},
           Case{"* * * * */2#1", "day-of-week field \"*/2#1\"", "step \"2#1\" is not a number"},
           Case{"L * * * *", "minute field \"L\"", "\"L\" is not a number"},
           Case{"* * * 5L *", "month field \"5L\"", "\"5L\" is not a number or a month name (JAN-DEC)"},
           Case{"\xC3\xA9 * * * *", "minute field \"\xC3\xA9\"", "\"\xC3\xA9\" is not a number"},
           Case{"0 0 1 1 1 \x01", "day-of-week field \"\\x01\"", "\"\\x01\" is not a number or a day name (SUN-SAT)"},
       }) {
    const std::string message = error_of(c.spec);
    EXPECT_EQ(message.rfind("cron spec \"", 0), 0u) << c.spec << ": " << message;
    EXPECT_NE(message.find(std::string(": ") + c.field + ": " + c.reason), std::string::npos)
        << c.spec << "\n  got: " << message;
  }
}

TEST_F(ScheduleParseTest, QuotesTheWholeSpec) {
  EXPECT_EQ(error_of("  0 0 1 1 1 \"x\"  "),
            "cron spec \"  0 0 1 1 1 \\\"x\\\"  \": day-of-week field \"\\\"x\\\"\": \"\\\"x\\\"\" is not a number "
            "or a day name (SUN-SAT)");
}

TEST_F(ScheduleParseTest, RejectsWrongFieldCounts) {
  EXPECT_EQ(error_of("* * * *"),
            "cron spec \"* * * *\": expected 5 fields (minute hour day-of-month month day-of-week) or 6 (second "
            "first), got 4");
  EXPECT_NE(error_of("* * * * * * *").find("got 7"), std::string::npos);
  EXPECT_NE(error_of("*").find("got 1"), std::string::npos);
  EXPECT_NE(error_of("0 0 0 0 0 0 0 0 0 0 0 0 0 0").find("got 14"), std::string::npos);
  EXPECT_NE(error_of("TZ=UTC 0 0 * * * * *").find("got 7"), std::string::npos);
  EXPECT_NE(error_of("0 0 * * * TZ=UTC").find("day-of-week field \"TZ=UTC\""), std::string::npos)
      << "a prefix only counts at the front";
}

TEST_F(ScheduleParseTest, RejectsEmptySpecs) {
  for (const char* spec : {"", " ", "\t\n  "}) {
    const std::string message = error_of(spec);
    EXPECT_NE(message.find("is empty"), std::string::npos) << message;
    EXPECT_NE(message.find("expected 5 or 6 fields"), std::string::npos) << message;
  }
}

TEST_F(ScheduleParseTest, RejectsBadDescriptors) {
  EXPECT_EQ(error_of("@fortnightly"),
            "cron spec \"@fortnightly\": unknown descriptor \"@fortnightly\" (expected @yearly, @annually, @monthly, "
            "@weekly, @daily, @midnight, @hourly or @every DURATION)");
  EXPECT_NE(error_of("@").find("unknown descriptor \"@\""), std::string::npos);
  EXPECT_NE(error_of("@every15s").find("unknown descriptor \"@every15s\""), std::string::npos);
  EXPECT_NE(error_of("@every 2562047h").find("the @every interval must be at most 100 years"), std::string::npos);
  EXPECT_NE(error_of("@reboot").find("unknown descriptor \"@reboot\""), std::string::npos);
  EXPECT_EQ(error_of("@daily 5"), "cron spec \"@daily 5\": descriptor \"@daily\" takes no argument (got \"5\")");
  EXPECT_NE(error_of("0 0 * * * @daily").find("day-of-week field \"@daily\""), std::string::npos);
  EXPECT_NE(error_of("0 @daily * * *").find("hour field \"@daily\""), std::string::npos);
}

TEST_F(ScheduleParseTest, RejectsBadEvery) {
  EXPECT_EQ(error_of("@every"), "cron spec \"@every\": @every needs a duration, e.g. \"@every 15s\"");
  EXPECT_EQ(error_of("@every   "), "cron spec \"@every   \": @every needs a duration, e.g. \"@every 15s\"");
  EXPECT_EQ(error_of("@every abc"),
            "cron spec \"@every abc\": \"abc\" is not a duration (expected e.g. 500ms, 15s, 1h30m)");
  EXPECT_EQ(error_of("@every 500ms"), "cron spec \"@every 500ms\": the @every interval must be at least 1s (got 500ms)");
  EXPECT_EQ(error_of("@every 0s"), "cron spec \"@every 0s\": the @every interval must be at least 1s (got 0s)");
  EXPECT_EQ(error_of("@every 999999999ns"),
            "cron spec \"@every 999999999ns\": the @every interval must be at least 1s (got 999.999999ms)");
  EXPECT_NE(error_of("@every -5s").find("is not a duration"), std::string::npos);
  EXPECT_NE(error_of("@every 1h 30m").find("\"1h 30m\" is not a duration"), std::string::npos);
  EXPECT_NE(error_of("@every 99999999999h").find("too long a duration"), std::string::npos);
}

TEST_F(ScheduleParseTest, RejectsSpecsThatCanNeverFire) {
  for (const char* spec : {"0 0 30 2 *", "0 0 31 4 *", "0 0 31 2,4,6,9,11 *", "0 0 30,31 2 *", "0 0 31 APR ?",
                           "0 0 30-31 FEB */1", "0 0 0 31 6 *", "0 0 31 2-2 *,1", "0 0 30W 2 *", "0 0 31W 4,6 *",
                           "0 0 L-29 2 *", "0 0 L-30 2,4,6 *", "0 0 30W,31 2 ?"}) {
    const std::string message = error_of(spec);
    EXPECT_EQ(message.rfind(std::string("cron spec \"") + spec + "\": can never fire", 0), 0u) << message;
    EXPECT_NE(message.find("month field"), std::string::npos) << message;
    EXPECT_NE(message.find("day-of-month field"), std::string::npos) << message;
  }
  EXPECT_EQ(error_of("0 0 30 2 *"),
            "cron spec \"0 0 30 2 *\": can never fire: no month in the month field \"2\" has a day in the "
            "day-of-month field \"30\"");
  // With the either rule a restricted day-of-week field always finds days,
  // even "the 5th Monday" of February (leap years that start on a Monday).
  EXPECT_NO_THROW(parse_schedule("0 0 30 2 1#5"));
}

TEST_F(ScheduleParseTest, AcceptsRareButPossibleSpecs) {
  // Either rule: Mondays in February do exist.
  EXPECT_NO_THROW(parse_schedule("0 0 30 2 MON"));
  EXPECT_NO_THROW(parse_schedule("0 0 31 4 */2"));
  // Leap days, and a list where one month has the day.
  EXPECT_NO_THROW(parse_schedule("0 0 29 2 *"));
  EXPECT_NO_THROW(parse_schedule("0 0 31 2,4,5 *"));
  EXPECT_NO_THROW(parse_schedule("0 0 31 * *"));
  EXPECT_NO_THROW(parse_schedule("0 0 28-31 2 *"));
  // Quartz extras that can fire, if rarely.
  EXPECT_NO_THROW(parse_schedule("0 0 * 2 1#5"));   // leap Februaries that start on a Monday
  EXPECT_NO_THROW(parse_schedule("0 0 29W 2 *"));   // leap years
  EXPECT_NO_THROW(parse_schedule("0 0 L-28 2 *"));  // the 1st of a leap February
  EXPECT_NO_THROW(parse_schedule("0 0 30W 2 1"));   // the either rule: any Monday in February
  EXPECT_NO_THROW(parse_schedule("0 0 LW 2 *"));
  EXPECT_NO_THROW(parse_schedule("0 0 ? 2 5L"));
}

// Whatever the input, parse_schedule either succeeds or throws ScheduleError,
// and a parsed schedule yields a fire time after the start.
TEST_F(ScheduleParseTest, ArbitraryInputNeverCrashes) {
  const std::string alphabet[] = {"0",  "1",  "5",   "9",   "59", "60",  "*",    "?",     "/",     "-",
                                  ",",  " ",  "\t",  "@",   "L",  "W",   "#",    "MON",   "jan",   "every",
                                  "s",  "ms", ".",   std::string(1, '\0'),  "\xff", "\xC3\xA9", "99999999999999999999",
                                  "@every ", "@daily", "2", "31", "-1",
                                  "TZ=", "CRON_TZ=", "UTC", "America/New_York", "7", "L-", "#5"};
  std::uint64_t x = 0x2545F4914F6CDD1DULL;
  auto rand = [&](std::uint64_t n) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x % n;
  };
  int parsed = 0;
  const auto from = at("2026-01-01T00:00:00Z");
  for (int i = 0; i < 20000; ++i) {
    std::string spec;
    const auto pieces = rand(14);
    for (std::uint64_t p = 0; p < pieces; ++p) spec += alphabet[rand(std::size(alphabet))];
    try {
      const auto schedule = parse_schedule(spec);
      ++parsed;
      EXPECT_GT(schedule->next(from), from) << spec;
    } catch (const ScheduleError&) {
    }
  }
  EXPECT_GT(parsed, 0);
}

}  // namespace
}  // namespace jobhost::schedule
