#include "config/config.hpp"

#include <gtest/gtest.h>

#include "jobhost/error.hpp"

namespace jobhost::config {
namespace {

using namespace std::chrono_literals;

TEST(Config, SetReplacesAndAddAppends) {
  Config config;
  config.add("plugin-dir", "a");
  config.add("plugin-dir", "b");
  config.set("workers", "2");
  config.set("workers", "3");
  EXPECT_EQ(config.get_all("plugin-dir"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(config.get("workers"), "3");
  EXPECT_FALSE(config.get("missing").has_value());
}

TEST(Config, OverlayReplacesWholeKeys) {
  Config file;
  file.add("plugin-dir", "from-file");
  file.set("workers", "2");
  file.set("log.level", "debug");
  Config cli;
  cli.add("plugin-dir", "from-cli");
  cli.set("workers", "8");
  file.overlay(cli);
  EXPECT_EQ(file.get_all("plugin-dir"), (std::vector<std::string>{"from-cli"}));
  EXPECT_EQ(file.get("workers"), "8");
  EXPECT_EQ(file.get("log.level"), "debug");
}

TEST(Config, SectionStripsThePrefixAndStaysInside) {
  Config config;
  config.set("hello.greeting", "hi");
  config.set("hello.nested.key", "v");
  config.set("hellos.other", "no");
  config.set("hello", "no");
  EXPECT_EQ(config.section("hello"), (std::map<std::string, std::string>{{"greeting", "hi"}, {"nested.key", "v"}}));
}

TEST(Config, TypedReadsNameTheKeyOnError) {
  Config config;
  config.set("workers", "many");
  config.set("enabled", "maybe");
  config.set("timeout", "soon");
  config.set("size", "12X");
  EXPECT_EQ(config.get_int("absent", 4, 1, 10), 4);
  try {
    config.get_int("workers", 4, 1, 1024);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "workers: \"many\" is not a whole number from 1 to 1024");
  }
  EXPECT_THROW(config.get_bool("enabled", true), ConfigError);
  EXPECT_THROW(config.get_duration("timeout", 1s), ConfigError);
  EXPECT_THROW(config.get_size("size", 1), ConfigError);
}

TEST(Config, ReadsNumbersBooleansDurationsAndSizes) {
  Config config;
  config.set("n", "17");
  config.set("b", "off");
  config.set("d", "1m30s");
  config.set("s1", "512K");
  config.set("s2", "10MiB");
  config.set("s3", "4096");
  EXPECT_EQ(config.get_int("n", 0, 0, 100), 17);
  EXPECT_THROW(config.get_int("n", 0, 0, 10), ConfigError) << "out of range";
  EXPECT_FALSE(config.get_bool("b", true));
  EXPECT_EQ(config.get_duration("d", 0s), 90s);
  EXPECT_EQ(config.get_size("s1", 0), 512u * 1024);
  EXPECT_EQ(config.get_size("s2", 0), 10u * 1024 * 1024);
  EXPECT_EQ(config.get_size("s3", 0), 4096u);
  config.set("s4", "99999999999G");
  EXPECT_THROW(config.get_size("s4", 0), ConfigError) << "overflow";
}

}  // namespace
}  // namespace jobhost::config
