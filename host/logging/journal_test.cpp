#include "logging/journal.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include <spdlog/sinks/ostream_sink.h>

#include "logging/log_hub.hpp"
#include "logging/sink_registry.hpp"

namespace jobhost::logging {
namespace {

std::string stream_id(int fd, std::uint64_t device_offset = 0, std::uint64_t inode_offset = 0) {
  struct stat st {};
  EXPECT_EQ(::fstat(fd, &st), 0);
  return std::to_string(static_cast<std::uint64_t>(st.st_dev) + device_offset) + ":" +
         std::to_string(static_cast<std::uint64_t>(st.st_ino) + inode_offset);
}

// Lines formatted for a sink by apply_format().
std::string format_lines(const LogOptions& options, bool journal) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
  apply_format(*sink, options, journal);
  spdlog::logger logger("hello.greet", sink);
  logger.set_level(spdlog::level::trace);
  logger.trace("t");
  logger.debug("d");
  logger.info("i");
  logger.warn("w");
  logger.error("e");
  logger.critical("c");
  return out.str();
}

// `message` as one info line of "hello.greet", formatted for a sink by
// apply_format().
std::string format_message(const std::string& message, bool journal) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_st>(out);
  apply_format(*sink, LogOptions{}, journal);
  spdlog::logger("hello.greet", sink).info(message);
  return out.str();
}

TEST(Journal, AStreamIsTheJournalWhenDeviceAndInodeMatch) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  const int fd = ::fileno(file);
  EXPECT_TRUE(is_journal_stream(stream_id(fd).c_str(), fd));
  EXPECT_FALSE(is_journal_stream(stream_id(fd, 0, 1).c_str(), fd)) << "another inode";
  EXPECT_FALSE(is_journal_stream(stream_id(fd, 1, 0).c_str(), fd)) << "another device";
  std::FILE* other = std::tmpfile();
  ASSERT_NE(other, nullptr);
  EXPECT_FALSE(is_journal_stream(stream_id(fd).c_str(), ::fileno(other))) << "another file";
  std::fclose(other);
  const std::string id = stream_id(fd);
  std::fclose(file);
  EXPECT_FALSE(is_journal_stream(id.c_str(), -1)) << "no file open";
}

TEST(Journal, MalformedValuesAreNotTheJournal) {
  std::FILE* file = std::tmpfile();
  ASSERT_NE(file, nullptr);
  const int fd = ::fileno(file);
  const std::string id = stream_id(fd);
  const std::string device = id.substr(0, id.find(':'));
  const std::string inode = id.substr(id.find(':') + 1);
  EXPECT_FALSE(is_journal_stream(nullptr, fd));
  for (const std::string& value : {std::string(), std::string(":"), device, device + ":", ":" + inode,
                                   id + ":0", id + "x", " " + id, "+" + id, device + ":-" + inode, device + "." + inode,
                                   "99999999999999999999999:" + inode}) {
    EXPECT_FALSE(is_journal_stream(value.c_str(), fd)) << "\"" << value << "\"";
  }
  std::fclose(file);
}

TEST(Journal, TextLinesToTheJournalHavePrioritiesAndNoTime) {
  EXPECT_EQ(format_lines(LogOptions{}, true),
            "<7>[trace] [hello.greet] t\n"
            "<7>[debug] [hello.greet] d\n"
            "<6>[info] [hello.greet] i\n"
            "<4>[warning] [hello.greet] w\n"
            "<3>[error] [hello.greet] e\n"
            "<2>[critical] [hello.greet] c\n");
}

// A line break in a message (a job's, text a node sent) would start a line
// that could pass for the daemon's own.
TEST(Journal, AMessageStaysOnOneLineWithItsControlCharactersEscaped) {
  const std::string message = "tx 0x1 ok\n<2>[critical] [jobhost] stopped\r\x1b[31m\x7f\tdone";
  const std::string escaped = "tx 0x1 ok\\n<2>[critical] [jobhost] stopped\\r\\x1b[31m\\x7f\tdone";
  for (const bool journal : {true, false}) {
    const std::string text = format_message(message, journal);
    EXPECT_TRUE(text.ends_with("[info] [hello.greet] " + escaped + "\n")) << text;
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  }
}

// Bytes that are not UTF-8 are escaped like control characters; UTF-8 is
// kept.
TEST(Journal, BytesThatAreNotUtf8AreEscaped) {
  const std::string message = "caf\xc3\xa9 \xff\xfe cut \xe2\x82 stray \x80 \xe2\x82\xac";
  for (const bool journal : {true, false}) {
    const std::string text = format_message(message, journal);
    EXPECT_TRUE(text.ends_with("[info] [hello.greet] caf\xc3\xa9 \\xff\\xfe cut \\xe2\\x82 stray \\x80 \xe2\x82\xac\n"))
        << text;
  }
}

// journald splits a line past its LineMax (48 KiB) and reads a priority at
// the start of each piece: a message to it is cut at 8 KiB, at a
// character's start; a file keeps it whole.
TEST(Journal, ALongMessageIsCutForTheJournalOnly) {
  const std::string message = std::string(8 * 1024 - 1, 'a') + "\xc3\xa9" + std::string(40 * 1024, '\n') +
                              "<2>[critical] [jobhost] stopped";
  for (const bool journal : {true, false}) {
    const std::string text = format_message(message, journal);
    EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1);
    if (journal) {
      EXPECT_EQ(text, "<6>[info] [hello.greet] " + std::string(8 * 1024 - 1, 'a') + " [" +
                          std::to_string(message.size() - (8 * 1024 - 1)) + " more bytes cut]\n");
    } else {
      EXPECT_TRUE(text.ends_with("\\n<2>[critical] [jobhost] stopped\n"));
    }
  }
}

TEST(Journal, TextLinesElsewhereStartWithTheTime) {
  const std::string text = format_lines(LogOptions{}, false);
  EXPECT_TRUE(std::regex_search(
      text, std::regex(R"(^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d \[info\] \[hello\.greet\] i$)",
                       std::regex::multiline)))
      << text;
  EXPECT_EQ(text.find('<'), std::string::npos) << text;
}

TEST(Journal, JsonLinesAreTheSameForTheJournal) {
  LogOptions options;
  options.format = LogFormat::json;
  const std::string journal = format_lines(options, true);
  EXPECT_EQ(journal.find("{\"time\":\""), 0u) << journal;
  EXPECT_NE(journal.find("\"level\":\"error\",\"logger\":\"hello.greet\",\"message\":\"e\"}\n"), std::string::npos)
      << journal;
  EXPECT_EQ(journal.find('<'), std::string::npos) << journal;
}

// Standard error pointed at a file for the length of a test, and
// JOURNAL_STREAM set to `journal_stream(file)`; both put back afterwards.
class StderrToFile {
 public:
  StderrToFile() : file_(std::tmpfile()) {
    std::fflush(stderr);
    saved_fd_ = ::dup(STDERR_FILENO);
    ::dup2(::fileno(file_), STDERR_FILENO);
    if (const char* value = std::getenv("JOURNAL_STREAM")) saved_env_ = value;
  }
  ~StderrToFile() {
    std::fflush(stderr);
    ::dup2(saved_fd_, STDERR_FILENO);
    ::close(saved_fd_);
    std::fclose(file_);
    if (saved_env_) {
      ::setenv("JOURNAL_STREAM", saved_env_->c_str(), 1);
    } else {
      ::unsetenv("JOURNAL_STREAM");
    }
  }
  StderrToFile(const StderrToFile&) = delete;
  StderrToFile& operator=(const StderrToFile&) = delete;

  int fd() const { return ::fileno(file_); }
  std::string text() const {
    std::string text;
    std::rewind(file_);
    for (int c = std::fgetc(file_); c != EOF; c = std::fgetc(file_)) text += static_cast<char>(c);
    return text;
  }

 private:
  std::FILE* file_;
  int saved_fd_ = -1;
  std::optional<std::string> saved_env_;
};

TEST(Journal, TheHubDropsTheTimeWhenStderrIsTheJournal) {
  StderrToFile err;
  ::setenv("JOURNAL_STREAM", stream_id(err.fd()).c_str(), 1);
  ASSERT_TRUE(stderr_is_journal());
  {
    LogHub hub(LogOptions{});
    auto log = hub.make("jobhost");
    log->info("started");
    log->error("broken");
  }
  EXPECT_EQ(err.text(), "<6>[info] [jobhost] started\n<3>[error] [jobhost] broken\n");
}

TEST(Journal, TheHubKeepsTheTimeWhenStderrIsSomethingElse) {
  StderrToFile err;
  ::setenv("JOURNAL_STREAM", stream_id(err.fd(), 0, 1).c_str(), 1);  // inherited, for another stream
  ASSERT_FALSE(stderr_is_journal());
  {
    LogHub hub(LogOptions{});
    hub.make("jobhost")->info("started");
  }
  const std::string text = err.text();
  EXPECT_TRUE(std::regex_match(text, std::regex(R"(\d{4}-\d\d-\d\dT\S+ \[info\] \[jobhost\] started\n)"))) << text;
}

}  // namespace
}  // namespace jobhost::logging
