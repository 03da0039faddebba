#include "jobhost/settings.hpp"

#include <gtest/gtest.h>

#include <string>

namespace jobhost {
namespace {

using namespace std::chrono_literals;

Settings settings(std::map<std::string, std::string> values) { return Settings(std::move(values)); }

// The message of the ConfigError that `read` throws, or "" when it does not.
template <typename Read>
std::string error_of(Read read) {
  try {
    read();
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

TEST(Settings, TypedGettersReturnTheFallbackWhenTheKeyIsNotSet) {
  const Settings none;
  EXPECT_EQ(none.duration("stall-after", 5min), 5min);
  EXPECT_EQ(none.unsigned_integer("confirmations", 6), 6u);
  EXPECT_TRUE(none.boolean("verbose", true));
  EXPECT_TRUE(none.list("chains").empty());
}

TEST(Settings, DurationsUseTheHostsGrammar) {
  const auto s = settings({{"a", "1h30m"}, {"b", "1.5s"}, {"c", "250us"}, {"d", "0"}});
  EXPECT_EQ(s.duration("a", 0s), 90min);
  EXPECT_EQ(s.duration("b", 0s), 1500ms);
  EXPECT_EQ(s.duration("c", 0s), 250us);
  EXPECT_EQ(s.duration("d", 1s), 0s);
  EXPECT_EQ(error_of([&] { s.duration("d", 1s, 1ms); }), "d: \"0\" is too short (at least 1ms)");
  EXPECT_EQ(error_of([&] { settings({{"stall-after", "2 minutes"}}).duration("stall-after", 0s); }),
            "stall-after: \"2 minutes\" is not a duration: unknown unit \" minutes\" (units: ns, us, ms, s, m, h) "
            "(expected e.g. 500ms, 15s, 1h30m)");
}

TEST(Settings, UnsignedIntegersAreDigitsWithinTheirRange) {
  const auto s = settings({{"n", "12"}, {"big", "18446744073709551615"}});
  EXPECT_EQ(s.unsigned_integer("n", 0, 1, 100), 12u);
  EXPECT_EQ(s.unsigned_integer("big", 0), 18446744073709551615u);
  for (const char* bad : {"", "-1", "+1", "1.5", "12x", " 12", "18446744073709551616"}) {
    EXPECT_NE(error_of([&] { settings({{"n", bad}}).unsigned_integer("n", 0); }).find("is not a whole number"),
              std::string::npos)
        << bad;
  }
  EXPECT_EQ(error_of([&] { s.unsigned_integer("n", 0, 20, 30); }), "n: \"12\" is not a whole number from 20 to 30");
}

TEST(Settings, BooleansAcceptTheHostsSpellings) {
  for (const char* yes : {"true", "yes", "on", "1"}) EXPECT_TRUE(settings({{"b", yes}}).boolean("b", false)) << yes;
  for (const char* no : {"false", "no", "off", "0"}) EXPECT_FALSE(settings({{"b", no}}).boolean("b", true)) << no;
  EXPECT_EQ(error_of([] { settings({{"b", "maybe"}}).boolean("b", false); }),
            "b: \"maybe\" is not a boolean (expected true or false)");
}

TEST(Settings, ListsAreTrimmedCommaSeparatedItems) {
  EXPECT_EQ(settings({{"chains", " main, sepolia ,x"}}).list("chains"), (std::vector<std::string>{"main", "sepolia", "x"}));
  EXPECT_EQ(settings({{"chains", "main"}}).list("chains"), (std::vector<std::string>{"main"}));
  for (const char* bad : {"", " ", "a,", ",a", "a,,b"}) {
    EXPECT_NE(error_of([&] { settings({{"chains", bad}}).list("chains"); }).find("has an empty item"), std::string::npos)
        << bad;
  }
}

TEST(Text, QuoteEscapesWhatWouldBreakALine) {
  EXPECT_EQ(quote("a\"b\\c\n\x1b"), "\"a\\\"b\\\\c\\x0a\\x1b\"");
  EXPECT_EQ(quote("µs"), "\"µs\"");
}

TEST(Text, TrimRemovesWhiteSpaceAtBothEnds) {
  EXPECT_EQ(trim(" \t a b \r\n"), "a b");
  EXPECT_EQ(trim("   "), "");
}

}  // namespace
}  // namespace jobhost
