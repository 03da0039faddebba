#include "isolation/worker_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/running_executable.hpp"

namespace jobhost::isolation {
namespace {

constexpr int kWorkerSocket = 3;
constexpr int kWorkerLane = 4;

// A sanitizer's shadow memory would not fit under a data limit.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitizerBuild = true;
#else
constexpr bool kSanitizerBuild = false;
#endif
// ThreadSanitizer would take the calls of a child sharing the daemon's
// memory for the daemon's own: a build with it forks.
#if defined(__SANITIZE_THREAD__)
constexpr bool kForkToStart = true;
#else
constexpr bool kForkToStart = false;
#endif

// What the child needs, made before it starts: it may only make
// async-signal-safe calls.
struct ChildArgs {
  const char* executable;
  const char* copy;
  int socket;
  int lane;
  int output;  // the write end of the pipe its standard output and error go to
  pid_t parent;
  std::uint64_t memory_max;
  const std::string* oom_score_adj;  // what the child writes to its oom_score_adj
};

// What a worker raises its OOM score by over the daemon's, so that the
// kernel's OOM killer takes a worker before the daemon unless the daemon
// uses half the memory: a plugin that runs the machine, or the service's
// MemoryMax=, out of memory loses its worker, which restarts, not the
// daemon and every monitor with it.
constexpr int kWorkerOomScoreRaise = 500;

// The daemon's oom_score_adj plus kWorkerOomScoreRaise, at most 1000, in
// decimal: read once, the daemon's score being set before it starts.
const std::string& worker_oom_score_adj() {
  static const std::string text = [] {
    int own = 0;
    std::ifstream("/proc/self/oom_score_adj") >> own;
    return std::to_string(std::min(own + kWorkerOomScoreRaise, 1000));
  }();
  return text;
}

// In the child, until exec: async-signal-safe calls only. It shares the
// daemon's memory (see start_child) and the TLS of the thread that started
// it, which waits meanwhile: what it writes besides its own stack (that
// thread's errno, the lazy binding of the calls below) is harmless to it.
// Not instrumented by AddressSanitizer, whose runtime does not know the
// child's stack and would take it for an overflow of the thread's.
[[noreturn]] [[gnu::no_sanitize_address]] void become_worker(const ChildArgs& args) {
  // A handler of the daemon's must not run here, on its memory: every
  // signal is blocked until each handled one is back to its default.
  for (int signal = 1; signal < NSIG; ++signal) {
    struct sigaction action {};
    if (signal == SIGKILL || signal == SIGSTOP || ::sigaction(signal, nullptr, &action) != 0) continue;
    if (action.sa_handler != SIG_DFL && action.sa_handler != SIG_IGN) ::signal(signal, SIG_DFL);
  }
  ::signal(SIGPIPE, SIG_DFL);
  // A worker's life is the host's to decide: a SIGTERM sent to every process
  // of the service (systemd's default KillMode, pkill) must not end the runs
  // the host is stopping in order. SIGKILL still ends it.
  for (int signal : {SIGHUP, SIGINT, SIGTERM}) ::signal(signal, SIG_IGN);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  // Moved above their places first, so that placing one cannot close
  // another (dup2 leaves them without close-on-exec).
  const int moved_socket = ::fcntl(args.socket, F_DUPFD, kWorkerLane + 1);
  const int moved_lane = ::fcntl(args.lane, F_DUPFD, kWorkerLane + 1);
  const int moved_output = ::fcntl(args.output, F_DUPFD, kWorkerLane + 1);
  if (moved_socket < 0 || moved_lane < 0 || moved_output < 0 || ::dup2(moved_socket, kWorkerSocket) < 0 ||
      ::dup2(moved_lane, kWorkerLane) < 0 || ::dup2(moved_output, STDOUT_FILENO) < 0 ||
      ::dup2(moved_output, STDERR_FILENO) < 0) {
    ::_exit(126);
  }
  const int null = ::open("/dev/null", O_RDONLY);
  if (null >= 0 && null != STDIN_FILENO) ::dup2(null, STDIN_FILENO);
  ::close_range(kWorkerLane + 1, ~0U, 0);
  ::setpgid(0, 0);
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != args.parent) ::_exit(125);  // the parent died before the line above
  ::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
  const rlimit no_core{0, 0};
  ::setrlimit(RLIMIT_CORE, &no_core);
  if (args.memory_max > 0 && !kSanitizerBuild) {
    const rlimit data{args.memory_max, args.memory_max};
    ::setrlimit(RLIMIT_DATA, &data);
  }
  if (const int oom = ::open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC); oom >= 0) {
    [[maybe_unused]] const ssize_t written = ::write(oom, args.oom_score_adj->data(), args.oom_score_adj->size());
    ::close(oom);
  }
  char* const argv[] = {const_cast<char*>("jobhost-worker"), const_cast<char*>(args.copy), nullptr};
  ::execv(args.executable, argv);
  ::_exit(127);
}

[[gnu::no_sanitize_address]] int child_main(void* args) { become_worker(*static_cast<const ChildArgs*>(args)); }

// Starts the child; its pid, or -1 with errno set. Like posix_spawn, the
// child shares the daemon's memory, on a stack of its own, while the calling
// thread waits for its exec: a fork would copy the page tables of the
// daemon's whole memory, which made a worker's start twice as slow (8.5 ms
// against 19.4 ms with 200 plugins: docs/benchmarks.md). A ThreadSanitizer
// build forks (kForkToStart).
pid_t start_child(const ChildArgs& args) {
  if (kForkToStart) {
    const pid_t pid = ::fork();
    if (pid == 0) become_worker(args);
    // Also here, so that the group exists when this returns, whichever of
    // the two runs first (an error: the child has done it, or is gone).
    if (pid > 0) ::setpgid(pid, pid);
    return pid;
  }
  constexpr std::size_t kStackBytes = 64 * 1024;
  void* stack = ::mmap(nullptr, kStackBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return -1;
  // Every signal blocked, glibc's own too (which pthread_sigmask would
  // leave alone), until the child has reset the handlers (become_worker).
  sigset_t all, before;
  std::memset(&all, 0xff, sizeof all);  // sigfillset() leaves glibc's own out
  ::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &all, &before, _NSIG / 8);
  const pid_t pid = ::clone(child_main, static_cast<char*>(stack) + kStackBytes, CLONE_VM | CLONE_VFORK | SIGCHLD,
                            const_cast<ChildArgs*>(&args));
  const int clone_errno = errno;
  ::syscall(SYS_rt_sigprocmask, SIG_SETMASK, &before, nullptr, _NSIG / 8);
  ::munmap(stack, kStackBytes);
  errno = clone_errno;
  return pid;
}

// A connected pair of close-on-exec stream sockets; throws when none can be
// made.
void make_socket_pair(int (&fds)[2]) {
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) {
    throw std::runtime_error(std::string("socketpair failed: ") + std::strerror(errno));
  }
}

// Whether `pid` has ended, waiting for that unless `options` has WNOHANG. It
// is left a zombie.
bool ended(pid_t pid, int options) {
  siginfo_t info{};
  while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT | options) < 0) {
    if (errno != EINTR) return true;  // not our child (any more): nothing to wait for
  }
  return info.si_pid == pid;
}

}  // namespace

std::filesystem::path worker_executable() {
  if (const char* chosen = std::getenv("JOBHOST_WORKER"); chosen && *chosen) return chosen;
  return running_executable().parent_path() / "jobhost-worker";
}

SpawnedWorker spawn_worker(const std::filesystem::path& executable, const std::filesystem::path& copy,
                           std::uint64_t memory_max) {
  int fds[2];
  make_socket_pair(fds);
  int lane[2];
  int output[2];
  const auto close_both = [](int(&pair)[2]) {
    ::close(pair[0]);
    ::close(pair[1]);
  };
  try {
    make_socket_pair(lane);
  } catch (...) {
    close_both(fds);
    throw;
  }
  if (::pipe2(output, O_CLOEXEC) != 0) {
    const int pipe_errno = errno;
    close_both(fds);
    close_both(lane);
    throw std::runtime_error(std::string("pipe failed: ") + std::strerror(pipe_errno));
  }
  const std::string executable_text = executable.string();
  const std::string copy_text = copy.string();
  const ChildArgs args{executable_text.c_str(), copy_text.c_str(), fds[1], lane[1], output[1], ::getpid(), memory_max,
                       &worker_oom_score_adj()};
  const pid_t pid = start_child(args);
  const int fork_errno = errno;
  ::close(fds[1]);
  ::close(lane[1]);
  ::close(output[1]);
  if (pid < 0) {
    ::close(fds[0]);
    ::close(lane[0]);
    ::close(output[0]);
    throw std::runtime_error(std::string("starting a worker process failed: ") + std::strerror(fork_errno));
  }
  return {pid, fds[0], lane[0], output[0]};
}

std::string describe_exit(int status) {
  if (WIFSIGNALED(status)) {
    const char* name = ::sigabbrev_np(WTERMSIG(status));
    return std::string("died: ") + (name ? std::string("SIG") + name : "signal " + std::to_string(WTERMSIG(status)));
  }
  if (WIFEXITED(status)) {
    switch (WEXITSTATUS(status)) {
      case 125: return "exited before it started: the daemon was going away";
      case 126: return "exited before it started: its socket could not be set up";
      case 127: return "exited before it started: the worker executable could not be run";
      default: return "exited with status " + std::to_string(WEXITSTATUS(status));
    }
  }
  return "ended with wait status " + std::to_string(status);
}

void kill_worker(pid_t pid) {
  if (pid <= 0) return;  // kill(-1) or kill(0) would reach far more than one worker
  // Both: the worker may have moved to another group, leaving its own.
  ::kill(-pid, SIGKILL);
  ::kill(pid, SIGKILL);
}

bool has_ended(pid_t pid) { return ended(pid, WNOHANG); }

void await_exit(pid_t pid, std::chrono::milliseconds patience) {
  const auto give_up = std::chrono::steady_clock::now() + patience;
  while (!ended(pid, WNOHANG)) {
    if (std::chrono::steady_clock::now() >= give_up) {
      kill_worker(pid);
      ended(pid, 0);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

int collect(pid_t pid) {
  kill_worker(pid);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

}  // namespace jobhost::isolation
