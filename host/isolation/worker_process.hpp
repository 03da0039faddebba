// Starting a worker process and learning how it ended.
//
// A worker is the jobhost-worker executable (installed beside jobhost; the
// environment variable JOBHOST_WORKER names another one, for tests), started
// as posix_spawn starts a program (a child that shares the daemon's memory
// until its exec: no copy of the daemon's page tables; a ThreadSanitizer
// build forks). Before exec, the child: puts every signal the daemon handles
// back to its default and ignores SIGHUP, SIGINT and SIGTERM, then unblocks
// every signal; has its end of the socket on descriptor 3, its end of the
// chain-call lane (a second socket, for the calls one thread at a time makes
// without the reader's help: see worker/remote_calls.hpp) on descriptor 4,
// /dev/null as standard input and a pipe to the host as standard output and
// error (worker_output.hpp), closes every other descriptor above 2,
// leaves the daemon's process group for one of its own (which the processes
// its plugin starts join, so that they end with it), asks to be killed when
// its parent thread dies (PR_SET_PDEATHSIG), sets no_new_privs, turns core
// dumps off, limits its data segment to `memory_max` bytes and raises its
// OOM score 500 above the daemon's (so the kernel's OOM killer takes a
// worker first).
//
// Stateless functions; spawn_worker must be called from a thread that lives
// as long as the worker (the parent-death signal follows the thread that
// started it: see Supervisor).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

namespace jobhost::isolation {

struct SpawnedWorker {
  pid_t pid = -1;
  int socket = -1;  // the host's end; the caller owns it
  int lane = -1;    // the host's end of the chain-call lane; the caller owns it
  int output = -1;  // the read end of its standard output and error; the caller owns it
};

// The worker executable: $JOBHOST_WORKER, or jobhost-worker beside the
// running executable.
std::filesystem::path worker_executable();

// Starts `executable` for the plugin copy `copy`. `memory_max`: bytes, 0 for
// no limit (not applied in a sanitizer build, whose shadow memory it would
// refuse). Throws std::runtime_error when the socket or the process cannot
// be made.
SpawnedWorker spawn_worker(const std::filesystem::path& executable, const std::filesystem::path& copy,
                           std::uint64_t memory_max);

// How a process ended, from waitpid's status: "died: SIGSEGV", "exited
// with status 3".
std::string describe_exit(int status);

// Sends SIGKILL to the worker `pid` and to every process left in its process
// group: what its plugin started and did not move to a group of its own.
// Harmless once the worker has ended, until collect() reaps it.
void kill_worker(pid_t pid);

// Whether the worker `pid` has ended (it is then a zombie until collect()).
bool has_ended(pid_t pid);

// Waits for `pid` to end for at most `patience`, then kills it (kill_worker)
// and waits for it to end. It is left a zombie, so its pid cannot be reused
// until collect() reaps it: a kill() meanwhile reaches no other process.
void await_exit(pid_t pid, std::chrono::milliseconds patience);
// Kills what is left of the process group of `pid`, which has ended (a
// process its plugin started has nobody to report to any more), then reaps
// it; returns its waitpid status.
int collect(pid_t pid);

}  // namespace jobhost::isolation
