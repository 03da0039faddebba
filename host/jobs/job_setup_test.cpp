#include "jobs/job_setup.hpp"

#include <gtest/gtest.h>

namespace jobhost::jobs {
namespace {

loader::LoadedPlugin fake_plugin(const std::string& name, std::vector<JobDefinition> jobs) {
  loader::LoadedPlugin plugin;
  plugin.info = {name, "1.0", ""};
  for (auto& job : jobs) plugin.jobs.push_back(std::make_shared<const JobDefinition>(std::move(job)));
  return plugin;
}

class JobSetupTest : public ::testing::Test {
 protected:
  logging::LogHub logs{logging::LogOptions{}};
  config::Config config;
  std::vector<loader::LoadedPlugin> plugins;

  void SetUp() override {
    plugins.push_back(fake_plugin(
        "hello", {{"greet", "", "@every 10s", {{"greeting", "job default"}, {"extra", "x"}}, [](JobContext&) {}},
                  {"wave", "", "@hourly", {{"enabled", "false"}}, [](JobContext&) {}}}));
  }

  schedule::TimeZone host_zone = schedule::TimeZone::utc();
  JobSetup set_up() { return set_up_jobs(plugins, config, logs, "/state", host_zone); }
};

TEST_F(JobSetupTest, UsesTheDefinitionsDefaults) {
  JobSetup setup = set_up();
  ASSERT_EQ(setup.jobs.size(), 2u);
  const runtime::ScheduledJob& greet = *setup.jobs[0];
  EXPECT_EQ(greet.spec.name, "hello.greet");
  EXPECT_EQ(greet.spec.schedule->spec(), "@every 10s");
  EXPECT_TRUE(greet.spec.enabled);
  EXPECT_EQ(greet.spec.settings.get_or("greeting", ""), "job default");
  EXPECT_EQ(greet.spec.state_dir, std::filesystem::path("/state/plugins/hello"));
  EXPECT_EQ(greet.spec.logger->name(), "hello.greet");
  EXPECT_FALSE(setup.jobs[1]->spec.enabled) << "a plugin may ship a job disabled";
  EXPECT_TRUE(setup.errors.empty());
}

TEST_F(JobSetupTest, LayersPluginSettingsJobDefaultsAndJobConfig) {
  config.set("hello.greeting", "plugin level");
  config.set("hello.colour", "red");
  config.set("job.hello.greet.extra", "configured");
  config.set("job.hello.greet.schedule", "*/5 * * * * *");
  config.set("job.hello.wave.enabled", "yes");
  JobSetup setup = set_up();
  ASSERT_EQ(setup.jobs.size(), 2u);
  const runtime::ScheduledJob& greet = *setup.jobs[0];
  EXPECT_EQ(greet.spec.settings.get_or("colour", ""), "red") << "from the plugin's section";
  EXPECT_EQ(greet.spec.settings.get_or("greeting", ""), "job default") << "the job default beats the plugin section";
  EXPECT_EQ(greet.spec.settings.get_or("extra", ""), "configured") << "the job's section beats both";
  EXPECT_EQ(greet.spec.schedule->spec(), "*/5 * * * * *");
  EXPECT_TRUE(setup.jobs[1]->spec.enabled);
}

TEST_F(JobSetupTest, ReportsEveryBadJobSettingNamingTheKey) {
  config.set("job.hello.greet.schedule", "every day");
  config.set("job.hello.wave.enabled", "perhaps");
  config.set("job.hello.wait.schedule", "@hourly");
  JobSetup setup = set_up();
  EXPECT_TRUE(setup.jobs.empty());
  ASSERT_EQ(setup.errors.size(), 3u);
  EXPECT_EQ(setup.errors[0].find("job.hello.greet.schedule: "), 0u) << setup.errors[0];
  EXPECT_EQ(setup.errors[1], "job.hello.wave.enabled: \"perhaps\" is not a boolean (expected true or false)");
  EXPECT_EQ(setup.errors[2], "job.hello.wait.schedule: plugin \"hello\" has no job \"wait\" (its jobs: greet, wave)");
}

TEST_F(JobSetupTest, RefusesASpecThatItsZonesClockChangesAlwaysSkip) {
  // Every minute of 02:xx on the second Sunday of March: New York's clocks
  // skip that hour every year.
  config.set("job.hello.greet.schedule", "CRON_TZ=America/New_York 0 * 2 ? 3 0#2");
  JobSetup setup = set_up();
  ASSERT_EQ(setup.errors.size(), 1u);
  EXPECT_EQ(setup.errors[0].find("job.hello.greet.schedule: "), 0u) << setup.errors[0];
}

TEST_F(JobSetupTest, TimeZonesComeFromTheJobTheHostOrTheSpec) {
  const auto from = std::chrono::sys_seconds{std::chrono::seconds{1772956800}};  // 2026-03-08T08:00:00Z
  host_zone = schedule::TimeZone::named("Asia/Tokyo");
  config.set("job.hello.greet.schedule", "0 9 * * *");
  config.set("job.hello.greet.tz", "America/New_York");
  config.set("job.hello.wave.schedule", "0 9 * * *");
  JobSetup setup = set_up();
  ASSERT_TRUE(setup.errors.empty()) << setup.errors[0];
  ASSERT_EQ(setup.jobs.size(), 2u);
  EXPECT_EQ(setup.jobs[0]->spec.schedule->zone().name(), "America/New_York") << "the job's tz beats the host's";
  EXPECT_EQ(setup.jobs[0]->spec.schedule->next(from), from + std::chrono::hours{5});  // 09:00 EDT = 13:00Z
  EXPECT_EQ(setup.jobs[1]->spec.schedule->zone().name(), "Asia/Tokyo") << "the host's tz";
  EXPECT_EQ(setup.jobs[1]->spec.schedule->next(from), from + std::chrono::hours{16});  // 09:00 JST = 00:00Z next day

  config.set("job.hello.wave.schedule", "CRON_TZ=Europe/Paris 0 9 * * *");
  setup = set_up();
  ASSERT_EQ(setup.jobs.size(), 2u);
  EXPECT_EQ(setup.jobs[1]->spec.schedule->zone().name(), "Europe/Paris") << "the spec's prefix beats both";
}

TEST_F(JobSetupTest, UnknownTimeZonesAreErrorsNamingKeyAndZone) {
  config.set("job.hello.greet.tz", "Mars/Base");
  config.set("job.hello.wave.schedule", "TZ=Venus/Base 0 9 * * *");
  JobSetup setup = set_up();
  ASSERT_EQ(setup.errors.size(), 2u);
  EXPECT_EQ(setup.errors[0].find("job.hello.greet.tz: unknown time zone \"Mars/Base\""), 0u) << setup.errors[0];
  EXPECT_EQ(setup.errors[1].find("job.hello.wave.schedule: cron spec \"TZ=Venus/Base 0 9 * * *\": unknown time zone "
                                 "\"Venus/Base\""),
            0u)
      << setup.errors[1];
}

TEST_F(JobSetupTest, ConfigurationForAnAbsentPluginIsOnlyAWarning) {
  config.set("job.other.thing.schedule", "@hourly");
  JobSetup setup = set_up();
  EXPECT_EQ(setup.jobs.size(), 2u);
  EXPECT_TRUE(setup.errors.empty());
  ASSERT_EQ(setup.warnings.size(), 1u);
  EXPECT_NE(setup.warnings[0].find("plugin \"other\" is not loaded"), std::string::npos);
}

TEST_F(JobSetupTest, AnIsolationKeyForAnAbsentPluginIsOnlyAWarning) {
  config.set("isolation.hello", "none");
  config.set("isolation.helo", "none");
  JobSetup setup = set_up();
  EXPECT_TRUE(setup.errors.empty());
  ASSERT_EQ(setup.warnings.size(), 1u);
  EXPECT_EQ(setup.warnings[0], "isolation.helo ignored: plugin \"helo\" is not loaded");
}

TEST_F(JobSetupTest, AJobsSectionHoldsOnlyWhatItsPluginDeclaresBesideTheHostsKeys) {
  plugins[0].declarations = Declarations{.settings = {{"greeting", SettingType::text, "", ""},
                                                      {"extra", SettingType::text, "", ""},
                                                      {"count", SettingType::unsigned_integer, "1", ""}}};
  config.set("job.hello.greet.extar", "1");
  config.set("job.hello.greet.count", "many");
  config.set("job.hello.greet.timeout", "5s");
  config.set("job.hello.greet.extra", "fine");
  JobSetup setup = set_up();
  ASSERT_EQ(setup.errors.size(), 2u);
  EXPECT_EQ(setup.errors[0],
            "job.hello.greet.count: \"many\" is not a whole number from 0 to 18446744073709551615");
  EXPECT_EQ(setup.errors[1],
            "job.hello.greet.extar: hello has no setting \"extar\" (its settings: greeting, extra, count)");
  EXPECT_TRUE(setup.warnings.empty());
}

TEST_F(JobSetupTest, APluginThatDeclaresNothingIsWarnedAboutOnlyWhenGivenSettings) {
  EXPECT_TRUE(set_up().warnings.empty());
  config.set("job.hello.greet.anything", "x");
  JobSetup setup = set_up();
  EXPECT_TRUE(setup.errors.empty());
  ASSERT_EQ(setup.warnings.size(), 1u);
  EXPECT_EQ(setup.warnings[0], "hello declares no settings (built against SDK 1.0, or without declarations()): its "
                               "settings are passed on unchecked");
}

TEST_F(JobSetupTest, ReportsEnabledJobsThatUseAChainThatIsNotConfigured) {
  plugins[0].declarations =
      Declarations{.settings = {{"chain", SettingType::text, "main", ""}}, .chains = {{.setting = "chain"}, {"audit", ""}}};
  config.set("chain.other.url", "http://127.0.0.1:1");
  config.set("chain.audit.url", "http://127.0.0.1:2");
  JobSetup setup = set_up();
  EXPECT_TRUE(setup.errors.empty());
  ASSERT_EQ(setup.missing_chains.size(), 1u) << "hello.wave is disabled; audit is configured";
  EXPECT_EQ(setup.missing_chains[0],
            "hello.greet uses chain \"main\" (its setting chain), which is not configured (configured: audit, other; "
            "add --chain main=URL or [chain.main] url = URL)");

  config.set("job.hello.greet.chain", "other");
  EXPECT_TRUE(set_up().missing_chains.empty()) << "the job's own setting names a configured chain";
}

TEST(SectionsOfAbsentPlugins, WarnsAboutSettingsForAPluginThatIsNotLoaded) {
  config::Config config;
  config.set("hello.greeting", "hi");
  config.set("nosuch.path", "/x");
  config.set("log.level", "info");
  config.set("job.other.run.schedule", "@hourly");
  const auto warnings = sections_of_absent_plugins({fake_plugin("hello", {})}, config);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "settings for plugin \"nosuch\" ignored: no plugin of that name is loaded");
}

}  // namespace
}  // namespace jobhost::jobs
