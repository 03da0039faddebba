#include "pending_set.hpp"

#include <gtest/gtest.h>

#include "test_fakes.hpp"

namespace tx_watch {
namespace {

using jobhost::LogLevel;
using testing::FakeLogger;
using testing::read_file;
using testing::TempDir;
using testing::tx;
using testing::write_file;

TEST(PendingSet, AMissingFileIsAnEmptySet) {
  TempDir dir;
  FakeLogger log;
  EXPECT_TRUE(load_pending(dir.path() / "pending", log).empty());
}

TEST(PendingSet, SavesOneLinePerHashAndLoadsItBack) {
  TempDir dir;
  const auto file = dir.path() / "pending";
  const PendingSet pending{{tx(2), 1'700'000'100}, {tx(1), 1'700'000'000}};
  save_pending(file, pending);
  EXPECT_EQ(read_file(file), tx(1) + " 1700000000\n" + tx(2) + " 1700000100\n");
  FakeLogger log;
  EXPECT_EQ(load_pending(file, log), pending);
  EXPECT_EQ(log.text(), "");
}

TEST(PendingSet, SavingReplacesTheFileAndLeavesNoTempFile) {
  TempDir dir;
  const auto file = dir.path() / "pending";
  save_pending(file, {{tx(1), 1}});
  write_file(dir.path() / "pending.tmp", "half-written by a process that was killed");  // a crash's leftover
  save_pending(file, {{tx(2), 2}});
  EXPECT_EQ(read_file(file), tx(2) + " 2\n");
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "pending.tmp"));
  save_pending(file, {});
  EXPECT_EQ(read_file(file), "");
}

TEST(PendingSet, MalformedLinesAreSkippedWithAWarning) {
  TempDir dir;
  const auto file = dir.path() / "pending";
  write_file(file, tx(1) + " 10\ngarbage\n" + tx(2) + "\n" + tx(3) + " soon\n" + tx(4) + " 40\n");
  FakeLogger log;
  EXPECT_EQ(load_pending(file, log), (PendingSet{{tx(1), 10}, {tx(4), 40}}));
  EXPECT_EQ(log.count(LogLevel::warn, "expected \"HASH UNIX_SECONDS\""), 3u) << log.text();
  EXPECT_EQ(log.count(LogLevel::warn, file.string() + " line 2:"), 1u) << log.text();
}

}  // namespace
}  // namespace tx_watch
