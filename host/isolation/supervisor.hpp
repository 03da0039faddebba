// Supervisor: the one thread that starts every worker process, and the timer
// that restarts them.
//
// Every worker is started on the supervisor's own thread, which lives as
// long as the host: a worker's parent-death signal (PR_SET_PDEATHSIG) fires
// when the thread that started it ends, not the process, so starting one
// from a reload or restart thread would kill it when that thread ends. Restarts run
// at their time on threads of their own (they wait for a handshake), never
// on the supervisor's.
//
// Thread-safety: spawn() and at() from any thread. The destructor stops the
// timer and waits for the restarts under way; a spawn() after it has begun
// throws.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "common/on_demand_pool.hpp"
#include "isolation/worker_process.hpp"
#include "runtime/timer_heap.hpp"

namespace jobhost::isolation {

class Supervisor {
 public:
  // `executable`: the worker executable; `memory_max`: the data-segment
  // limit of each worker, in bytes (0: none).
  Supervisor(std::filesystem::path executable, std::uint64_t memory_max);
  ~Supervisor();
  Supervisor(const Supervisor&) = delete;
  Supervisor& operator=(const Supervisor&) = delete;

  // Starts a worker for the plugin copy `copy`. Throws PluginLoadError.
  SpawnedWorker spawn(const std::filesystem::path& copy);

  // Runs `task` at `when`, on a thread of its own; never, if the supervisor
  // goes first or stop_restarts() was called.
  void at(std::chrono::steady_clock::time_point when, std::function<void()> task);

  // Drops every task waiting and every later one: the daemon is stopping,
  // and a worker that dies now stays dead.
  void stop_restarts();

 private:
  struct Spawn {
    std::filesystem::path copy;
    std::promise<SpawnedWorker> result;
  };
  struct Timer {
    std::chrono::steady_clock::time_point at;
    std::function<void()> task;
  };

  void loop();

  const std::filesystem::path executable_;
  const std::uint64_t memory_max_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool restarts_stopped_ = false;
  std::deque<Spawn> spawns_;
  runtime::TimerHeap<Timer> timers_;
  OnDemandPool tasks_{"restart"};
  std::thread thread_;
};

}  // namespace jobhost::isolation
