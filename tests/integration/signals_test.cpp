// The daemon's signal set-up as its plugins and its log see it: what a job
// starts gets no blocked or ignored signal, and a closed pipe (a log read by
// `| head -1`, a plugin's own) fails a write instead of ending the process.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <regex>
#include <vector>
#include <thread>

#include "support/count.hpp"
#include "support/eventually.hpp"
#include "support/process.hpp"
#include "support/temp_dir.hpp"

namespace jobhost {
namespace {

using namespace std::chrono_literals;
using namespace testing;  // the support library: processes, temp dirs, logs

// The cell of `status`'s table in the row of `job` and the column `column`.
std::string status_cell(const std::string& table, const std::string& job, const std::string& column) {
  const auto cells = [](const std::string& line) {
    std::vector<std::string> out;
    const std::regex gap(" {2,}");
    std::copy(std::sregex_token_iterator(line.begin(), line.end(), gap, -1), std::sregex_token_iterator(),
              std::back_inserter(out));
    return out;
  };
  const auto header = cells(table.substr(0, table.find('\n')));
  const auto at = table.find("\n" + job + " ");
  if (at == std::string::npos) return "-1";
  const auto row = cells(table.substr(at + 1, table.find('\n', at + 1) - at - 1));
  for (std::size_t i = 0; i < header.size() && i < row.size(); ++i) {
    if (header[i] == column) return row[i];
  }
  return "-1";
}

class Signals : public ::testing::Test {
 protected:
  TempDir dir;
  std::filesystem::path plugins = dir / "plugins";
  std::filesystem::path state = dir / "state";
  std::filesystem::path log = dir / "jobhost.log";

  void SetUp() override {
    std::filesystem::create_directory(plugins);
    copy_fixture("signals", plugins);
  }
};

TEST_F(Signals, WhatAJobStartsHasNoSignalBlockedOrIgnoredAndEndsOnSigterm) {
  BackgroundProcess daemon(JOBHOST_TEST_BINARY,
                           {"run", "--plugin-dir", plugins.string(), "--state-dir", state.string(), "--log-file",
                            log.string()},
                           dir / "out", dir / "err");
  ASSERT_TRUE(log_holds(log, "started:")) << read_file(log) << read_file(dir / "err");
  const auto trigger = run_jobhost({"trigger", "signals.spawn", "--state-dir", state.string()});
  ASSERT_EQ(trigger.exit_status, 0) << trigger.err;
  ASSERT_TRUE(log_holds(log, "[signals.spawn] started child ")) << read_file(log);
  const pid_t child = std::stoi(read_file(state / "plugins" / "signals" / "child.pid"));

  EXPECT_EQ(process_status_field(child, "SigBlk"), "0000000000000000");
  // SIGHUP, SIGINT and SIGTERM are bits 0, 1 and 14 (0x4003).
  const std::string ignored = process_status_field(child, "SigIgn");
  ASSERT_FALSE(ignored.empty());
  EXPECT_EQ(std::stoull(ignored, nullptr, 16) & 0x4003, 0u) << "SigIgn: " << ignored;

  ASSERT_EQ(::kill(child, SIGTERM), 0);
  EXPECT_TRUE(eventually([&] { return process_has_ended(child); }, 2s)) << "the child survived SIGTERM";

  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(15s), 0) << read_file(log);
}

TEST_F(Signals, AWriteToAClosedPipeFailsWithEpipeInsteadOfEndingTheProcess) {
  const auto result =
      run_jobhost({"run-job", "signals.broken_pipe", "--plugin-dir", plugins.string(), "--state-dir", state.string()});
  EXPECT_EQ(result.exit_status, 0) << result.err;
  EXPECT_NE(result.err.find("[signals.broken_pipe] write failed: EPIPE"), std::string::npos) << result.err;
}

TEST_F(Signals, TheDaemonOutlivesTheReaderOfItsLog) {
  // `jobhost run ... 2>&1 | head -1`: the log's reader goes away.
  const auto fifo = dir / "log.fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const int reader = ::open(fifo.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  BackgroundProcess daemon(JOBHOST_TEST_BINARY,
                           {"run", "--plugin-dir", JOBHOST_TEST_PLUGIN_DIR, "--state-dir", state.string(), "--schedule",
                            "hello.greet=* * * * * *"},
                           dir / "out", fifo);
  char first[64];
  for (int i = 0; i < 200 && ::read(reader, first, sizeof first) <= 0; ++i) std::this_thread::sleep_for(20ms);
  ::close(reader);

  // Two more runs, each logging into the closed pipe: the daemon answers
  // throughout.
  std::string last;
  const auto runs_ok = [&] {
    const auto status = run_jobhost({"status", "--state-dir", state.string()});
    EXPECT_EQ(status.exit_status, 0) << "the daemon is gone: " << status.err;
    last = status.out;
    return status.exit_status == 0 ? std::stoi(status_cell(status.out, "hello.greet", "OK")) : -1;
  };
  const int at_close = runs_ok();
  ASSERT_GE(at_close, 0);
  EXPECT_TRUE(eventually([&] { return runs_ok() >= at_close + 2; }, 15s)) << last;
  daemon.signal(SIGTERM);
  EXPECT_EQ(daemon.wait_for_exit(15s), 0);
}

}  // namespace
}  // namespace jobhost
