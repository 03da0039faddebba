// BenchDaemon: the real daemon (`jobhost run`) started for a benchmark, with
// its HTTP endpoint on 127.0.0.1 and a notify socket in place of systemd's,
// so that "started" is the daemon's own READY=1 — sent once the scheduler
// runs, after /healthz starts answering.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "support/notify_socket.hpp"
#include "support/process.hpp"

namespace jobhost::bench {

class BenchDaemon {
 public:
  // Starts `jobhost run --plugin-dir PLUGIN_DIR --state-dir WORK/state --http
  // 127.0.0.1:PORT ARGS...`, standard error to WORK/err, and waits for
  // READY=1. Throws std::runtime_error, with the end of the daemon's log, when
  // it exits or is not ready within two minutes (killed then, if it runs).
  BenchDaemon(const std::filesystem::path& plugin_dir, const std::filesystem::path& work,
              const std::vector<std::string>& args);
  // Stops it (SIGTERM) unless stopped already.
  ~BenchDaemon();
  BenchDaemon(const BenchDaemon&) = delete;
  BenchDaemon& operator=(const BenchDaemon&) = delete;

  // From the spawn to READY=1.
  std::chrono::duration<double, std::milli> start_up() const { return start_up_; }
  // The wall-clock time just before the spawn, to compare with log lines.
  std::chrono::system_clock::time_point spawned_at() const { return spawned_at_; }
  pid_t pid() const { return process_->pid(); }
  int port() const { return port_; }
  // What it has logged so far: to the file after `--log-file` in ARGS, if
  // any, else to standard error.
  std::string log() const;
  const std::filesystem::path& log_file() const { return log_file_; }

  // Sends SIGTERM and waits up to 30 s; returns its exit status (-1 when it
  // did not exit).
  int stop();

 private:
  std::filesystem::path log_file_;
  int port_;
  testing::NotifySocket notify_;
  std::unique_ptr<testing::BackgroundProcess> process_;
  std::chrono::duration<double, std::milli> start_up_{};
  std::chrono::system_clock::time_point spawned_at_;
  bool stopped_ = false;
};

}  // namespace jobhost::bench
