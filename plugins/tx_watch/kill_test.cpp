// Crash safety for real: a child process runs the job and is killed with
// SIGKILL at random moments, round after round, while new inbox files keep
// arriving. The parent then finishes the work and checks that every hash was
// reported exactly once.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <map>
#include <random>
#include <set>
#include <thread>

#include "confirm_job.hpp"
#include "inbox.hpp"
#include "test_fakes.hpp"

namespace tx_watch {
namespace {

using testing::FakeContext;
using testing::TempDir;
using testing::tx;

// Runs the job the way the host would, with every hash in `hashes` mined.
void run_job(const std::filesystem::path& dir, const std::set<std::string>& hashes, ConfirmJob& job) {
  FakeContext context(dir);
  for (const auto& hash : hashes) context.client.set(hash, jobhost::TxStatus::success, 1);
  context.client.set_head(1);
  job.run(context);
}

TEST(KillTest, EveryHashIsReportedExactlyOnceWheneverTheProcessDies) {
  TempDir dir;
  std::filesystem::create_directories(dir.path() / "inbox");
  std::mt19937 random(20260309);
  std::set<std::string> hashes;
  for (int round = 0; round < 20; ++round) {
    // Four files of 60 hashes; each shares 20 with the next (across rounds too).
    for (int file = 0; file < 4; ++file) {
      std::string content;
      for (int i = 0; i < 60; ++i) {
        const std::string hash = tx(static_cast<unsigned long long>(round * 160 + file * 40 + i));
        hashes.insert(hash);
        content += hash + "\n";
      }
      testing::write_file(dir.path() / "inbox" / ("r" + std::to_string(round) + "f" + std::to_string(file)), content);
    }

    const pid_t child = fork();
    ASSERT_GE(child, 0);
    if (child == 0) {
      // Runs until killed, like the daemon; after the first run the rest are
      // idle, so most kills land in the middle of real work.
      try {
        ConfirmJob job;
        for (;;) run_job(dir.path(), hashes, job);
      } catch (...) {
        _exit(1);
      }
    }
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, 40'000)(random)));
    kill(child, SIGKILL);
    int status = 0;
    ASSERT_EQ(waitpid(child, &status, 0), child);
    ASSERT_TRUE(WIFSIGNALED(status)) << "the child failed in round " << round;
  }
  ConfirmJob job;
  run_job(dir.path(), hashes, job);

  std::map<std::string, int> reported;
  for (const auto& line : testing::read_lines(dir.path() / "confirmed.jsonl")) {
    const auto start = line.find("\"tx\":\"") + 6;
    ++reported[line.substr(start, 66)];
    EXPECT_EQ(line, "{\"chain\":\"main\",\"tx\":\"" + line.substr(start, 66) +
                        "\",\"status\":\"success\",\"block\":1,\"confirmations\":1}");
  }
  EXPECT_EQ(reported.size(), hashes.size());
  for (const auto& hash : hashes) EXPECT_EQ(reported[hash], 1) << hash;
  EXPECT_EQ(testing::read_file(dir.path() / "pending"), "");
  EXPECT_TRUE(list_inbox(dir.path() / "inbox").empty());
}

}  // namespace
}  // namespace tx_watch
