// Running the jobhost binary (or any program) from a test.
#pragma once

#include <chrono>
#include <filesystem>
#include <string>
#include <sys/types.h>
#include <vector>

namespace jobhost::testing {

struct ProcessResult {
  int exit_status = -1;  // the exit code, or 128 + signal number when killed
  std::string out;       // standard output
  std::string err;       // standard error
};

// Runs `program` with `args` to completion (killed after `timeout`), with
// standard input from /dev/null.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          std::chrono::seconds timeout = std::chrono::seconds(60));

// The isolation the integration and e2e suites run the daemon with:
// "process" (jobhost's default), or "none" when JOBHOST_TEST_ISOLATION=none
// (their second registration in ctest, `in_process.*`). Then every jobhost
// command started through run_jobhost() or BackgroundProcess that loads
// plugins (run, list, check, run-job) gets `--set isolation=none`, unless
// its arguments choose an isolation themselves.
std::string isolation_under_test();

// A field of /proc/PID/status ("SigBlk"), or "" when the process is gone.
std::string process_status_field(pid_t pid, const std::string& field);

// Whether `pid` runs no more: it is gone, or a zombie not reaped yet (the
// reaping of an orphan is up to whoever adopted it).
bool process_has_ended(pid_t pid);

// The processes `pid` started that still run (its daemon's workers).
std::vector<pid_t> child_processes(pid_t pid);

// The CPU time `pid` has used so far, all its threads (its CPU clock); 0 when
// it is gone.
std::chrono::nanoseconds cpu_time(pid_t pid);

// Runs the jobhost binary under test.
ProcessResult run_jobhost(const std::vector<std::string>& args,
                          std::chrono::seconds timeout = std::chrono::seconds(60));

// A process started in the background, its output going to files; killed
// with SIGKILL if still running when the object goes. `environment`:
// "NAME=VALUE" entries added to the inherited environment (replacing a
// variable of the same name), and "NAME" entries removing one from it.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::string& program, const std::vector<std::string>& args,
                    const std::filesystem::path& out_file, const std::filesystem::path& err_file,
                    const std::vector<std::string>& environment = {});
  ~BackgroundProcess();
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  void signal(int signal_number) const;
  // Waits up to `timeout` for the process to exit; returns its status as in
  // ProcessResult, or -1 when it is still running.
  int wait_for_exit(std::chrono::milliseconds timeout);

 private:
  pid_t pid_ = -1;
  int status_ = -1;
};

}  // namespace jobhost::testing
