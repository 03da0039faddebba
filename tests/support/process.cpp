#include "support/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "support/temp_dir.hpp"

extern char** environ;

namespace jobhost::testing {
namespace {

int decode(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

pid_t spawn(const std::string& program, const std::vector<std::string>& args, const std::filesystem::path& out,
            const std::filesystem::path& err, const std::vector<std::string>& environment) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(program.c_str()));
  for (const auto& arg : args) argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string_view inherited(*entry);
    const auto replaced = [&](const std::string& entry) {
      return std::string_view(entry).substr(0, entry.find('=')) == inherited.substr(0, inherited.find('='));
    };
    if (std::none_of(environment.begin(), environment.end(), replaced)) envp.push_back(*entry);
  }
  for (const auto& entry : environment) {
    if (entry.find('=') != std::string::npos) envp.push_back(const_cast<char*>(entry.c_str()));
  }
  envp.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) throw std::runtime_error("cannot start " + program);
  return pid;
}

bool loads_plugins(const std::vector<std::string>& args) {
  return !args.empty() && (args[0] == "run" || args[0] == "list" || args[0] == "check" || args[0] == "run-job");
}

std::vector<std::string> with_isolation_under_test(const std::string& program, std::vector<std::string> args) {
  if (program != JOBHOST_TEST_BINARY || isolation_under_test() == "process" || !loads_plugins(args)) return args;
  const bool chosen = std::any_of(args.begin(), args.end(), [](const std::string& arg) {
    return arg.starts_with("isolation=") || arg.starts_with("isolation.");
  });
  if (!chosen) args.insert(args.begin() + 1, {"--set", "isolation=" + isolation_under_test()});
  return args;
}

}  // namespace

std::string isolation_under_test() {
  const char* chosen = std::getenv("JOBHOST_TEST_ISOLATION");
  return chosen && std::string_view(chosen) == "none" ? "none" : "process";
}

std::string process_status_field(pid_t pid, const std::string& field) {
  const std::string status = read_file("/proc/" + std::to_string(pid) + "/status");
  const auto at = status.find("\n" + field + ":\t");
  if (at == std::string::npos) return "";
  const auto start = at + field.size() + 3;
  return status.substr(start, status.find('\n', start) - start);
}

std::vector<pid_t> child_processes(pid_t pid) {
  std::vector<pid_t> children;
  for (const auto& task : std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/task")) {
    std::ifstream list(task.path() / "children");
    for (pid_t child; list >> child;) children.push_back(child);
  }
  return children;
}

std::chrono::nanoseconds cpu_time(pid_t pid) {
  clockid_t clock{};
  timespec used{};
  if (::clock_getcpuclockid(pid, &clock) != 0 || ::clock_gettime(clock, &used) != 0) return {};
  return std::chrono::seconds(used.tv_sec) + std::chrono::nanoseconds(used.tv_nsec);
}

bool process_has_ended(pid_t pid) {
  const std::string state = process_status_field(pid, "State");
  return state.empty() || state.starts_with("Z");
}

BackgroundProcess::BackgroundProcess(const std::string& program, const std::vector<std::string>& args,
                                     const std::filesystem::path& out_file, const std::filesystem::path& err_file,
                                     const std::vector<std::string>& environment)
    : pid_(spawn(program, with_isolation_under_test(program, args), out_file, err_file, environment)) {}

BackgroundProcess::~BackgroundProcess() {
  if (status_ == -1 && pid_ > 0) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
}

void BackgroundProcess::signal(int signal_number) const { kill(pid_, signal_number); }

int BackgroundProcess::wait_for_exit(std::chrono::milliseconds timeout) {
  if (status_ != -1) return status_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      status_ = decode(status);
      return status_;
    }
    if (std::chrono::steady_clock::now() >= deadline) return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          std::chrono::seconds timeout) {
  TempDir dir;
  ProcessResult result;
  {
    BackgroundProcess process(program, args, dir / "out", dir / "err");
    result.exit_status = process.wait_for_exit(timeout);
  }
  result.out = read_file(dir / "out");
  result.err = read_file(dir / "err");
  return result;
}

ProcessResult run_jobhost(const std::vector<std::string>& args, std::chrono::seconds timeout) {
  return run_process(JOBHOST_TEST_BINARY, args, timeout);
}

}  // namespace jobhost::testing
