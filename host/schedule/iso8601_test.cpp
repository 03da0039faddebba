#include "schedule/iso8601.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>

#include "jobhost/error.hpp"
#include "schedule/scoped_time_zone.hpp"

namespace jobhost::schedule {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

sys_seconds parse(std::string_view text) { return parse_iso8601(text, "--from"); }

std::string error_of(std::string_view text) {
  try {
    parse_iso8601(text, "--from");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

constexpr const char* kExpected =
    "(expected YYYY-MM-DDTHH:MM:SS followed by Z or +HH:MM, e.g. 2026-03-09T09:00:00+01:00)";

TEST(ParseIso8601, UtcAndOffsets) {
  const sys_seconds nine = sys_days{std::chrono::year{2026} / 3 / 9} + 9h;
  EXPECT_EQ(parse("2026-03-09T09:00:00Z"), nine);
  EXPECT_EQ(parse("2026-03-09T09:00:00+00:00"), nine);
  EXPECT_EQ(parse("2026-03-09T09:00:00-00:00"), nine);
  EXPECT_EQ(parse("2026-03-09T10:00:00+01:00"), nine);
  EXPECT_EQ(parse("2026-03-09T04:00:00-05:00"), nine);
  EXPECT_EQ(parse("2026-03-09T14:30:00+05:30"), nine);
  EXPECT_EQ(parse("2026-03-08T19:00:00-14:00"), nine);
  EXPECT_EQ(parse("2026-03-10T08:59:00+23:59"), nine);
  EXPECT_EQ(parse("1970-01-01T00:00:00Z"), sys_seconds{});
  EXPECT_EQ(parse("1969-12-31T23:59:59Z"), sys_seconds{-1s});
  EXPECT_EQ(parse("0000-01-01T00:00:00Z"), sys_days{std::chrono::year{0} / 1 / 1});
  EXPECT_EQ(parse("9999-12-31T23:59:59Z"), sys_days{std::chrono::year{9999} / 12 / 31} + 86399s);
}

TEST(ParseIso8601, FractionsAreTruncated) {
  const sys_seconds t = parse("2026-03-09T09:00:00Z");
  EXPECT_EQ(parse("2026-03-09T09:00:00.0Z"), t);
  EXPECT_EQ(parse("2026-03-09T09:00:00.999Z"), t);
  EXPECT_EQ(parse("2026-03-09T09:00:00.123456789012345678901234567890+00:00"), t);
  EXPECT_EQ(parse("2026-03-09T10:00:00.5+01:00"), t);
}

TEST(ParseIso8601, LeapYears) {
  EXPECT_NO_THROW(parse("2024-02-29T00:00:00Z"));
  EXPECT_NO_THROW(parse("2000-02-29T00:00:00Z"));
  EXPECT_NE(error_of("2026-02-29T00:00:00Z").find("day 29 is out of range 1-28"), std::string::npos);
  EXPECT_NE(error_of("2100-02-29T00:00:00Z").find("day 29 is out of range 1-28"), std::string::npos);
  EXPECT_NE(error_of("1900-02-29T00:00:00Z").find("day 29 is out of range 1-28"), std::string::npos);
}

TEST(ParseIso8601, RejectsOutOfRangeFields) {
  struct Case {
    const char* text;
    const char* problem;
  };
  for (const Case& c : {Case{"2026-13-01T00:00:00Z", "month 13 is out of range 1-12"},
                        Case{"2026-00-01T00:00:00Z", "month 0 is out of range 1-12"},
                        Case{"2026-02-30T00:00:00Z", "day 30 is out of range 1-28"},
                        Case{"2026-04-31T00:00:00Z", "day 31 is out of range 1-30"},
                        Case{"2026-01-00T00:00:00Z", "day 0 is out of range 1-31"},
                        Case{"2026-01-32T00:00:00Z", "day 32 is out of range 1-31"},
                        Case{"2026-01-01T24:00:00Z", "hour 24 is out of range 0-23"},
                        Case{"2026-01-01T00:60:00Z", "minute 60 is out of range 0-59"},
                        Case{"2026-01-01T00:00:60Z", "second 60 is out of range 0-59"},
                        Case{"2026-01-01T00:00:00+24:00", "offset hour 24 is out of range 0-23"},
                        Case{"2026-01-01T00:00:00-05:60", "offset minute 60 is out of range 0-59"}}) {
    EXPECT_EQ(error_of(c.text), std::string("--from: \"") + c.text + "\" is not a valid time: " + c.problem + " " +
                                    kExpected);
  }
}

TEST(ParseIso8601, RejectsOtherForms) {
  EXPECT_EQ(error_of("yesterday"), std::string("--from: \"yesterday\" is not an ISO 8601 time ") + kExpected);
  for (const char* text : {"",
                           "2026-03-09",
                           "2026-03-09T09:00:00",
                           "2026-03-09T09:00Z",
                           "2026-03-09 09:00:00Z",
                           "2026-03-09t09:00:00Z",
                           "2026-03-09T09:00:00z",
                           "2026-03-09T09:00:00+0100",
                           "2026-03-09T09:00:00+01",
                           "2026-03-09T09:00:00+1:00",
                           "2026-03-09T09:00:00.Z",
                           "2026-03-09T09:00:00,5Z",
                           "2026-03-09T09:00:00ZZ",
                           "2026-03-09T09:00:00Z ",
                           " 2026-03-09T09:00:00Z",
                           "2026-3-09T09:00:00Z",
                           "26-03-09T09:00:00Z",
                           "+2026-03-09T09:00:00Z",
                           "2026/03/09T09:00:00Z",
                           "2026-03-09T09:00:00+01:00:00",
                           "2026-03-09T09:00:00UTC",
                           "2026-03-09T09:0a:00Z",
                           "2026-03-09T09:00:00\xC2\xB1"
                           "01:00",
                           "\x01\x02"}) {
    const std::string message = error_of(text);
    EXPECT_EQ(message.rfind("--from: \"", 0), 0u) << "accepted \"" << text << "\"";
    EXPECT_NE(message.find("is not an ISO 8601 time"), std::string::npos) << message;
    EXPECT_NE(message.find(kExpected), std::string::npos) << message;
  }
}

TEST(FormatIso8601Local, Utc) {
  ScopedTimeZone zone("UTC");
  EXPECT_EQ(format_iso8601_local(parse("2026-03-09T09:00:00Z")), "2026-03-09T09:00:00+00:00");
  EXPECT_EQ(format_iso8601_local(sys_seconds{}), "1970-01-01T00:00:00+00:00");
  EXPECT_EQ(format_iso8601_local(sys_seconds{-1s}), "1969-12-31T23:59:59+00:00");
  EXPECT_EQ(format_iso8601_local(parse("0000-01-01T00:00:00Z")), "0000-01-01T00:00:00+00:00");
  EXPECT_EQ(format_iso8601_local(sys_days{std::chrono::year{-1} / 12 / 31}), "-0001-12-31T00:00:00+00:00");
  EXPECT_EQ(format_iso8601_local(sys_days{std::chrono::year{10000} / 1 / 1}), "+10000-01-01T00:00:00+00:00");
  EXPECT_THROW(format_iso8601_local(sys_seconds{std::chrono::seconds{INT64_MAX}}), std::out_of_range);
  EXPECT_THROW(format_iso8601_local(sys_seconds{std::chrono::seconds{INT64_MIN}}), std::out_of_range);
}

TEST(FormatIso8601Local, LocalOffsets) {
  {
    ScopedTimeZone zone("America/New_York");
    EXPECT_EQ(format_iso8601_local(parse("2026-01-15T12:00:00Z")), "2026-01-15T07:00:00-05:00");
    EXPECT_EQ(format_iso8601_local(parse("2026-07-15T12:00:00Z")), "2026-07-15T08:00:00-04:00");
  }
  {
    ScopedTimeZone zone("Asia/Kolkata");
    EXPECT_EQ(format_iso8601_local(parse("2026-03-09T09:00:00Z")), "2026-03-09T14:30:00+05:30");
  }
  {
    ScopedTimeZone zone("America/St_Johns");
    EXPECT_EQ(format_iso8601_local(parse("2026-01-09T09:00:00Z")), "2026-01-09T05:30:00-03:30");
  }
  {
    const TimeZone zone = TimeZone::named("Asia/Kathmandu");
    EXPECT_EQ(format_iso8601(parse("2026-03-09T09:00:00Z"), zone), "2026-03-09T14:45:00+05:45");
  }
}

TEST(FormatIso8601Local, OffsetsWithSecondsStillRoundTrip) {
  if (!std::filesystem::exists("/usr/share/zoneinfo/America/New_York")) GTEST_SKIP() << "tzdata not installed";
  ScopedTimeZone zone("America/New_York");
  // Before 1883 New York used local mean time, UTC-4:56:02.
  const sys_seconds t = parse("1850-06-01T12:00:00Z");
  const std::string text = format_iso8601_local(t);
  EXPECT_EQ(text, "1850-06-01T07:04:00-04:56");
  EXPECT_EQ(parse(text), t);
}

TEST(Iso8601, RoundTrips) {
  for (const char* tz : {"UTC", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "America/Sao_Paulo"}) {
    ScopedTimeZone zone(tz);
    std::uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < 5000; ++i) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      // 1900..2200
      const sys_seconds t{std::chrono::seconds{-2208988800LL + static_cast<std::int64_t>(x % 9467280000ULL)}};
      const std::string text = format_iso8601_local(t);
      ASSERT_EQ(parse(text), t) << tz << ": " << text;
    }
  }
}

}  // namespace
}  // namespace jobhost::schedule
