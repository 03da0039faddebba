#include "inbox.hpp"

#include <gtest/gtest.h>

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

TEST(ReadInboxFile, WarnsAboutInvalidLinesWithFileAndLineNumber) {
  TempDir dir;
  const auto file = dir.path() / "orders";
  write_file(file, tx(1) + "\nnot a hash\n" + tx(2) + "\n" + tx(3).substr(0, 40) + "\n" + tx(3) + " extra\n");
  FakeLogger log;
  EXPECT_EQ(read_inbox_file(file, log), (std::vector<std::string>{tx(1), tx(2)}));
  EXPECT_EQ(log.count(LogLevel::warn, "not a transaction hash"), 3u) << log.text();
  EXPECT_EQ(log.count(LogLevel::warn, file.string() + " line 2: "), 1u) << log.text();
  EXPECT_EQ(log.count(LogLevel::warn, file.string() + " line 4: "), 1u) << log.text();
  EXPECT_EQ(log.count(LogLevel::warn, file.string() + " line 5: "), 1u) << log.text();
}

TEST(ReadInboxFile, ThrowsWhenTheFileCannotBeOpened) {
  TempDir dir;
  FakeLogger log;
  EXPECT_THROW(read_inbox_file(dir.path() / "gone", log), std::runtime_error);
}

}  // namespace
}  // namespace tx_watch
