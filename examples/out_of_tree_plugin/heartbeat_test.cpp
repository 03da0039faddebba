// The heartbeat plugin's jobs, run without a host against the SDK's test kit.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "heartbeat.hpp"
#include "jobhost/testing.hpp"

namespace {

using jobhost::testing::FakeJobContext;
using jobhost::testing::FakeLogger;

// The job named `name` of a plugin configured with `settings`.
jobhost::JobDefinition job(heartbeat::HeartbeatPlugin& plugin, const std::string& name,
                           const jobhost::Settings& settings = {}) {
  FakeLogger logger("heartbeat");
  plugin.configure(settings, logger);
  for (auto& each : plugin.jobs()) {
    if (each.name == name) return each;
  }
  throw std::runtime_error("no job " + name);
}

TEST(Heartbeat, HeadLogsTheLatestBlockOfItsChain) {
  heartbeat::HeartbeatPlugin plugin;
  FakeJobContext context("heartbeat.head", "/nonexistent");
  context.provider.add_fake("main").set_head(42);
  job(plugin, "head").run(context);
  EXPECT_EQ(context.logger.take(), "chain main is at block 42\n");

  context.job_settings = jobhost::testing::settings({{"chain", "sepolia"}});
  context.provider.add_fake("sepolia").set_head(7);
  job(plugin, "head").run(context);
  EXPECT_EQ(context.logger.take(), "chain sepolia is at block 7\n");
}

TEST(Heartbeat, HeadFailsWhenItsNodeCannotBeAsked) {
  heartbeat::HeartbeatPlugin plugin;
  FakeJobContext context("heartbeat.head", "/nonexistent");
  context.provider.add_fake("main").fail_with(jobhost::TransportError("connection refused"));
  EXPECT_THROW(job(plugin, "head").run(context), jobhost::TransportError);
  context.provider.add_fake("main").stop_failing();
  EXPECT_NO_THROW(job(plugin, "head").run(context));
}

TEST(Heartbeat, BeatAppendsALineToItsStateDirectory) {
  const auto dir = std::filesystem::temp_directory_path() / ("heartbeat_test." + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  heartbeat::HeartbeatPlugin plugin;
  FakeJobContext context("heartbeat.beat", dir);
  job(plugin, "beat", jobhost::testing::settings({{"message", "tested"}})).run(context);
  std::ifstream in(dir / "beats.txt");
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "2026-03-09T09:00:00Z heartbeat.beat tested");
  std::filesystem::remove_all(dir);
}

TEST(Heartbeat, DeclaresWhatItReads) {
  const auto declared = heartbeat::HeartbeatPlugin::declarations();
  ASSERT_EQ(declared.settings.size(), 2u);
  EXPECT_EQ(declared.settings[1].key, "chain");
  ASSERT_EQ(declared.chains.size(), 1u);
  EXPECT_EQ(declared.chains[0].setting, "chain");
}

}  // namespace
