#include "logging/log_hub.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "config/config.hpp"
#include "jobhost/error.hpp"

namespace jobhost::logging {
namespace {

std::string slurp(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

class LogHubTest : public ::testing::Test {
 protected:
  std::filesystem::path file = std::filesystem::temp_directory_path() /
                               ("jobhost-log-test-" + std::to_string(::getpid()) + ".log");
  void TearDown() override { std::filesystem::remove(file); }

  // The JSON log file after "hello.greet" warned `message`.
  std::string json_file_after_warning(const std::string& message) {
    LogOptions options;
    options.file = file;
    options.format = LogFormat::json;
    {
      LogHub hub(options);
      hub.make_plugin_logger("hello.greet")->warn(message);
    }
    return slurp(file);
  }
};

TEST_F(LogHubTest, TextLinesCarryTheLoggerName) {
  LogOptions options;
  options.file = file;
  {
    LogHub hub(options);
    auto logger = hub.make_plugin_logger("hello.greet");
    logger->info("Hello");
    logger->debug("hidden at info level");
  }
  const std::string text = slurp(file);
  EXPECT_NE(text.find("[info] [hello.greet] Hello"), std::string::npos) << text;
  EXPECT_EQ(text.find("hidden"), std::string::npos) << text;
}

// A plugin and its jobs share one budget of lines; the host's lines about
// its jobs are never dropped.
TEST_F(LogHubTest, APluginsLinesPastItsRateLimitAreDroppedAndSaidToBe) {
  LogOptions options;
  options.file = file;
  options.rate_limit = 1;  // 10 at once; one more a second
  {
    LogHub hub(options);
    auto plugin = hub.make_plugin_logger("chatty");
    auto job = hub.make_plugin_logger("chatty.talk");
    auto host_lines = hub.make_job_logger("chatty.talk");
    auto other = hub.make_plugin_logger("quiet.job");
    for (int i = 0; i < 8; ++i) plugin->info("plugin line " + std::to_string(i));
    for (int i = 0; i < 8; ++i) job->info("job line " + std::to_string(i));
    host_lines->info("run ok");
    other->info("still heard");
    EXPECT_EQ(hub.dropped_lines(), (std::map<std::string, std::uint64_t>{{"chatty", 6}, {"quiet", 0}}));
  }
  const std::string text = slurp(file);
  EXPECT_NE(text.find("[chatty] plugin line 7"), std::string::npos) << text;
  EXPECT_NE(text.find("[chatty.talk] job line 1"), std::string::npos) << text;
  EXPECT_EQ(text.find("[chatty.talk] job line 2"), std::string::npos) << text;
  EXPECT_NE(text.find("[warning] [chatty.talk] log lines of plugin chatty dropped: it logs more than 1 lines a second "
                      "(log.rate-limit); 1 dropped so far"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("[chatty.talk] run ok"), std::string::npos) << text;
  EXPECT_NE(text.find("[quiet.job] still heard"), std::string::npos) << text;
}

TEST_F(LogHubTest, LevelsApplyByLongestDottedPrefix) {
  config::Config config;
  config.set("log.level", "warn");
  config.set("log.level.hello", "debug");
  config.set("log.level.hello.greet", "error");
  const LogOptions options = log_options_from(config);
  EXPECT_EQ(level_for(options, "jobhost"), spdlog::level::warn);
  EXPECT_EQ(level_for(options, "hello"), spdlog::level::debug);
  EXPECT_EQ(level_for(options, "hello.wave"), spdlog::level::debug);
  EXPECT_EQ(level_for(options, "hello.greet"), spdlog::level::err);
  EXPECT_EQ(level_for(options, "hellos.x"), spdlog::level::warn);
}

TEST_F(LogHubTest, BadLogSettingsNameTheKey) {
  config::Config config;
  config.set("log.level", "loud");
  EXPECT_THROW(log_options_from(config), ConfigError);
  config = {};
  config.set("log.format", "xml");
  EXPECT_THROW(log_options_from(config), ConfigError);
  LogOptions options;
  options.file = "/dev/null/jobhost.log";  // under a file: cannot be created
  EXPECT_THROW(LogHub hub(options), ConfigError);
}

TEST_F(LogHubTest, JsonLinesAreOneEscapedObjectEach) {
  const std::string text = json_file_after_warning("quote \" backslash \\ newline \n tab \t bell \a");
  EXPECT_EQ(text.find("{\"time\":\""), 0u) << text;
  EXPECT_NE(text.find("\",\"level\":\"warning\",\"logger\":\"hello.greet\",\"message\":\"quote \\\" backslash \\\\ "
                      "newline \\n tab \\t bell \\u0007\"}\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
}

// A JSON line stays valid JSON whatever bytes a plugin logs.
TEST_F(LogHubTest, BytesThatAreNotUtf8KeepAJsonLineValid) {
  const std::string text = json_file_after_warning("caf\xc3\xa9 \xff cut \xe2\x82");
  const auto line = nlohmann::json::parse(text, nullptr, false);  // checks UTF-8 strictly
  ASSERT_FALSE(line.is_discarded()) << text;
  EXPECT_EQ(line["message"], "caf\xc3\xa9 \\xff cut \\xe2\\x82");
}

TEST_F(LogHubTest, LoggersOfOneFileShareOneSinkWhateverThePathLooksLike) {
  LogHub hub(LogOptions{});
  const auto dir = file.parent_path();
  const auto alias = dir / "." / ".." / dir.filename() / file.filename();
  auto a = hub.make("sdk.a", file);
  auto b = hub.make("sdk.b", alias);
  EXPECT_EQ(hub.file_sinks().size(), 1u);
  ASSERT_EQ(a->sinks().size(), 1u);
  EXPECT_EQ(a->sinks()[0], b->sinks()[0]);
  a->info("from a");
  b->info("from b");
  hub.flush();
  const std::string text = slurp(file);
  EXPECT_NE(text.find("[sdk.a] from a"), std::string::npos) << text;
  EXPECT_NE(text.find("[sdk.b] from b"), std::string::npos) << text;
  auto other = hub.make("sdk.c", file.string() + ".other");
  EXPECT_EQ(hub.file_sinks().size(), 2u);
  std::filesystem::remove(file.string() + ".other");
}

TEST_F(LogHubTest, TheFileRotatesAtItsMaximumSize) {
  LogOptions options;
  options.file = file;
  options.max_size = 1024;
  options.max_files = 2;
  {
    LogHub hub(options);
    auto logger = hub.make_plugin_logger("rotation");
    for (int i = 0; i < 100; ++i) logger->info(std::string(100, 'x'));
  }
  auto rotated = file;
  rotated.replace_extension(".1.log");
  EXPECT_TRUE(std::filesystem::exists(rotated));
  EXPECT_LE(std::filesystem::file_size(file), 1024u);
  auto beyond = file;
  beyond.replace_extension(".3.log");
  EXPECT_FALSE(std::filesystem::exists(beyond)) << "only max-files rotated files are kept";
  for (int i = 1; i <= 2; ++i) {
    auto old = file;
    std::filesystem::remove(old.replace_extension("." + std::to_string(i) + ".log"));
  }
}

}  // namespace
}  // namespace jobhost::logging
