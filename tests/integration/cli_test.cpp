// The jobhost binary's commands, run as a user would.
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>

#include "support/fake_node.hpp"
#include "support/ganache.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

using namespace testing;  // the support library: processes, temp dirs, logs

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override { setenv("TZ", "UTC", 1); }  // inherited by the processes started
  TempDir dir;
  const std::string plugins = JOBHOST_TEST_PLUGIN_DIR;
};

TEST_F(CliTest, Version) {
  auto result = run_jobhost({"--version"});
  EXPECT_EQ(result.exit_status, 0);
  EXPECT_EQ(result.out.find("jobhost "), 0u) << result.out;
}

TEST_F(CliTest, UsageErrorsExitWithStatusTwoAndSayWhy) {
  auto unknown = run_jobhost({"run", "--no-such-option"});
  EXPECT_EQ(unknown.exit_status, 2);
  EXPECT_NE(unknown.err.find("--no-such-option"), std::string::npos) << unknown.err;

  auto workers = run_jobhost({"run", "--plugin-dir", plugins, "--workers", "zero"});
  EXPECT_EQ(workers.exit_status, 2);
  EXPECT_NE(workers.err.find("workers: \"zero\" is not a whole number"), std::string::npos) << workers.err;

  auto spec = run_jobhost({"next", "61 * * * *"});
  EXPECT_EQ(spec.exit_status, 2);
  EXPECT_NE(spec.err.find("minute"), std::string::npos) << spec.err;

  auto schedule = run_jobhost({"run", "--plugin-dir", plugins, "--state-dir", dir.path().string(), "--schedule",
                               "hello.greet=every minute"});
  EXPECT_EQ(schedule.exit_status, 2);
  EXPECT_NE(schedule.err.find("job.hello.greet.schedule"), std::string::npos) << schedule.err;

  auto job = run_jobhost({"run", "--plugin-dir", plugins, "--state-dir", dir.path().string(), "--disable",
                          "hello.greeet"});
  EXPECT_EQ(job.exit_status, 2);
  EXPECT_NE(job.err.find("plugin \"hello\" has no job \"greeet\" (its jobs: greet)"), std::string::npos) << job.err;

  auto level = run_jobhost({"list", "--plugin-dir", plugins, "--log-level", "loud"});
  EXPECT_EQ(level.exit_status, 2);
  EXPECT_NE(level.err.find("log.level: \"loud\" is not a log level"), std::string::npos) << level.err;

  auto ping = run_jobhost({"run", "--plugin-dir", plugins, "--state-dir", dir.path().string(), "--set",
                           "worker-ping-interval=10ms"});
  EXPECT_EQ(ping.exit_status, 2);
  EXPECT_NE(ping.err.find("worker-ping-interval: 10ms is too short (expected 0, for no pings, or at least 100ms)"),
            std::string::npos)
      << ping.err;
}

TEST_F(CliTest, AConfigFileMustBeARegularFileOfBoundedSize) {
  auto directory = run_jobhost({"run", "--config", dir.path().string(), "--plugin-dir", plugins});
  EXPECT_EQ(directory.exit_status, 2);
  EXPECT_NE(directory.err.find("config file " + dir.path().string() + ": not a regular file (expected an INI file)"),
            std::string::npos)
      << directory.err;
  auto zero = run_jobhost({"check", "--config", "/dev/zero", "--plugin-dir", plugins});
  EXPECT_EQ(zero.exit_status, 2);
  EXPECT_NE(zero.err.find("config file /dev/zero: not a regular file"), std::string::npos) << zero.err;
}

TEST_F(CliTest, NextPrintsFireTimesWithOffsets) {
  auto result = run_jobhost({"next", "0 9 * * MON-FRI", "--count", "3", "--from", "2026-03-06T10:00:00Z"});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_EQ(result.out, "2026-03-09T09:00:00+00:00\n2026-03-10T09:00:00+00:00\n2026-03-11T09:00:00+00:00\n");
}

TEST_F(CliTest, ListShowsPluginsAndJobs) {
  auto result = run_jobhost({"list", "--plugin-dir", plugins});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_NE(result.out.find("tx_watch.confirm"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("chain_height.watch"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find(plugins + "/hello.so"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("hello.greet"), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("@every 10s"), std::string::npos) << result.out;
  EXPECT_TRUE(std::regex_search(result.out,
                                std::regex(R"(/hello\.so +Logs a greeting on a schedule; the template for new plugins\n)")))
      << result.out;
  EXPECT_NE(result.out.find(" Logs the greeting with the scheduled time\n"), std::string::npos) << result.out;
}

TEST_F(CliTest, ListShowsEachPluginsIsolationFromTheConfigFileAndTheCommandLine) {
  const auto ini = dir / "jobhost.ini";
  testing::write_file(ini, "isolation = none\n[isolation]\nhello = process\n");
  auto result = run_jobhost({"list", "--plugin-dir", plugins, "--config", ini.string(), "--set",
                             "isolation.tx_watch=process"});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(PLUGIN +VERSION +ISOLATION +FILE +DESCRIPTION\n)"))) << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(\nhello +\S+ +process +)"))) << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(\ntx_watch +\S+ +process +)"))) << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(\nchain_height +\S+ +none +)"))) << result.out;

  auto typo = run_jobhost({"list", "--plugin-dir", plugins, "--set", "isolation.hello=sandbox"});
  EXPECT_EQ(typo.exit_status, 2);
  EXPECT_NE(typo.err.find("isolation.hello: \"sandbox\" is not an isolation mode (expected process or none)"),
            std::string::npos)
      << typo.err;
}

TEST_F(CliTest, ListSettingsShowsWhatEachPluginDeclares) {
  std::filesystem::create_directory(dir / "old");
  copy_fixture("sdk_1_0", dir / "old");
  auto result = run_jobhost({"list", "--settings", "--plugin-dir", plugins, "--plugin-dir", (dir / "old").string()});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(^PLUGIN +SETTING +TYPE +DEFAULT +HELP\n)"))) << result.out;
  EXPECT_TRUE(std::regex_search(result.out,
                                std::regex(R"(\nhello +greeting +text +Hello from jobhost +the text greet logs\n)")))
      << result.out;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(\ntx_watch +drop-after +duration +1h +unknown to the node)")))
      << result.out;
  EXPECT_TRUE(std::regex_search(
      result.out, std::regex(R"(\nsdk_1_0 +- +- +- +declares none: its settings are passed on unchecked\n)")))
      << result.out;
  EXPECT_NE(result.out.find("\ntx_watch: its jobs use the chain(s) named by setting chain\n"), std::string::npos)
      << result.out;
  EXPECT_EQ(result.out.find("NEXT FIRES"), std::string::npos) << "the settings instead of the jobs";
}

TEST_F(CliTest, ListShowsZonesPoliciesAndTheNextThreeFires) {
  auto result = run_jobhost({"list", "--plugin-dir", plugins, "--tz", "Asia/Kolkata", "--schedule",
                             "hello.greet=30 9 * * *", "--set", "job.hello.greet.overlap=queue", "--set",
                             "job.hello.greet.jitter=5s"});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_TRUE(std::regex_search(result.out, std::regex(R"(JOB +SCHEDULE +ZONE +POLICIES +NEXT FIRES +DESCRIPTION\n)"))) << result.out;
  // The row, then two more fires on the days after, each at 09:30 in Kolkata.
  EXPECT_TRUE(std::regex_search(
      result.out, std::regex(R"(hello\.greet +30 9 \* \* \* +Asia/Kolkata +overlap=queue misfire=once jitter=5s +)"
                             R"(\d{4}-\d\d-\d\dT09:30:00\+05:30 +Logs the greeting with the scheduled time\n)"
                             R"( +\d{4}-\d\d-\d\dT09:30:00\+05:30\n +)"
                             R"(\d{4}-\d\d-\d\dT09:30:00\+05:30\n)")))
      << result.out;
}

TEST_F(CliTest, CheckListsEveryProblem) {
  copy_fixture("good", dir.path());
  auto clean = run_jobhost({"check", "--plugin-dir", dir.path().string()});
  EXPECT_EQ(clean.exit_status, 0) << clean.out << clean.err;
  EXPECT_NE(clean.out.find("1 plugins, 1 jobs, 0 problems"), std::string::npos) << clean.out;

  copy_fixture("abi_mismatch", dir.path());
  copy_fixture("throws_in_configure", dir.path());
  auto broken = run_jobhost({"check", "--plugin-dir", dir.path().string(), "--schedule", "good.tick=@every 0s"});
  EXPECT_EQ(broken.exit_status, 1);
  EXPECT_NE(broken.out.find("abi_mismatch.so: ABI mismatch"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("throws_in_configure.so: configure() threw"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("job.good.tick.schedule"), std::string::npos) << broken.out;
  EXPECT_NE(broken.out.find("3 problems"), std::string::npos) << broken.out;
}

TEST_F(CliTest, CheckReportsMisspeltPluginSettingsMissingChainsAndSettingsForAbsentPlugins) {
  testing::fake::FakeNode node;
  node.set_handler(testing::fake::rpc([](const nlohmann::json& call) { return testing::fake::result(call, "0x1"); }));
  auto result = run_jobhost({"check", "--plugin-dir", plugins, "--chain", "main=" + node.url(), "--set",
                             "hello.greting=Hi", "--set", "nosuch.path=/x", "--set",
                             "job.tx_watch.confirm.chain=sepolia", "--set", "job.chain_height.watch.stall-afer=1m"});
  EXPECT_EQ(result.exit_status, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("error: " + plugins +
                            "/hello.so: hello.greting: hello has no setting \"greting\" (its settings: greeting)\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("error: job.chain_height.watch.stall-afer: chain_height has no setting \"stall-afer\" (its "
                            "settings: chains, stall-after)\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("error: tx_watch.confirm uses chain \"sepolia\" (its setting chain), which is not "
                            "configured (configured: main; add --chain sepolia=URL or [chain.sepolia] url = URL)\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("warning: settings for plugin \"nosuch\" ignored: no plugin of that name is loaded\n"),
            std::string::npos)
      << result.out;
  EXPECT_NE(result.out.find("2 plugins, 2 jobs, 3 problems"), std::string::npos) << result.out;
}

TEST_F(CliTest, AMissingPluginDirectoryRefusesToStartUnlessItIsOptional) {
  const std::string missing = (dir / "missing").string();
  auto run = run_jobhost({"run", "--plugin-dir", missing, "--state-dir", (dir / "state").string()});
  EXPECT_EQ(run.exit_status, 2) << run.err;
  EXPECT_NE(run.err.find("plugin-dir " + missing +
                         ": does not exist (expected a directory of *.so plugin files; name it with "
                         "--optional-plugin-dir to start without it)"),
            std::string::npos)
      << run.err;

  std::filesystem::create_directory(dir / "plugins");
  copy_fixture("good", dir / "plugins");
  auto check = run_jobhost({"check", "--plugin-dir", (dir / "plugins").string(), "--optional-plugin-dir", missing});
  EXPECT_EQ(check.exit_status, 0) << check.out << check.err;
  EXPECT_NE(check.out.find("1 plugins, 1 jobs, 0 problems"), std::string::npos) << check.out;
}

TEST_F(CliTest, TheExampleConfigFileIsValid) {
  testing::fake::FakeNode node;  // stands in for the example's chain node
  node.set_handler(testing::fake::rpc([](const nlohmann::json& call) { return testing::fake::result(call, "0x1"); }));
  auto result = run_jobhost({"check", "--config", JOBHOST_TEST_SOURCE_DIR "/examples/jobhost.ini", "--plugin-dir",
                             plugins, "--chain", "main=" + node.url()});
  EXPECT_EQ(result.exit_status, 0) << result.out << result.err;
  EXPECT_NE(result.out.find("3 plugins, 3 jobs, 0 problems"), std::string::npos) << result.out;
}

TEST_F(CliTest, CheckReportsChainsItCannotReach) {
  const std::string closed = "http://127.0.0.1:" + std::to_string(testing::free_port());
  auto result = run_jobhost({"check", "--plugin-dir", plugins, "--chain", "main=" + closed, "--chain",
                             "backup=" + closed, "--set", "chain.backup.timeout=500ms"});
  EXPECT_EQ(result.exit_status, 1) << result.out << result.err;
  EXPECT_NE(result.out.find("error: chain \"backup\" is unavailable: chain backup: "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("error: chain \"main\" is unavailable: chain main: "), std::string::npos) << result.out;
  EXPECT_NE(result.out.find("2 problems"), std::string::npos) << result.out;
}

TEST_F(CliTest, ChainOptionsAreChecked) {
  auto no_url = run_jobhost({"check", "--plugin-dir", plugins, "--set", "chain.main.timeout=1s"});
  EXPECT_EQ(no_url.exit_status, 2);
  EXPECT_NE(no_url.err.find("chain.main.url: missing"), std::string::npos) << no_url.err;
  auto bad = run_jobhost({"check", "--plugin-dir", plugins, "--chain", "main"});
  EXPECT_EQ(bad.exit_status, 2);
  EXPECT_NE(bad.err.find("--chain: expected NAME=URL"), std::string::npos) << bad.err;
  auto typo = run_jobhost({"check", "--plugin-dir", plugins, "--set", "chain.main.uri=http://127.0.0.1:1"});
  EXPECT_EQ(typo.exit_status, 2);
  EXPECT_NE(typo.err.find("unknown key \"chain.main.uri\""), std::string::npos) << typo.err;
}

TEST_F(CliTest, CredentialsAreRedactedFromEveryLogLineEvenANodesErrorText) {
  // A node whose error echoes the request, credentials included.
  testing::fake::FakeNode node;
  node.set_handler([](const testing::fake::Recorded& request, std::size_t) {
    return testing::fake::Reply(
        200, testing::fake::error(request.parsed(), -32000,
                                  "rejected " + request.target + " with " + request.header("Authorization"))
                 .dump());
  });
  setenv("JOBHOST_TEST_NODE_HEADER", "X-Api-Key: headerfromenv789", 1);
  auto result = run_jobhost({"run-job", "chain_height.watch", "--plugin-dir", plugins, "--state-dir",
                             (dir / "state").string(), "--chain", "main=" + node.url() + "?apikey=querytoken123",
                             "--set", "chain.main.headers=Authorization: Bearer bearertoken456", "--set",
                             "chain.main.headers-env=JOBHOST_TEST_NODE_HEADER"});
  unsetenv("JOBHOST_TEST_NODE_HEADER");
  ASSERT_EQ(node.requests().size() >= 1, true) << result.err;
  EXPECT_EQ(node.requests()[0].header("X-Api-Key"), "headerfromenv789") << "the header from the environment was sent";
  EXPECT_NE(result.err.find("rejected /?apikey=*** with ***"), std::string::npos) << result.err;
  for (const char* secret : {"querytoken123", "bearertoken456", "headerfromenv789"}) {
    EXPECT_EQ(result.err.find(secret), std::string::npos) << secret << " in\n" << result.err;
  }

  // `check` prints its errors itself, not through the log: redacted all the same.
  auto check = run_jobhost({"check", "--plugin-dir", plugins, "--chain", "main=" + node.url() + "?apikey=querytoken123",
                            "--set", "chain.main.headers=Authorization: Bearer bearertoken456"});
  EXPECT_EQ(check.exit_status, 1);
  EXPECT_NE(check.out.find("error: chain \"main\" is unavailable: "), std::string::npos) << check.out;
  EXPECT_NE(check.out.find("rejected /?apikey=*** with ***"), std::string::npos) << check.out;
  for (const char* secret : {"querytoken123", "bearertoken456"}) {
    EXPECT_EQ(check.out.find(secret), std::string::npos) << secret << " in\n" << check.out;
  }
}

TEST_F(CliTest, RunJobRunsOneJobOnceAndReportsItsOutcome) {
  const std::string state = (dir / "state").string();
  auto ok = run_jobhost({"run-job", "hello.greet", "--plugin-dir", plugins, "--state-dir", state, "--set",
                         "hello.greeting=Good morning"});
  EXPECT_EQ(ok.exit_status, 0) << ok.err;
  EXPECT_NE(ok.err.find("[hello.greet] Good morning"), std::string::npos) << ok.err;

  copy_fixture("slow", dir.path());
  auto failed = run_jobhost({"run-job", "slow.fail", "--plugin-dir", dir.path().string(), "--state-dir", state});
  EXPECT_EQ(failed.exit_status, 1);
  EXPECT_NE(failed.err.find("[slow.fail] run failed"), std::string::npos) << failed.err;
  EXPECT_NE(failed.err.find("deliberate failure"), std::string::npos) << failed.err;

  auto missing = run_jobhost({"run-job", "hello.nope", "--plugin-dir", plugins, "--state-dir", state});
  EXPECT_EQ(missing.exit_status, 2);
  EXPECT_NE(missing.err.find("no job named \"hello.nope\""), std::string::npos) << missing.err;
}

}  // namespace
}  // namespace jobhost
