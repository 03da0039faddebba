// The plugin as the host sees it: created through the entry point that
// JOBHOST_PLUGIN exports.
#include <gtest/gtest.h>

#include <memory>

#include "test_fakes.hpp"

extern "C" jobhost::Plugin* jobhost_create_plugin();

namespace chain_height {
namespace {

TEST(ChainHeightPlugin, DescribesItselfAndItsJob) {
  std::unique_ptr<jobhost::Plugin> plugin(jobhost_create_plugin());
  const jobhost::PluginInfo info = plugin->info();
  EXPECT_EQ(info.name, "chain_height");
  EXPECT_EQ(info.version, "1.0.0");
  EXPECT_FALSE(info.description.empty());

  testing::FakeLogger logger;
  plugin->configure(testing::settings({{"chains", "main, sepolia"}}), logger);
  EXPECT_EQ(logger.take(jobhost::LogLevel::debug), "watching main, sepolia; stalled after 2m\n");
  const auto jobs = plugin->jobs();
  ASSERT_EQ(jobs.size(), 1u);
  EXPECT_EQ(jobs[0].name, "watch");
  EXPECT_EQ(jobs[0].schedule, "@every 15s");
  EXPECT_TRUE(jobs[0].settings.empty());  // they would override the plugin's section

  testing::FakeContext context;
  context.add_chain("main").set_head(42);
  jobs[0].run(context);
  EXPECT_EQ(context.logger.take(jobhost::LogLevel::debug), "chain main at block 42\n");
}

TEST(ChainHeightPlugin, ConfigureRefusesBadSettingsNamingTheKey) {
  std::unique_ptr<jobhost::Plugin> plugin(jobhost_create_plugin());
  testing::FakeLogger logger;
  EXPECT_THROW(plugin->configure(testing::settings({{"chains", ""}}), logger), jobhost::ConfigError);
  try {
    plugin->configure(testing::settings({{"stall-after", "soon"}}), logger);
    FAIL() << "no ConfigError";
  } catch (const jobhost::ConfigError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("stall-after: \"soon\" is not a duration", 0), 0u) << e.what();
  }
}

}  // namespace
}  // namespace chain_height
