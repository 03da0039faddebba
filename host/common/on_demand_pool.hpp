// OnDemandPool: runs each task posted on a thread of its own at once, reusing
// a thread that has finished its task, never making one wait for another.
// For work that blocks for a long and unknown time (a job's run in a worker,
// a chain call a worker asked for), where a fixed pool could deadlock.
//
// Thread-safety: post() from any thread. The destructor waits for every task
// posted to return, then joins the threads.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace jobhost {

class OnDemandPool {
 public:
  // Threads are named `thread_name` (at most 15 characters).
  explicit OnDemandPool(std::string thread_name) : thread_name_(std::move(thread_name)) {}
  ~OnDemandPool();
  OnDemandPool(const OnDemandPool&) = delete;
  OnDemandPool& operator=(const OnDemandPool&) = delete;

  void post(std::function<void()> task);

 private:
  void loop();

  std::string thread_name_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  std::size_t idle_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace jobhost
