#include "config/config_file.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "jobhost/error.hpp"

namespace jobhost::config {
namespace {

class ConfigFileTest : public ::testing::Test {
 protected:
  std::filesystem::path file = std::filesystem::temp_directory_path() /
                               ("jobhost-config-test-" + std::to_string(::getpid()) + ".ini");
  void TearDown() override { std::filesystem::remove(file); }
  void write(const std::string& text) { std::ofstream(file) << text; }
};

TEST_F(ConfigFileTest, SectionsPrefixTheirKeys) {
  write(
      "# a comment\n"
      "workers = 2\n"
      "plugin-dir = /a\n"
      "plugin-dir = /b\n"
      "[log]\n"
      "level = debug\n"
      "level.hello.greet = trace\n"
      "[job.hello.greet]\n"
      "schedule = */5 * * * * *\n"
      "[hello]\n"
      "greeting = Hello, world\n");
  Config config = read_config_file(file);
  EXPECT_EQ(config.get("workers"), "2");
  EXPECT_EQ(config.get_all("plugin-dir"), (std::vector<std::string>{"/a", "/b"}));
  EXPECT_EQ(config.get("log.level"), "debug");
  EXPECT_EQ(config.get("log.level.hello.greet"), "trace");
  EXPECT_EQ(config.get("job.hello.greet.schedule"), "*/5 * * * * *");
  EXPECT_EQ(config.get("hello.greeting"), "Hello, world");
}

TEST_F(ConfigFileTest, RejectsUnknownKeysNamingTheFile) {
  write("[log]\nlevle = debug\n");
  try {
    read_config_file(file);
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("log.levle"), std::string::npos) << e.what();
  }
}

TEST_F(ConfigFileTest, RejectsMalformedLinesAndMissingFiles) {
  write("this line has no equals sign\n");
  EXPECT_THROW(read_config_file(file), ConfigError);
  EXPECT_THROW(read_config_file(file.string() + ".missing"), ConfigError);
}

// The message read_config_file throws for `path`.
std::string refusal(const std::filesystem::path& path) {
  try {
    read_config_file(path);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "accepted";
}

TEST_F(ConfigFileTest, OnlyARegularFileOfBoundedSizeIsAConfiguration) {
  EXPECT_EQ(refusal(std::filesystem::temp_directory_path()),
            "config file " + std::filesystem::temp_directory_path().string() +
                ": not a regular file (expected an INI file)");
  EXPECT_EQ(refusal("/dev/zero"), "config file /dev/zero: not a regular file (expected an INI file)");
  write("# " + std::string(kMaxConfigFileBytes, 'x') + "\n");
  EXPECT_EQ(refusal(file), "config file " + file.string() + ": larger than 1024 KiB (expected an INI file)");
  write("# " + std::string(kMaxConfigFileBytes - 3, 'x') + "\n");
  EXPECT_EQ(refusal(file), "accepted") << "exactly the limit";
}

TEST_F(ConfigFileTest, AKeyOrASectionTwiceIsRefusedNamingBothLines) {
  write("workers = 2\n[hello]\ngreeting = a\n\n[log]\nlevel = info\n[hello]\nother = b\n");
  EXPECT_EQ(refusal(file), "config file " + file.string() + ": line 7: section [hello] again (first at line 2; merge them)");
  write("workers = 2\n[hello]\ngreeting = a\ngreeting = b # a second thought\n");
  EXPECT_EQ(refusal(file), "config file " + file.string() + ": line 4: hello.greeting is set again (first at line 3; keep one)");
  write("plugin-dir = /a\nplugin-dir = /b\n[chain.main]\nurl = http://127.0.0.1:1\nheaders = A: 1\nheaders = B: 2\n");
  EXPECT_EQ(refusal(file), "accepted") << "keys that take several values may repeat";
}

TEST_F(ConfigFileTest, BinaryBytesAreEscapedInMessages) {
  constexpr char kBytes[] = "workers = 2\n\x1b[31m\x00\xff junk\n";
  write(std::string(kBytes, sizeof kBytes - 1));
  EXPECT_EQ(refusal(file), "config file " + file.string() +
                               ": line 2: expected KEY = VALUE or [SECTION], got \"\\x1b[31m\\x00\\xff junk\"");
}

}  // namespace
}  // namespace jobhost::config
