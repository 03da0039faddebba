#include "confirmed_log.hpp"

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

TEST(JsonLine, ReportsEachOutcome) {
  EXPECT_EQ(json_line("main", tx(1), {Outcome::success, 17, 3}),
            "{\"chain\":\"main\",\"tx\":\"" + tx(1) + "\",\"status\":\"success\",\"block\":17,\"confirmations\":3}\n");
  EXPECT_EQ(json_line("main", tx(2), {Outcome::failed, 5, 1}),
            "{\"chain\":\"main\",\"tx\":\"" + tx(2) + "\",\"status\":\"failed\",\"block\":5,\"confirmations\":1}\n");
  EXPECT_EQ(json_line("main", tx(3), {Outcome::dropped, std::nullopt, 0}),
            "{\"chain\":\"main\",\"tx\":\"" + tx(3) +
                "\",\"status\":\"dropped\",\"block\":null,\"confirmations\":0}\n");
}

TEST(JsonLine, EscapesTheChainName) {
  const std::string line = json_line("a\"b\\c\nd\x01", tx(1), {Outcome::dropped, std::nullopt, 0});
  EXPECT_EQ(line.rfind("{\"chain\":\"a\\\"b\\\\c\\u000ad\\u0001\",\"tx\":", 0), 0u) << line;
}

TEST(ConfirmedLog, CreatesAMissingFile) {
  TempDir dir;
  FakeLogger log;
  ConfirmedLog confirmed(dir.path() / "confirmed.jsonl", log);
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "confirmed.jsonl"));
  EXPECT_FALSE(confirmed.contains(tx(1)));
}

TEST(ConfirmedLog, AppendsLinesThatALaterReaderKnows) {
  TempDir dir;
  const auto file = dir.path() / "confirmed.jsonl";
  FakeLogger log;
  {
    ConfirmedLog confirmed(file, log);
    confirmed.append("main", tx(1), {Outcome::success, 10, 1});
    EXPECT_TRUE(confirmed.contains(tx(1)));
    confirmed.append("main", tx(2), {Outcome::dropped, std::nullopt, 0});
  }
  EXPECT_EQ(read_file(file), json_line("main", tx(1), {Outcome::success, 10, 1}) +
                                 json_line("main", tx(2), {Outcome::dropped, std::nullopt, 0}));
  ConfirmedLog reread(file, log);
  EXPECT_TRUE(reread.contains(tx(1)));
  EXPECT_TRUE(reread.contains(tx(2)));
  EXPECT_FALSE(reread.contains(tx(3)));
  EXPECT_EQ(log.text(), "");
}

TEST(ConfirmedLog, CutsOffAPartialLastLine) {
  TempDir dir;
  const auto file = dir.path() / "confirmed.jsonl";
  const std::string whole = json_line("main", tx(1), {Outcome::success, 10, 1});
  const std::string partial = json_line("main", tx(2), {Outcome::success, 11, 1}).substr(0, 40);
  write_file(file, whole + partial);
  FakeLogger log;
  ConfirmedLog confirmed(file, log);
  EXPECT_EQ(read_file(file), whole);
  EXPECT_TRUE(confirmed.contains(tx(1)));
  EXPECT_FALSE(confirmed.contains(tx(2)));
  EXPECT_EQ(log.count(LogLevel::warn, "ends with a partial line (40 bytes"), 1u) << log.text();

  confirmed.append("main", tx(2), {Outcome::success, 11, 1});
  EXPECT_EQ(read_file(file), whole + json_line("main", tx(2), {Outcome::success, 11, 1}));
}

TEST(ConfirmedLog, APartialOnlyLineLeavesAnEmptyFile) {
  TempDir dir;
  const auto file = dir.path() / "confirmed.jsonl";
  write_file(file, "{\"chain\":\"ma");
  FakeLogger log;
  ConfirmedLog confirmed(file, log);
  EXPECT_EQ(read_file(file), "");
  EXPECT_EQ(log.count(LogLevel::warn, "partial line"), 1u) << log.text();
}

TEST(ConfirmedLog, IgnoresLinesWithoutAHash) {
  TempDir dir;
  const auto file = dir.path() / "confirmed.jsonl";
  write_file(file, "{}\n" + json_line("main", tx(1), {Outcome::success, 10, 1}));
  FakeLogger log;
  ConfirmedLog confirmed(file, log);
  EXPECT_TRUE(confirmed.contains(tx(1)));
  EXPECT_EQ(log.count(LogLevel::warn, file.string() + " line 1: no \"tx\" hash"), 1u) << log.text();
}

}  // namespace
}  // namespace tx_watch
