// `jobhost run --http`: /metrics (checked by Prometheus's own promtool),
// /healthz and /jobs of a running daemon.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "support/ganache.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

using namespace std::chrono_literals;
using namespace testing;  // the support library: processes, temp dirs, logs

class HttpTest : public ::testing::Test {
 protected:
  TempDir dir;
  int port = testing::free_port();

  std::unique_ptr<BackgroundProcess> start_daemon() {
    return std::make_unique<BackgroundProcess>(
        JOBHOST_TEST_BINARY,
        std::vector<std::string>{"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir", (dir / "state").string(),
                                 "--schedule", "hello.greet=* * * * * *", "--http", std::to_string(port),
                                 "--log-file", (dir / "jobhost.log").string()},
        dir / "out", dir / "err");
  }

  // GETs `path` from the daemon, retrying while it starts.
  std::string get(const std::string& path) {
    httplib::Client client("127.0.0.1", port);
    for (int attempt = 0; attempt < 100; ++attempt) {
      if (auto response = client.Get(path.c_str()); response && response->status == 200) return response->body;
      std::this_thread::sleep_for(100ms);
    }
    ADD_FAILURE() << "no answer on " << path << "\n" << read_file(dir / "jobhost.log") << read_file(dir / "err");
    return "";
  }
};

TEST_F(HttpTest, MetricsPassPromtoolAndCountRuns) {
  auto daemon = start_daemon();
  EXPECT_EQ(get("/healthz"), "ok\n");
  std::string metrics;
  for (int i = 0; i < 50; ++i) {
    metrics = get("/metrics");
    if (metrics.find("jobhost_job_runs_total{job=\"hello.greet\",outcome=\"ok\"} 0") == std::string::npos) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_NE(metrics.find("jobhost_job_runs_total{job=\"hello.greet\",outcome=\"ok\"} "), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("jobhost_job_runs_total{job=\"hello.greet\",outcome=\"ok\"} 0\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("jobhost_job_lag_seconds_count{job=\"hello.greet\"} "), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("jobhost_plugins_loaded 3\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("jobhost_build_info{version=\""), std::string::npos) << metrics;
  EXPECT_EQ(metrics.find("jobhost_plugin_worker_deaths_total{plugin=\"hello\"} 0\n") != std::string::npos,
            testing::isolation_under_test() == "process")
      << metrics;

  testing::write_file(dir / "metrics.txt", metrics);
  const auto promtool =
      testing::run_process("/bin/sh", {"-c", "promtool check metrics < '" + (dir / "metrics.txt").string() + "'"});
  EXPECT_EQ(promtool.exit_status, 0) << promtool.out << promtool.err << metrics;

  const auto jobs = nlohmann::json::parse(get("/jobs"));
  bool found = false;
  for (const auto& job : jobs) {
    if (job["name"] != "hello.greet") continue;
    found = true;
    EXPECT_EQ(job["schedule"], "* * * * * *");
    EXPECT_EQ(job["policies"], "overlap=skip misfire=once");
    EXPECT_FALSE(job["next_fire"].is_null());
    EXPECT_EQ(job["isolation"], testing::isolation_under_test());
    if (testing::isolation_under_test() == "process") {
      EXPECT_TRUE(job["worker"].get<std::string>().starts_with("running (pid ")) << job.dump();
    } else {
      EXPECT_TRUE(job["worker"].is_null()) << job.dump();
    }
  }
  EXPECT_TRUE(found) << jobs.dump(2);

  daemon->signal(SIGTERM);
  EXPECT_EQ(daemon->wait_for_exit(10s), 0) << read_file(dir / "jobhost.log");
  EXPECT_NE(read_file(dir / "jobhost.log").find("serving /metrics, /healthz, /readyz and /jobs on http://127.0.0.1:" +
                                                std::to_string(port)),
            std::string::npos);
}

TEST_F(HttpTest, ReadinessReportsAPluginDirectoryThatWentAway) {
  const auto plugins = dir / "plugins";
  std::filesystem::create_directory(plugins);
  copy_fixture("good", plugins);
  BackgroundProcess daemon(JOBHOST_TEST_BINARY,
                           {"run", "--plugin-dir", plugins.string(), "--state-dir", (dir / "state").string(), "--http",
                            std::to_string(port), "--log-file", (dir / "jobhost.log").string()},
                           dir / "out", dir / "err");
  EXPECT_EQ(get("/readyz"), "ready\n");
  std::filesystem::remove_all(plugins);
  httplib::Client client("127.0.0.1", port);
  const auto degraded = client.Get("/readyz");
  ASSERT_TRUE(degraded);
  EXPECT_EQ(degraded->status, 503);
  EXPECT_EQ(degraded->body, "not ready:\n- plugin-dir " + plugins.string() + " is not a directory any more\n");
  EXPECT_EQ(get("/healthz"), "ok\n") << "alive all the same";
}

TEST_F(HttpTest, APortInUseStopsTheStartWithAClearError) {
  auto first = start_daemon();
  get("/healthz");
  const auto second = testing::run_jobhost({"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir",
                                            (dir / "state2").string(), "--http", "127.0.0.1:" + std::to_string(port)},
                                           20s);
  EXPECT_EQ(second.exit_status, 2) << second.err;
  EXPECT_NE(second.err.find("http: cannot listen on 127.0.0.1:" + std::to_string(port)), std::string::npos)
      << second.err;
}

TEST_F(HttpTest, ABadAddressIsAConfigurationError) {
  const auto result = testing::run_jobhost({"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir",
                                            (dir / "state").string(), "--http", "localhost:9100"});
  EXPECT_EQ(result.exit_status, 2);
  EXPECT_NE(result.err.find("http: \"localhost:9100\" does not name an IP address"), std::string::npos) << result.err;
}

}  // namespace
}  // namespace jobhost
