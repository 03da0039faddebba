#include "observe/jobs_json.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "logging/log_hub.hpp"
#include "runtime/test_job.hpp"
#include "schedule/iso8601.hpp"

namespace jobhost::observe {
namespace {

using namespace std::chrono_literals;

TEST(JobsJson, ShowsEveryJobWithItsLastRunAndNextFire) {
  logging::LogHub logs{logging::LogOptions{}};
  jobs::JobList jobs;
  jobs.push_back(runtime::make_test_job(logs, "*/10 * * * * *", [](JobContext&) {}, "hello.greet",
                                        schedule::TimeZone::utc()));
  jobs.push_back(runtime::make_test_job(logs, "@daily", [](JobContext&) {}, "hello.wave", schedule::TimeZone::utc()));
  jobs[0]->spec.policy.overlap = runtime::Overlap::queue;
  jobs[0]->stats.runs_ok = 3;
  jobs[0]->stats.last_run = runtime::JobStats::LastRun{schedule::parse_iso8601("2026-03-07T12:00:00Z", "t"), "ok", 1500us,
                                                     schedule::parse_iso8601("2026-03-07T12:00:01Z", "t")};
  jobs[0]->next_fire = schedule::parse_iso8601("2026-03-07T12:00:10Z", "t").time_since_epoch().count();
  jobs[1]->spec.enabled = false;
  auto described = std::make_shared<JobDefinition>(*jobs[0]->spec.definition);
  described->description = "says hello";
  jobs[0]->spec.definition = described;

  const auto json = nlohmann::json::parse(render_jobs_json(
      HostSnapshot{jobs, "0.1.0", 1, 0, {}, {}, {{"hello", "ABI mismatch"}}, {{"hello", "greets the world"}}}));
  ASSERT_EQ(json.size(), 2u);
  const auto& greet = json[0];
  EXPECT_EQ(greet["name"], "hello.greet");
  EXPECT_EQ(greet["description"], "says hello");
  EXPECT_EQ(greet["plugin_description"], "greets the world");
  EXPECT_EQ(greet["schedule"], "*/10 * * * * *");
  EXPECT_EQ(greet["zone"], "Etc/UTC");
  EXPECT_EQ(greet["enabled"], true);
  EXPECT_EQ(greet["policies"], "overlap=queue misfire=once");
  EXPECT_EQ(greet["running"], 0);
  EXPECT_EQ(greet["runs"]["ok"], 3);
  EXPECT_EQ(greet["last_run"]["outcome"], "ok");
  EXPECT_EQ(greet["last_run"]["scheduled"], "2026-03-07T12:00:00+00:00");
  EXPECT_DOUBLE_EQ(greet["last_run"]["duration_seconds"].get<double>(), 0.0015);
  EXPECT_EQ(greet["next_fire"], "2026-03-07T12:00:10+00:00");
  EXPECT_EQ(greet["replacement_refused"], "ABI mismatch") << "its plugin's new file was refused";
  EXPECT_EQ(json[1]["enabled"], false);
  EXPECT_EQ(json[1]["description"], "") << "a job without a description";
  EXPECT_TRUE(json[1]["last_run"].is_null());
  EXPECT_TRUE(json[1]["next_fire"].is_null());
}

// A plugin's text (a description, what its worker wrote as it failed to
// load) may hold bytes that are not UTF-8: the JSON stays valid.
TEST(JobsJson, BytesThatAreNotUtf8InAPluginsTextAreReplaced) {
  logging::LogHub logs{logging::LogOptions{}};
  jobs::JobList jobs;
  jobs.push_back(runtime::make_test_job(logs, "@daily", [](JobContext&) {}, "hello.greet", schedule::TimeZone::utc()));
  auto described = std::make_shared<JobDefinition>(*jobs[0]->spec.definition);
  described->description = "caf\xc3\xa9 \xff";
  jobs[0]->spec.definition = described;

  const auto json = nlohmann::json::parse(render_jobs_json(HostSnapshot{
      jobs, "0.1.0", 1, 0, {}, {}, {{"hello", "its last output: \xfe\xff"}}, {{"hello", "ok"}}}));
  EXPECT_EQ(json[0]["description"], "caf\xc3\xa9 \xef\xbf\xbd");  // U+FFFD
  EXPECT_EQ(json[0]["replacement_refused"], "its last output: \xef\xbf\xbd\xef\xbf\xbd");
}

}  // namespace
}  // namespace jobhost::observe
