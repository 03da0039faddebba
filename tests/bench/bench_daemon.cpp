#include "bench_daemon.hpp"

#include <signal.h>

#include <stdexcept>

#include "support/ganache.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::bench {
namespace {

using namespace std::chrono_literals;

constexpr auto kStartTimeout = 120s;

std::string tail(const std::string& text, std::size_t size = 4000) {
  return text.size() <= size ? text : "..." + text.substr(text.size() - size);
}

}  // namespace

BenchDaemon::BenchDaemon(const std::filesystem::path& plugin_dir, const std::filesystem::path& work,
                         const std::vector<std::string>& args)
    : log_file_(work / "err"), port_(testing::free_port()), notify_(work / "notify") {
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--log-file") log_file_ = args[i + 1];
  }
  std::vector<std::string> command = {"run",         "--plugin-dir", plugin_dir.string(),
                                      "--state-dir", (work / "state").string(),
                                      "--http",      "127.0.0.1:" + std::to_string(port_)};
  command.insert(command.end(), args.begin(), args.end());
  spawned_at_ = std::chrono::system_clock::now();
  const auto spawned = std::chrono::steady_clock::now();
  process_ = std::make_unique<testing::BackgroundProcess>(JOBHOST_TEST_BINARY, command, work / "out", work / "err",
                                                          std::vector<std::string>{notify_.environment(),
                                                                                   "JOURNAL_STREAM", "WATCHDOG_USEC"});
  while (std::chrono::steady_clock::now() - spawned < kStartTimeout) {
    const auto message = notify_.receive(100ms);
    if (message && message->find("READY=1") != std::string::npos) {
      start_up_ = std::chrono::steady_clock::now() - spawned;
      return;
    }
    if (!message && process_->wait_for_exit(0ms) != -1) break;
  }
  const int status = process_->wait_for_exit(0ms);
  throw std::runtime_error((status == -1 ? "jobhost run was not ready in time"
                                         : "jobhost run exited with status " + std::to_string(status)) +
                           "; its log:\n" + tail(log()));
}

BenchDaemon::~BenchDaemon() {
  if (!stopped_) stop();
}

std::string BenchDaemon::log() const { return testing::read_file(log_file_); }

int BenchDaemon::stop() {
  stopped_ = true;
  process_->signal(SIGTERM);
  return process_->wait_for_exit(30s);
}

}  // namespace jobhost::bench
