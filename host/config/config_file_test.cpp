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

}  // namespace
}  // namespace jobhost::config
