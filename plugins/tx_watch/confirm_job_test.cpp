// The whole job against real files in a temporary state directory and a
// scripted node.
#include "confirm_job.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "test_fakes.hpp"

namespace tx_watch {
namespace {

using namespace std::chrono_literals;
using jobhost::LogLevel;
using jobhost::TxStatus;
using testing::FakeChainClient;
using testing::FakeContext;
using testing::read_file;
using testing::read_lines;
using testing::TempDir;
using testing::tx;
using testing::write_file;

std::string success_line(const std::string& hash, std::uint64_t block, std::uint64_t confirmations) {
  return "{\"chain\":\"main\",\"tx\":\"" + hash + "\",\"status\":\"success\",\"block\":" + std::to_string(block) +
         ",\"confirmations\":" + std::to_string(confirmations) + "}";
}

class ConfirmJobTest : public ::testing::Test {
 protected:
  void SetUp() override { std::filesystem::create_directories(inbox()); }

  std::filesystem::path inbox() const { return dir.path() / "inbox"; }
  std::filesystem::path pending_file() const { return dir.path() / "pending"; }
  std::filesystem::path confirmed_file() const { return dir.path() / "confirmed.jsonl"; }
  std::int64_t now_seconds() const {
    return std::chrono::duration_cast<std::chrono::seconds>(context.now.time_since_epoch()).count();
  }

  void run() { job.run(context); }

  TempDir dir;
  FakeContext context{dir.path()};
  ConfirmJob job;
};

TEST_F(ConfirmJobTest, InboxFilesBecomePendingAndAreDeleted) {
  write_file(inbox() / "a.txt", tx(1) + "\n" + tx(2) + "\nbogus\n");
  write_file(inbox() / "b.txt", "# batch b\n" + tx(2) + "\n" + tx(3) + "\n" + tx(1) + "\n");
  write_file(inbox() / ".c.txt", tx(4) + "\n");
  write_file(inbox() / "d.txt.tmp", tx(5) + "\n");
  run();

  const std::string seen = " " + std::to_string(now_seconds());
  EXPECT_EQ(read_lines(pending_file()), (std::vector<std::string>{tx(1) + seen, tx(2) + seen, tx(3) + seen}));
  EXPECT_FALSE(std::filesystem::exists(inbox() / "a.txt"));
  EXPECT_FALSE(std::filesystem::exists(inbox() / "b.txt"));
  EXPECT_TRUE(std::filesystem::exists(inbox() / ".c.txt"));
  EXPECT_TRUE(std::filesystem::exists(inbox() / "d.txt.tmp"));
  EXPECT_EQ(context.logger.count(LogLevel::warn, (inbox() / "a.txt").string() +
                                                     ": 1 line is not a transaction hash (expected 0x and 64 hex "
                                                     "digits) and skipped: line 3 \"bogus\""),
            1u)
      << context.logger.text();
  EXPECT_EQ(context.logger.count(LogLevel::info, "3 new, 0 confirmed, 0 dropped, 3 pending"), 1u)
      << context.logger.text();
  EXPECT_EQ(context.client.tx_infos_calls(), 1);
  EXPECT_EQ(read_file(confirmed_file()), "");
}

TEST_F(ConfirmJobTest, AFileWhoseLastLineIsUnfinishedWaitsUntilItIsQuiet) {
  const auto file = inbox() / "in_place.txt";
  write_file(file, tx(1) + "\n" + tx(2) + "\n" + tx(3).substr(0, 30));  // its writer is mid-line
  run();
  EXPECT_TRUE(std::filesystem::exists(file)) << "taken while still being written";
  EXPECT_FALSE(std::filesystem::exists(pending_file()));

  write_file(file, tx(1) + "\n" + tx(2) + "\n" + tx(3) + "\n");  // finished
  run();
  EXPECT_FALSE(std::filesystem::exists(file));
  EXPECT_EQ(read_lines(pending_file()).size(), 3u) << "no hash lost";
}

TEST_F(ConfirmJobTest, TheInboxIsCreatedWhenMissingAndAnIdleRunAsksNothing) {
  std::filesystem::remove(inbox());
  run();
  EXPECT_TRUE(std::filesystem::is_directory(inbox()));
  EXPECT_EQ(context.client.tx_infos_calls(), 0);
  EXPECT_EQ(context.logger.count(LogLevel::info, ""), 0u) << context.logger.text();
  EXPECT_EQ(context.logger.count(LogLevel::debug, "0 new, 0 confirmed, 0 dropped, 0 pending"), 1u);
}

TEST_F(ConfirmJobTest, HashesAlreadyReportedAreNotWatchedAgain) {
  write_file(confirmed_file(), success_line(tx(1), 10, 1) + "\n");
  write_file(inbox() / "again.txt", tx(1) + "\n" + tx(2) + "\n");
  run();
  EXPECT_EQ(read_lines(pending_file()), (std::vector<std::string>{tx(2) + " " + std::to_string(now_seconds())}));
  EXPECT_EQ(context.logger.count(LogLevel::info, tx(1) + " from " + (inbox() / "again.txt").string() +
                                                     " was already reported"),
            1u)
      << context.logger.text();
  EXPECT_EQ(read_lines(confirmed_file()).size(), 1u);
}

// A crash after the pending set was saved but before the inbox file was
// deleted: the file is read again on restart and adds nothing.
TEST_F(ConfirmJobTest, AnInboxFileReadAgainAfterACrashAddsNoDuplicates) {
  const std::string content = tx(1) + "\n" + tx(2) + "\n";
  write_file(inbox() / "batch", content);
  run();
  const std::string pending_before = read_file(pending_file());

  write_file(inbox() / "batch", content);  // as if the delete never happened
  context.now += 15s;
  ConfirmJob restarted;
  restarted.run(context);
  EXPECT_EQ(read_file(pending_file()), pending_before);  // same hashes, first-seen times kept
  EXPECT_FALSE(std::filesystem::exists(inbox() / "batch"));
  EXPECT_EQ(context.logger.count(LogLevel::debug, "0 new, 0 confirmed, 0 dropped, 2 pending"), 1u)
      << context.logger.text();
}

// The pending set is saved before any inbox file is deleted: when saving
// fails, the run fails and the file stays for the next run.
TEST_F(ConfirmJobTest, AnInboxFileIsKeptWhenThePendingSetCannotBeSaved) {
  write_file(inbox() / "batch", tx(1) + "\n");
  std::filesystem::create_directory(dir.path() / "pending.tmp");  // the temp file cannot be created
  EXPECT_THROW(run(), std::system_error);
  EXPECT_TRUE(std::filesystem::exists(inbox() / "batch"));

  std::filesystem::remove(dir.path() / "pending.tmp");
  run();
  EXPECT_EQ(read_lines(pending_file()).size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(inbox() / "batch"));
}

// A crash in the middle of an append, and after an earlier append but before
// the pending set was updated: the partial line is cut off, and the hash that
// was already reported is not reported again.
TEST_F(ConfirmJobTest, APartialLastLineIsRepairedAndNothingIsReportedTwice) {
  write_file(confirmed_file(), success_line(tx(1), 10, 1) + "\n" + success_line(tx(2), 10, 1).substr(0, 50));
  write_file(pending_file(), tx(1) + " 1700000000\n" + tx(2) + " 1700000000\n");
  context.client.set(tx(1), TxStatus::success, 10);
  context.client.set(tx(2), TxStatus::success, 10);
  context.client.set_head(10);
  run();
  EXPECT_EQ(read_lines(confirmed_file()),
            (std::vector<std::string>{success_line(tx(1), 10, 1), success_line(tx(2), 10, 1)}));
  EXPECT_EQ(read_file(pending_file()), "");
  EXPECT_EQ(context.logger.count(LogLevel::warn, "ends with a partial line"), 1u) << context.logger.text();
  EXPECT_EQ(context.logger.count(LogLevel::info, "0 new, 2 confirmed, 0 dropped, 0 pending"), 1u)
      << context.logger.text();
}

TEST_F(ConfirmJobTest, ConfirmationsAreCountedAsTheHeadAdvances) {
  context.job_settings = testing::settings({{"confirmations", "3"}});
  write_file(inbox() / "batch", tx(1) + "\n" + tx(2) + "\n");
  context.client.set(tx(1), TxStatus::success, 100);
  context.client.set(tx(2), TxStatus::pending);
  for (std::uint64_t head : {100, 101}) {
    context.client.set_head(head);
    run();
    EXPECT_EQ(read_file(confirmed_file()), "") << "head " << head;
    EXPECT_EQ(read_lines(pending_file()).size(), 2u) << "head " << head;
    context.now += 15s;
  }
  context.client.set_head(102);
  run();
  EXPECT_EQ(read_lines(confirmed_file()), (std::vector<std::string>{success_line(tx(1), 100, 3)}));
  EXPECT_EQ(read_lines(pending_file()).size(), 1u);
  EXPECT_EQ(context.logger.count(LogLevel::info, "0 new, 1 confirmed, 0 dropped, 1 pending"), 1u)
      << context.logger.text();

  context.client.set(tx(2), TxStatus::success, 102);
  context.client.set_head(110);
  run();
  EXPECT_EQ(read_lines(confirmed_file()),
            (std::vector<std::string>{success_line(tx(1), 100, 3), success_line(tx(2), 102, 9)}));
  EXPECT_EQ(read_file(pending_file()), "");
}

TEST_F(ConfirmJobTest, FailedTransactionsAreReportedAsFailed) {
  write_file(inbox() / "batch", tx(7) + "\n");
  context.client.set(tx(7), TxStatus::failed, 42);
  context.client.set_head(42);
  run();
  EXPECT_EQ(read_lines(confirmed_file()),
            (std::vector<std::string>{"{\"chain\":\"main\",\"tx\":\"" + tx(7) +
                                      "\",\"status\":\"failed\",\"block\":42,\"confirmations\":1}"}));
  EXPECT_EQ(context.logger.count(LogLevel::info, "1 new, 1 confirmed, 0 dropped, 0 pending"), 1u)
      << context.logger.text();
}

TEST_F(ConfirmJobTest, UnknownTransactionsAreDroppedAfterDropAfter) {
  context.job_settings = testing::settings({{"drop-after", "10m"}});
  write_file(inbox() / "batch", tx(1) + "\n" + tx(2) + "\n");
  context.client.set(tx(2), TxStatus::pending);  // known to the node: never dropped
  run();
  context.now += 10min;
  run();
  EXPECT_EQ(read_lines(pending_file()).size(), 2u);
  context.now += 1s;
  run();
  EXPECT_EQ(read_lines(confirmed_file()),
            (std::vector<std::string>{"{\"chain\":\"main\",\"tx\":\"" + tx(1) +
                                      "\",\"status\":\"dropped\",\"block\":null,\"confirmations\":0}"}));
  EXPECT_EQ(read_lines(pending_file()).size(), 1u);
  EXPECT_EQ(context.logger.count(LogLevel::info, "0 new, 0 confirmed, 1 dropped, 1 pending"), 1u)
      << context.logger.text();
}

TEST_F(ConfirmJobTest, NodeErrorsAreLoggedAndLeaveThePendingSetIntact) {
  write_file(pending_file(), tx(1) + " 1700000000\n");
  write_file(inbox() / "batch", tx(2) + "\n");
  context.client.set(tx(1), TxStatus::success, 10);
  context.client.set_head(10);

  context.client.fail_with(jobhost::TransportError("connection refused by 127.0.0.1:8545"));
  EXPECT_NO_THROW(run());
  const std::string pending = tx(1) + " 1700000000\n" + tx(2) + " " + std::to_string(now_seconds()) + "\n";
  EXPECT_EQ(read_file(pending_file()), pending);
  EXPECT_EQ(context.logger.count(LogLevel::error,
                                 "cannot check transactions on chain main: connection refused by 127.0.0.1:8545; "
                                 "2 transactions stay pending"),
            1u)
      << context.logger.text();
  EXPECT_EQ(context.logger.count(LogLevel::info, "1 new, 0 confirmed, 0 dropped, 2 pending"), 1u)
      << context.logger.text();

  context.client.fail_with(jobhost::ClientUnavailableError("client initialisation failed", std::chrono::milliseconds(5000)));
  EXPECT_NO_THROW(run());
  EXPECT_EQ(read_file(pending_file()), pending);
  EXPECT_EQ(context.logger.count(LogLevel::error,
                                 "chain main is unavailable: client initialisation failed (retry after 5000ms)"),
            1u)
      << context.logger.text();

  context.job_settings = testing::settings({{"chain", "nowhere"}});
  EXPECT_NO_THROW(run());
  EXPECT_EQ(read_file(pending_file()), pending);
  EXPECT_EQ(context.logger.count(LogLevel::error, "on chain nowhere: no chain named \"nowhere\""), 1u)
      << context.logger.text();
  EXPECT_EQ(read_file(confirmed_file()), "");

  context.job_settings = jobhost::Settings();
  context.client.stop_failing();
  run();
  EXPECT_EQ(read_lines(confirmed_file()), (std::vector<std::string>{success_line(tx(1), 10, 1)}));
}

TEST_F(ConfirmJobTest, AStopRequestedBeforeTheRunDoesNothing) {
  write_file(inbox() / "batch", tx(1) + "\n");
  context.stop.request_stop();
  run();
  EXPECT_TRUE(std::filesystem::exists(inbox() / "batch"));
  EXPECT_FALSE(std::filesystem::exists(pending_file()));
  EXPECT_EQ(context.client.tx_infos_calls(), 0);
}

TEST_F(ConfirmJobTest, AStopRequestedDuringTheNodeQueryEndsTheRunWithTheInboxSaved) {
  write_file(inbox() / "batch", tx(1) + "\n");
  context.client.set(tx(1), TxStatus::success, 10);
  context.client.set_head(10);
  context.client.on_tx_infos([this] { context.stop.request_stop(); });
  run();
  EXPECT_EQ(read_lines(pending_file()).size(), 1u);
  EXPECT_FALSE(std::filesystem::exists(inbox() / "batch"));
  EXPECT_EQ(read_file(confirmed_file()), "");
  EXPECT_EQ(context.logger.count(LogLevel::info, "new,"), 0u) << context.logger.text();
}

TEST_F(ConfirmJobTest, BadJobSettingsFailTheRun) {
  context.job_settings = testing::settings({{"confirmations", "0"}});
  EXPECT_THROW(run(), jobhost::ConfigError);
}

TEST_F(ConfirmJobTest, ConcurrentRunsReportEachTransactionOnce) {
  FakeContext other(dir.path());
  for (unsigned long long file = 0; file < 20; ++file) {
    std::string content;
    for (unsigned long long n = file * 10; n < file * 10 + 10; ++n) {
      content += tx(n) + "\n";
      context.client.set(tx(n), TxStatus::success, 1);
      other.client.set(tx(n), TxStatus::success, 1);
    }
    write_file(inbox() / ("batch" + std::to_string(file)), content);
  }
  context.client.set_head(1);
  other.client.set_head(1);
  std::thread first([&] { job.run(context); });
  std::thread second([&] { job.run(other); });
  first.join();
  second.join();
  EXPECT_EQ(read_lines(confirmed_file()).size(), 200u);
  EXPECT_EQ(read_file(pending_file()), "");
}

}  // namespace
}  // namespace tx_watch
