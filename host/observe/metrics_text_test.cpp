#include "observe/metrics_text.hpp"

#include <gtest/gtest.h>

#include "jobhost/version.hpp"

#include "logging/log_hub.hpp"
#include "runtime/test_job.hpp"

namespace jobhost::observe {
namespace {

using namespace std::chrono_literals;

class MetricsTextTest : public ::testing::Test {
 protected:
  logging::LogHub logs{logging::LogOptions{}};
  jobs::JobList jobs;

  std::string render() {
    HostSnapshot host{jobs, "1.2.3", 2, 1, {{"main", {1, 3}}}, {{"crashy", 4}}, {}};
    host.log_lines_dropped = {{"chatty", 12345}};
    return render_metrics(host);
  }
};

TEST_F(MetricsTextTest, CountsEveryOutcomeOfEveryJob) {
  jobs.push_back(runtime::make_test_job(logs, "@hourly", [](JobContext&) {}, "hello.greet"));
  jobs[0]->stats.runs_ok = 5;
  jobs[0]->stats.fires_skipped = 2;
  jobs[0]->stats.fires_missed = 7;
  jobs[0]->stats.runs_killed = 3;
  const std::string text = render();
  EXPECT_NE(text.find("# TYPE jobhost_job_runs_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("jobhost_job_runs_total{job=\"hello.greet\",outcome=\"ok\"} 5\n"), std::string::npos) << text;
  EXPECT_NE(text.find("jobhost_job_runs_total{job=\"hello.greet\",outcome=\"failed\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("jobhost_job_runs_total{job=\"hello.greet\",outcome=\"timeout\"} 0\n"), std::string::npos);
  EXPECT_NE(text.find("jobhost_job_runs_total{job=\"hello.greet\",outcome=\"killed\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("jobhost_job_runs_total{job=\"hello.greet\",outcome=\"skipped\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("jobhost_job_runs_total{job=\"hello.greet\",outcome=\"missed\"} 7\n"), std::string::npos);
  EXPECT_NE(text.find("jobhost_job_running{job=\"hello.greet\"} 0\n"), std::string::npos);
}

TEST_F(MetricsTextTest, HistogramsAreCumulativeAndEndInTheirCount) {
  jobs.push_back(runtime::make_test_job(logs, "@hourly", [](JobContext&) {}, "p.j"));
  jobs[0]->stats.run_duration.observe(5ms);
  jobs[0]->stats.run_duration.observe(2s);
  jobs[0]->stats.fire_lag.observe(200us);
  const std::string text = render();
  EXPECT_NE(text.find("# TYPE jobhost_job_duration_seconds histogram\n"), std::string::npos) << text;
  EXPECT_NE(text.find("jobhost_job_duration_seconds_bucket{job=\"p.j\",le=\"0.001\"} 0\n"), std::string::npos) << text;
  EXPECT_NE(text.find("jobhost_job_duration_seconds_bucket{job=\"p.j\",le=\"0.01\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("jobhost_job_duration_seconds_bucket{job=\"p.j\",le=\"5\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("jobhost_job_duration_seconds_bucket{job=\"p.j\",le=\"+Inf\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("jobhost_job_duration_seconds_sum{job=\"p.j\"} 2.0049999999999999\n"), std::string::npos) << text;
  EXPECT_NE(text.find("jobhost_job_duration_seconds_count{job=\"p.j\"} 2\n"), std::string::npos);
  EXPECT_NE(text.find("jobhost_job_lag_seconds_bucket{job=\"p.j\",le=\"0.001\"} 1\n"), std::string::npos) << text;
}

TEST_F(MetricsTextTest, HostWideFigures) {
  const std::string text = render();
  EXPECT_NE(text.find("jobhost_plugins_loaded 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("jobhost_plugin_load_errors_total 1\n"), std::string::npos);
  EXPECT_NE(text.find("jobhost_client_init_total{chain=\"main\",outcome=\"ok\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("jobhost_client_init_total{chain=\"main\",outcome=\"failed\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("# TYPE jobhost_plugin_worker_deaths_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("jobhost_plugin_worker_deaths_total{plugin=\"crashy\"} 4\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE jobhost_plugin_log_lines_dropped_total counter\n"), std::string::npos) << text;
  EXPECT_NE(text.find("jobhost_plugin_log_lines_dropped_total{plugin=\"chatty\"} 12345\n"), std::string::npos) << text;
  const std::string sdk = std::to_string(JOBHOST_SDK_VERSION_MAJOR) + "." + std::to_string(JOBHOST_SDK_VERSION_MINOR);
  EXPECT_NE(text.find("jobhost_build_info{version=\"1.2.3\",sdk=\"" + sdk + "\"} 1\n"), std::string::npos) << text;
}

TEST(MetricsText, EscapesLabelValues) { EXPECT_EQ(escape_label("a\"b\\c\nd"), "a\\\"b\\\\c\\nd"); }

}  // namespace
}  // namespace jobhost::observe
