#include "inbox.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "test_fakes.hpp"

namespace tx_watch {
namespace {

using jobhost::LogLevel;
using testing::FakeLogger;
using testing::TempDir;
using testing::tx;
using testing::write_file;

TEST(ListInbox, CreatesAMissingInbox) {
  TempDir dir;
  EXPECT_TRUE(list_inbox(dir.path() / "inbox").empty());
  EXPECT_TRUE(std::filesystem::is_directory(dir.path() / "inbox"));
}

TEST(ListInbox, ListsCompleteFilesInNameOrder) {
  TempDir dir;
  const auto inbox = dir.path() / "inbox";
  std::filesystem::create_directories(inbox / "subdir");
  for (const char* name : {"b.txt", "a", ".hidden", "c.txt.tmp", "d.tmp", "e.tmp.txt"}) write_file(inbox / name, "");
  EXPECT_EQ(list_inbox(inbox), (std::vector<std::filesystem::path>{inbox / "a", inbox / "b.txt", inbox / "e.tmp.txt"}));
}

TEST(ReadInboxFile, ReadsHashesSkippingBlanksAndComments) {
  TempDir dir;
  const auto file = dir.path() / "orders";
  std::string upper = tx(0xabc);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  write_file(file, "# from the payments service\n" + tx(1) + "\n\n   \n  " + tx(2) + "\t\r\n" + upper + "\n  # " +
                       tx(3) + "\n" + tx(1) + "\n" + tx(4));  // no final newline
  FakeLogger log;
  EXPECT_EQ(read_inbox_file(file, log), (std::vector<std::string>{tx(1), tx(2), tx(0xabc), tx(1), tx(4)}));
  EXPECT_EQ(log.text(), "");
}

TEST(ReadInboxFile, InvalidLinesAreOneWarningWithTheFirstFewAndTheirNumbers) {
  TempDir dir;
  const auto file = dir.path() / "orders";
  write_file(file, tx(1) + "\nnot a hash\n" + tx(2) + "\n" + tx(3).substr(0, 40) + "\n" + tx(3) + " extra\n\x1b[31m\n");
  FakeLogger log;
  EXPECT_EQ(read_inbox_file(file, log), (std::vector<std::string>{tx(1), tx(2)}));
  EXPECT_EQ(log.take(LogLevel::warn),
            file.string() + ": 4 lines are not a transaction hash (expected 0x and 64 hex digits) and skipped: line 2 "
                            "\"not a hash\", line 4 \"" + tx(3).substr(0, 40) + "\", line 5 \"" + tx(3) + " extra\", ...\n");
}

TEST(ReadInboxFile, AFileOfOnlyInvalidLinesIsOneWarningLine) {
  TempDir dir;
  const auto file = dir.path() / "flood";
  std::string lines;
  for (int i = 0; i < 100000; ++i) lines += "garbage " + std::to_string(i) + "\n";
  write_file(file, lines);
  FakeLogger log;
  EXPECT_TRUE(read_inbox_file(file, log).empty());
  const std::string warned = log.take(LogLevel::warn);
  EXPECT_EQ(std::count(warned.begin(), warned.end(), '\n'), 1) << warned.substr(0, 500);
  EXPECT_NE(warned.find(": 100000 lines are not a transaction hash"), std::string::npos) << warned.substr(0, 500);
}

TEST(IsReadyToRead, AnUnfinishedLastLineWaitsUntilTheFileIsQuiet) {
  TempDir dir;
  const auto file = dir.path() / "orders";
  write_file(file, tx(1) + "\n" + tx(2).substr(0, 20));  // its writer is still at it
  EXPECT_FALSE(is_ready_to_read(file));
  std::filesystem::last_write_time(file, std::filesystem::file_time_type::clock::now() - kQuietBeforeUnfinishedLine -
                                             std::chrono::seconds(1));
  EXPECT_TRUE(is_ready_to_read(file)) << "quiet long enough: the writer ended without a newline";
  write_file(file, tx(1) + "\n");
  EXPECT_TRUE(is_ready_to_read(file));
  write_file(file, "");
  EXPECT_TRUE(is_ready_to_read(file));
}

TEST(ReadInboxFile, ThrowsWhenTheFileCannotBeOpened) {
  TempDir dir;
  FakeLogger log;
  EXPECT_THROW(read_inbox_file(dir.path() / "gone", log), std::runtime_error);
}

}  // namespace
}  // namespace tx_watch
