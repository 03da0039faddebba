#include "protocol/run_messages.hpp"

#include <gtest/gtest.h>

namespace jobhost::protocol {
namespace {

// As the other side reads it: through MessagePack.
Message carried(const Message& message) { return Message::from_msgpack(Message::to_msgpack(message)); }

std::string error_of(const std::function<void()>& read) {
  try {
    read();
  } catch (const ProtocolError& e) {
    return e.what();
  }
  return "no error";
}

TEST(RunMessagesTest, JobConstantsRoundTrip) {
  const JobConstants job{3, "watch", {{"chain", "eth"}, {"depth", "12"}}, "/var/lib/jobhost/x/watch", LogLevel::debug};
  const JobConstants read = read_job(carried(write_job(job)));
  EXPECT_EQ(read.number, 3u);
  EXPECT_EQ(read.job, "watch");
  EXPECT_EQ(read.settings, job.settings);
  EXPECT_EQ(read.state_dir, job.state_dir);
  EXPECT_EQ(read.level, LogLevel::debug);
}

TEST(RunMessagesTest, RunsRoundTripInOrder) {
  const std::vector<RunOrder> runs{{7, 0, 1'700'000'000'000'000'000}, {8, 1, -5}, {9, 0, 0}};
  const auto read = read_runs(carried(write_runs(runs)));
  ASSERT_EQ(read.size(), 3u);
  for (std::size_t i = 0; i < runs.size(); ++i) {
    EXPECT_EQ(read[i].id, runs[i].id);
    EXPECT_EQ(read[i].job, runs[i].job);
    EXPECT_EQ(read[i].scheduled_ns, runs[i].scheduled_ns);
  }
}

TEST(RunMessagesTest, EndsRoundTripWithTheirOutcomes) {
  using Outcome = RunEnd::Outcome;
  const auto read = read_done(carried(write_done({{1, Outcome::ok, {}},
                                                  {2, Outcome::failed, "boom"},
                                                  {3, Outcome::ok, {}},
                                                  {4, Outcome::stopped, "asked to stop"}})));
  ASSERT_EQ(read.size(), 4u);
  // Those that ended well come first, by their id alone.
  EXPECT_EQ(read[0].id, 1u);
  EXPECT_EQ(read[1].id, 3u);
  EXPECT_EQ(read[1].outcome, Outcome::ok);
  EXPECT_EQ(read[2].id, 2u);
  EXPECT_EQ(read[2].outcome, Outcome::failed);
  EXPECT_EQ(read[2].error, "boom");
  EXPECT_EQ(read[3].outcome, Outcome::stopped);
  EXPECT_EQ(read[3].error, "asked to stop");
}

TEST(RunMessagesTest, MalformedEndsAreNamed) {
  EXPECT_EQ(error_of([] { read_done({{"t", "done"}, {"ok", Message::array()}}); }),
            "message \"done\" has no field \"ended\"");
  EXPECT_EQ(error_of([] { read_done({{"t", "done"}, {"ok", {1, -2}}, {"ended", Message::array()}}); }),
            "message \"done\": a run id is number, expected an unsigned integer");
  EXPECT_EQ(error_of([] { read_done({{"t", "done"}, {"ok", Message::array()}, {"ended", {{1, "failed"}}}}); }),
            "message \"done\": ended run 0 is array, expected an array of 3");
  EXPECT_EQ(error_of([] {
              read_done({{"t", "done"}, {"ok", Message::array()}, {"ended", {{1, "ok", ""}}}});
            }),
            "message \"done\": outcome \"ok\" (expected failed or stopped)");
  EXPECT_EQ(error_of([] { read_done({{"t", "done"}, {"ok", Message::array()}, {"ended", {{1, "failed", 3}}}}); }),
            "message \"done\": an error is number, expected a string");
}

TEST(RunMessagesTest, MalformedRunsAreNamed) {
  EXPECT_EQ(error_of([] { read_runs({{"t", "runs"}, {"runs", {1, 0}}}); }),
            "message \"runs\" has 2 numbers, expected three for each run");
  EXPECT_EQ(error_of([] { read_runs({{"t", "runs"}, {"runs", {1, 0, 0, 2, "a", 0}}}); }),
            "message \"runs\": a job number is string, expected an unsigned integer");
  EXPECT_EQ(error_of([] { read_runs({{"t", "runs"}, {"runs", {-1, 0, 0}}}); }),
            "message \"runs\": a run id is number, expected an unsigned integer");
  EXPECT_EQ(error_of([] { read_runs({{"t", "runs"}, {"runs", {1, 0, "soon"}}}); }),
            "message \"runs\": the scheduled time of run 0 is string, expected an integer");
  EXPECT_EQ(error_of([] { read_job({{"t", "job"}, {"job", "a"}}); }), "message \"job\" has no field \"number\"");
}

}  // namespace
}  // namespace jobhost::protocol
