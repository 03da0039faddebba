#include "jobhost/duration.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>

#include "jobhost/error.hpp"

namespace jobhost {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

nanoseconds parse(std::string_view text) { return parse_duration(text, "--timeout"); }

// The message of the ConfigError that parsing `text` throws, or "" when it
// does not throw.
std::string error_of(std::string_view text, std::string_view what = "--timeout") {
  try {
    parse_duration(text, what);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(ParseDuration, EveryUnit) {
  EXPECT_EQ(parse("7ns"), 7ns);
  EXPECT_EQ(parse("7us"), 7us);
  EXPECT_EQ(parse("7\xC2\xB5s"), 7us);  // micro sign
  EXPECT_EQ(parse("7\xCE\xBCs"), 7us);  // Greek mu
  EXPECT_EQ(parse("7ms"), 7ms);
  EXPECT_EQ(parse("7s"), 7s);
  EXPECT_EQ(parse("7m"), 7min);
  EXPECT_EQ(parse("7h"), 7h);
}

TEST(ParseDuration, Zero) {
  EXPECT_EQ(parse("0"), 0ns);
  EXPECT_EQ(parse("0s"), 0ns);
  EXPECT_EQ(parse("0h0m"), 0ns);
  EXPECT_EQ(parse("000ms"), 0ns);
}

TEST(ParseDuration, Combinations) {
  EXPECT_EQ(parse("1h30m"), 90min);
  EXPECT_EQ(parse("1h30m15s"), 1h + 30min + 15s);
  EXPECT_EQ(parse("2m3s4ms5us6ns"), 2min + 3s + 4ms + 5us + 6ns);
  // Go accepts units in any order and repeated.
  EXPECT_EQ(parse("30s1m"), 90s);
  EXPECT_EQ(parse("1s1s"), 2s);
}

TEST(ParseDuration, Decimals) {
  EXPECT_EQ(parse("1.5h"), 90min);
  EXPECT_EQ(parse("1.5s"), 1500ms);
  EXPECT_EQ(parse(".5s"), 500ms);
  EXPECT_EQ(parse("1.s"), 1s);
  EXPECT_EQ(parse("0.25m"), 15s);
  EXPECT_EQ(parse("1.000000001s"), 1s + 1ns);
  // Digits below a nanosecond are truncated.
  EXPECT_EQ(parse("1.0000000019s"), 1s + 1ns);
  EXPECT_EQ(parse("0.1ns"), 0ns);
  EXPECT_EQ(parse("1.5us"), 1500ns);
  // Very long fractions do not overflow.
  EXPECT_EQ(parse("0.99999999999999999999999999999999h"), 1h - 1ns);
}

TEST(ParseDuration, Limits) {
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(parse("9223372036854775807ns").count(), kMax);
  EXPECT_EQ(parse("2562047h47m16.854775807s").count(), kMax);
  EXPECT_NE(error_of("9223372036854775808ns").find("too long"), std::string::npos);
  EXPECT_NE(error_of("2562048h").find("too long"), std::string::npos);
  EXPECT_NE(error_of("2562047h47m16.854775808s").find("too long"), std::string::npos);
  EXPECT_NE(error_of("99999999999999999999999999999h").find("too long"), std::string::npos);
  EXPECT_NE(error_of("9223372036854775807s").find("too long"), std::string::npos);
  // Many small parts that add up past the limit.
  std::string many;
  for (int i = 0; i < 3; ++i) many += "1000000h";
  EXPECT_NE(error_of(many).find("too long"), std::string::npos);
  EXPECT_EQ(error_of("99999999999999999999999999999h", "--x"),
            "--x: \"99999999999999999999999999999h\" is too long a duration "
            "(at most 2562047h47m16.854775807s)");
}

TEST(ParseDuration, GarbageIsRejectedWithTheOptionName) {
  EXPECT_EQ(error_of("abc", "--shutdown-timeout"),
            "--shutdown-timeout: \"abc\" is not a duration (expected e.g. 500ms, 15s, 1h30m)");
  for (std::string_view bad :
       {"", " ", "s", "1", "10", "1h30", ".", ".s", "1..5s", "1.5.5s", "-1s", "+1s", "1 s", " 1s", "1s ",
        "1x", "1sec", "1hm", "1S", "1H", "1e3s", "0x10s", "1,5s", "\xE2\x82\xAC", "1\xC2s", "\x01", "-0"}) {
    std::string message = error_of(bad, "--opt");
    ASSERT_FALSE(message.empty()) << "accepted \"" << bad << "\"";
    EXPECT_EQ(message.rfind("--opt: \"", 0), 0u) << message;
    EXPECT_NE(message.find("is not a duration"), std::string::npos) << message;
    EXPECT_NE(message.find("(expected e.g. 500ms, 15s, 1h30m)"), std::string::npos) << message;
  }
}

TEST(ParseDuration, MessagesExplainTheProblem) {
  EXPECT_NE(error_of("10").find("missing unit"), std::string::npos);
  EXPECT_NE(error_of("10x").find("unknown unit \"x\""), std::string::npos);
  EXPECT_NE(error_of("-5s").find("sign"), std::string::npos);
  EXPECT_NE(error_of("").find("empty"), std::string::npos);
  // Control characters are escaped, so the message stays on one line.
  EXPECT_EQ(error_of("1\n\"", "--x"),
            "--x: \"1\\x0a\\\"\" is not a duration: unknown unit \"\\x0a\\\"\" (units: ns, us, ms, s, m, h) "
            "(expected e.g. 500ms, 15s, 1h30m)");
}

TEST(FormatDuration, ShortestSpelling) {
  EXPECT_EQ(format_duration(0ns), "0s");
  EXPECT_EQ(format_duration(1ns), "1ns");
  EXPECT_EQ(format_duration(999ns), "999ns");
  EXPECT_EQ(format_duration(1us), "1us");
  EXPECT_EQ(format_duration(1500ns), "1.5us");
  EXPECT_EQ(format_duration(1001ns), "1.001us");
  EXPECT_EQ(format_duration(500ms), "500ms");
  EXPECT_EQ(format_duration(1500us), "1.5ms");
  EXPECT_EQ(format_duration(1ms + 1ns), "1.000001ms");
  EXPECT_EQ(format_duration(1s), "1s");
  EXPECT_EQ(format_duration(1500ms), "1.5s");
  EXPECT_EQ(format_duration(15s), "15s");
  EXPECT_EQ(format_duration(90s), "1m30s");
  EXPECT_EQ(format_duration(90min), "1h30m");
  EXPECT_EQ(format_duration(1h), "1h");
  EXPECT_EQ(format_duration(1h + 500ms), "1h0.5s");
  EXPECT_EQ(format_duration(1h + 1ns), "1h0.000000001s");
  EXPECT_EQ(format_duration(25h + 1min + 1s), "25h1m1s");
  EXPECT_EQ(format_duration(nanoseconds{std::numeric_limits<std::int64_t>::max()}), "2562047h47m16.854775807s");
}

TEST(FormatDuration, Negative) {
  EXPECT_EQ(format_duration(-1500ms), "-1.5s");
  EXPECT_EQ(format_duration(-1ns), "-1ns");
  EXPECT_EQ(format_duration(nanoseconds{std::numeric_limits<std::int64_t>::min()}), "-2562047h47m16.854775808s");
}

TEST(Duration, RoundTrips) {
  const nanoseconds samples[] = {0ns,
                                 1ns,
                                 999ns,
                                 1us,
                                 1234567ns,
                                 500ms,
                                 999999999ns,
                                 1s,
                                 1s + 1ns,
                                 59s,
                                 60s,
                                 61s + 250ms,
                                 3599s,
                                 1h,
                                 1h + 1ns,
                                 36h + 59min + 59s,
                                 8760h,
                                 nanoseconds{std::numeric_limits<std::int64_t>::max()},
                                 nanoseconds{std::numeric_limits<std::int64_t>::max() - 1}};
  for (nanoseconds d : samples) {
    std::string text = format_duration(d);
    EXPECT_EQ(parse(text), d) << text;
  }
  // A deterministic spread of values across every magnitude.
  std::uint64_t x = 0x9E3779B97F4A7C15ULL;
  for (int i = 0; i < 2000; ++i) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    auto d = nanoseconds{static_cast<std::int64_t>(x >> (1 + i % 63))};
    std::string text = format_duration(d);
    ASSERT_EQ(parse(text), d) << text;
  }
  for (std::string_view text : {"1h30m", "1.5s", "15s", "500ms", "2h45m7.25s", "3us", "7ns"}) {
    EXPECT_EQ(format_duration(parse(text)), text);
  }
}

}  // namespace
}  // namespace jobhost
