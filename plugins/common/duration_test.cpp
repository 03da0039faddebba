#include "common/duration.hpp"

#include <gtest/gtest.h>

#include <string>

namespace plugin_common {
namespace {

using namespace std::chrono_literals;

std::chrono::milliseconds parse(std::string_view text) { return parse_duration(text, "stall-after"); }

// The message of the ConfigError that parsing `text` throws, or "".
std::string error_of(std::string_view text) {
  try {
    parse(text);
  } catch (const jobhost::ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(PluginDuration, ParsesEveryUnitAndCombinations) {
  EXPECT_EQ(parse("500ms"), 500ms);
  EXPECT_EQ(parse("30s"), 30s);
  EXPECT_EQ(parse("15m"), 15min);
  EXPECT_EQ(parse("1h"), 1h);
  EXPECT_EQ(parse("1h30m"), 90min);
  EXPECT_EQ(parse("1m30s250ms"), 90250ms);
  EXPECT_EQ(parse("90s"), 90s);
}

TEST(PluginDuration, AcceptsDecimalsAsTheHostDoes) {
  EXPECT_EQ(parse("1.5h"), 90min);
  EXPECT_EQ(parse(".5s"), 500ms);
  EXPECT_EQ(parse("2.25m"), 135s);
  EXPECT_EQ(parse("1.0000000001s"), 1s);  // below a millisecond: dropped
}

TEST(PluginDuration, RejectsMalformedValuesNamingTheKey) {
  const std::string expected = " (expected e.g. 500ms, 15s, 1h30m)";
  EXPECT_EQ(error_of(""), "stall-after: \"\" is not a valid duration: it is empty" + expected);
  EXPECT_EQ(error_of("15"), "stall-after: \"15\" is not a valid duration: missing unit after 15 (units: ms, s, m, h)" +
                                expected);
  EXPECT_EQ(error_of("5d"),
            "stall-after: \"5d\" is not a valid duration: unknown unit \"d\" (units: ms, s, m, h)" + expected);
  EXPECT_EQ(error_of("m"), "stall-after: \"m\" is not a valid duration: expected a number at \"m\"" + expected);
  EXPECT_EQ(error_of("-5s"), "stall-after: \"-5s\" is not a valid duration: expected a number at \"-5s\"" + expected);
  EXPECT_EQ(error_of("1.5"),
            "stall-after: \"1.5\" is not a valid duration: missing unit after 1.5 (units: ms, s, m, h)" + expected);
  EXPECT_EQ(error_of(".s"), "stall-after: \".s\" is not a valid duration: expected a number at \".s\"" + expected);
  EXPECT_EQ(error_of("1h 30m"),
            "stall-after: \"1h 30m\" is not a valid duration: unknown unit \"h \" (units: ms, s, m, h)" + expected);
  EXPECT_EQ(error_of("0s"), "stall-after: \"0s\" is not a valid duration: it must be longer than zero" + expected);
  EXPECT_EQ(error_of("0.1ms"),
            "stall-after: \"0.1ms\" is not a valid duration: it must be longer than zero" + expected);
  EXPECT_EQ(error_of("99999999999999999999h"),
            "stall-after: \"99999999999999999999h\" is not a valid duration: it is too long" + expected);
  EXPECT_EQ(error_of("3000000h"), "stall-after: \"3000000h\" is not a valid duration: it is too long" + expected);
  EXPECT_EQ(parse("2000000h"), 2000000h);
}

TEST(PluginDuration, FormatsLikeGo) {
  EXPECT_EQ(format_duration(0ms), "0s");
  EXPECT_EQ(format_duration(500ms), "500ms");
  EXPECT_EQ(format_duration(1500ms), "1.5s");
  EXPECT_EQ(format_duration(1050ms), "1.05s");
  EXPECT_EQ(format_duration(15s), "15s");
  EXPECT_EQ(format_duration(2min), "2m0s");
  EXPECT_EQ(format_duration(90s), "1m30s");
  EXPECT_EQ(format_duration(1h), "1h0m0s");
  EXPECT_EQ(format_duration(1h + 30min + 1s + 1ms), "1h30m1.001s");
}

}  // namespace
}  // namespace plugin_common
