// OnDemandPool: runs each task posted on a thread of its own at once, reusing
// a thread that has finished its task, never making one wait for another.
// For work that blocks for a long and unknown time (a job's run in a worker,
// a chain call a worker asked for), where a fixed pool could deadlock.
// Only when no thread can be made (a worker's memory limit counts each
// thread's stack), or the pool has as many as it may have, does a task wait
// for one of the running ones to return.
//
// Thread-safety: post() from any thread. The destructor waits for every task
// posted to return, then joins the threads.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jobhost {

class OnDemandPool {
 public:
  // Threads are named `thread_name` (at most 15 characters); at most
  // `max_threads` run at once.
  explicit OnDemandPool(std::string thread_name, std::size_t max_threads = SIZE_MAX)
      : thread_name_(std::move(thread_name)), max_threads_(max_threads) {}
  ~OnDemandPool();
  OnDemandPool(const OnDemandPool&) = delete;
  OnDemandPool& operator=(const OnDemandPool&) = delete;

  // Runs `task` on an idle thread or a new one; when neither can be had,
  // queues it until a running task returns. Throws std::system_error only
  // when the pool has no thread and cannot make one.
  void post(std::function<void()> task);
  // Runs `task` on an idle thread or a new one; false (and `task` is not
  // taken) when neither can be had.
  bool start(std::function<void()>& task);

 private:
  void loop();
  // Queues `task` and has a thread take it. Called with mutex_ held (by
  // `lock`); false, still holding it, when no thread could be had: the task
  // stays queued, last.
  bool hand_over(std::function<void()> task, std::unique_lock<std::mutex>& lock);

  std::string thread_name_;
  std::size_t max_threads_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace jobhost
