#include "loader/plugin_allow_list.hpp"

#include <gtest/gtest.h>

#include "jobhost/error.hpp"
#include "loader/plugin_load_error.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::loader {
namespace {

const std::string kHash(64, 'a');
const std::string kOther(64, 'b');

std::string parse_error(const std::string& text) {
  try {
    PluginAllowList::parse(text, "pins.txt");
  } catch (const ConfigError& e) {
    return e.what();
  }
  ADD_FAILURE() << "parsed: " << text;
  return "";
}

std::string check_error(const PluginAllowList& list, const std::string& name, const std::string& hash) {
  try {
    list.check(name, hash);
  } catch (const PluginLoadError& e) {
    return e.what();
  }
  ADD_FAILURE() << name << " allowed";
  return "";
}

TEST(PluginAllowListTest, AllowsTheListedNamesWithTheirHashes) {
  const auto list = PluginAllowList::parse("# pinned plugins\n" + kHash + "  hello.so\n\n" +
                                               "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB *tx_watch.so\r\n" +
                                               kOther + "  hello.so",
                                           "pins.txt");
  EXPECT_NO_THROW(list.check("hello.so", kHash));
  EXPECT_NO_THROW(list.check("hello.so", kOther)) << "a name may have several hashes";
  EXPECT_NO_THROW(list.check("tx_watch.so", kOther)) << "upper case and sha256sum --binary";
}

TEST(PluginAllowListTest, RefusesAnUnlistedNameOrADifferentHash) {
  const auto list = PluginAllowList::parse(kHash + "  hello.so\n", "pins.txt");
  EXPECT_EQ(check_error(list, "other.so", kHash), "not in the allow-list pins.txt (its SHA-256 is " + kHash + ")");
  EXPECT_EQ(check_error(list, "hello.so", kOther),
            "SHA-256 " + kOther + " does not match the allow-list pins.txt (expected " + kHash + ")");
}

TEST(PluginAllowListTest, AMalformedLineNamesFileLineAndWhatWasExpected) {
  const std::string expected = "expected a line of 64 hex digits, two spaces and NAME.so (as sha256sum prints it)";
  EXPECT_EQ(parse_error(kHash + "  hello.so\nabc  hello.so\n"),
            "plugin-sha256: pins.txt:2: " + expected + ", got \"abc  hello.so\"");
  EXPECT_EQ(parse_error(kHash + " hello.so"), "plugin-sha256: pins.txt:1: " + expected + ", got \"" + kHash + " hello.so\"");
  EXPECT_NE(parse_error(kHash + "  hello").find("pins.txt:1: "), std::string::npos);
  EXPECT_NE(parse_error(kHash + "  dir/hello.so").find("pins.txt:1: "), std::string::npos);
  EXPECT_NE(parse_error(std::string(63, 'a') + "g  hello.so").find("pins.txt:1: "), std::string::npos);
}

TEST(PluginAllowListTest, ReadsAFileOrSaysItCannot) {
  testing::TempDir dir;
  testing::write_file(dir / "pins.txt", kHash + "  hello.so\n");
  EXPECT_NO_THROW(PluginAllowList::read(dir / "pins.txt").check("hello.so", kHash));
  try {
    PluginAllowList::read(dir / "missing.txt");
    ADD_FAILURE() << "read a missing file";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), "plugin-sha256: cannot read " + (dir / "missing.txt").string());
  }
}

}  // namespace
}  // namespace jobhost::loader
