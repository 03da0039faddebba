// The plugin as the host sees it: created through the entry point that
// JOBHOST_PLUGIN exports.
#include <gtest/gtest.h>

#include <memory>

#include "test_fakes.hpp"

extern "C" jobhost::Plugin* jobhost_create_plugin();

namespace tx_watch {
namespace {

using testing::FakeContext;
using testing::FakeLogger;
using testing::TempDir;
using testing::tx;

TEST(TxWatchPlugin, DescribesItselfAndItsJob) {
  std::unique_ptr<jobhost::Plugin> plugin(jobhost_create_plugin());
  const jobhost::PluginInfo info = plugin->info();
  EXPECT_EQ(info.name, "tx_watch");
  EXPECT_EQ(info.version, "1.0.0");
  EXPECT_FALSE(info.description.empty());

  FakeLogger logger;
  plugin->configure(jobhost::Settings(), logger);
  EXPECT_EQ(logger.text(), "chain main, 1 confirmations, drop after 1h\n");
  const auto jobs = plugin->jobs();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].name, "confirm");
  EXPECT_EQ(jobs[0].schedule, "@every 15s");
  EXPECT_TRUE(jobs[0].settings.empty());  // they would override the plugin's section

  TempDir dir;
  FakeContext context(dir.path());
  std::filesystem::create_directories(dir.path() / "inbox");
  testing::write_file(dir.path() / "inbox" / "batch", tx(1) + "\n");
  jobs[0].run(context);
  EXPECT_EQ(testing::read_lines(dir.path() / "pending").size(), 1u);
}

TEST(TxWatchPlugin, ConfigureRefusesBadSettingsNamingTheKey) {
  std::unique_ptr<jobhost::Plugin> plugin(jobhost_create_plugin());
  FakeLogger logger;
  try {
    plugin->configure(testing::settings({{"confirmations", "many"}}), logger);
    FAIL() << "no ConfigError";
  } catch (const jobhost::ConfigError& e) {
    EXPECT_STREQ(e.what(), "confirmations: \"many\" is not a whole number from 1 to 18446744073709551615");
  }
  try {
    plugin->configure(testing::settings({{"drop-after", "an hour"}}), logger);
    FAIL() << "no ConfigError";
  } catch (const jobhost::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("drop-after: \"an hour\" is not a duration", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace tx_watch
