#include "runtime/job_policy.hpp"

#include <gtest/gtest.h>

#include "jobhost/error.hpp"

namespace jobhost::runtime {
namespace {

using namespace std::chrono_literals;

std::string error_of(const std::map<std::string, std::string>& settings) {
  try {
    read_job_policy(settings, "job.p.j.");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

TEST(JobPolicy, Defaults) {
  const JobPolicy policy = read_job_policy({}, "job.p.j.");
  EXPECT_EQ(policy.overlap, Overlap::skip);
  EXPECT_EQ(policy.max_concurrent, 4u);
  EXPECT_FALSE(policy.timeout.has_value());
  EXPECT_EQ(policy.kill_grace, 10s);
  EXPECT_EQ(policy.jitter, 0s);
  EXPECT_EQ(policy.misfire, Misfire::once);
  EXPECT_FALSE(policy.starting_deadline.has_value());
}

TEST(JobPolicy, ReadsEveryKey) {
  const JobPolicy policy = read_job_policy(
      {{"overlap", "allow"}, {"max-concurrent", "7"}, {"timeout", "1m"}, {"kill-grace", "5s"}, {"jitter", "2s"}},
      "job.p.j.");
  EXPECT_EQ(policy.overlap, Overlap::allow);
  EXPECT_EQ(policy.max_concurrent, 7u);
  EXPECT_EQ(policy.timeout, 60s);
  EXPECT_EQ(policy.kill_grace, 5s);
  EXPECT_EQ(policy.jitter, 2s);
  EXPECT_EQ(read_job_policy({{"overlap", "queue"}}, "").overlap, Overlap::queue);
  EXPECT_EQ(read_job_policy({{"overlap", "replace"}}, "").overlap, Overlap::replace);
  const JobPolicy misfire = read_job_policy({{"misfire", "skip"}, {"starting-deadline", "90s"}}, "");
  EXPECT_EQ(misfire.misfire, Misfire::skip);
  EXPECT_EQ(misfire.starting_deadline, 90s);
}

TEST(JobPolicy, BadValuesNameTheKey) {
  EXPECT_EQ(error_of({{"overlap", "sometimes"}}),
            "job.p.j.overlap: \"sometimes\" is not an overlap policy (expected skip, queue, allow or replace)");
  EXPECT_NE(error_of({{"max-concurrent", "0"}}).find("job.p.j.max-concurrent"), std::string::npos);
  EXPECT_NE(error_of({{"timeout", "soon"}}).find("job.p.j.timeout"), std::string::npos);
  EXPECT_NE(error_of({{"timeout", "0s"}}).find("job.p.j.timeout: must be more than 0"), std::string::npos);
  EXPECT_NE(error_of({{"jitter", "-1s"}}).find("job.p.j.jitter"), std::string::npos);
  EXPECT_EQ(error_of({{"misfire", "twice"}}),
            "job.p.j.misfire: \"twice\" is not a misfire policy (expected once or skip)");
  EXPECT_EQ(error_of({{"starting-deadline", "500ms"}}), "job.p.j.starting-deadline: must be at least 1s");
  // Longer would let "now + timeout + kill-grace" wrap around into the past.
  EXPECT_EQ(error_of({{"timeout", "2562047h"}}),
            "job.p.j.timeout: \"2562047h\" is too long a duration (at most 100 years (876000h))");
  EXPECT_EQ(read_job_policy({{"timeout", "876000h"}, {"kill-grace", "876000h"}}, "").timeout, 876000h);
}

TEST(JobPolicy, DescribesItselfInTheKeysOwnWords) {
  EXPECT_EQ(describe(read_job_policy({}, "")), "overlap=skip misfire=once");
  EXPECT_EQ(describe(read_job_policy({{"overlap", "allow"},
                                      {"max-concurrent", "2"},
                                      {"misfire", "skip"},
                                      {"starting-deadline", "5m"},
                                      {"timeout", "30s"},
                                      {"jitter", "1500ms"}},
                                     "")),
            "overlap=allow max-concurrent=2 misfire=skip starting-deadline=5m timeout=30s kill-grace=10s jitter=1.5s");
}

}  // namespace
}  // namespace jobhost::runtime
