#include "runtime/executor.hpp"

namespace jobhost::runtime {

Executor::Executor(std::size_t workers) {
  live_workers_ = workers;
  threads_.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
}

Executor::~Executor() {
  close();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

bool Executor::submit(std::function<void()> task) {
  std::vector<std::function<void()>> one;
  one.push_back(std::move(task));
  return submit_all(std::move(one));
}

bool Executor::submit_all(std::vector<std::function<void()>> tasks) {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    for (auto& task : tasks) queue_.push_back(std::move(task));
  }
  if (tasks.size() == 1) {
    task_ready_.notify_one();
  } else {
    task_ready_.notify_all();
  }
  return true;
}

void Executor::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  task_ready_.notify_all();
}

bool Executor::join_for(std::chrono::nanoseconds timeout) {
  close();
  std::unique_lock lock(mutex_);
  if (!worker_exited_.wait_for(lock, timeout, [this] { return live_workers_ == 0; })) return false;
  lock.unlock();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  return true;
}

std::size_t Executor::busy() const {
  std::lock_guard lock(mutex_);
  return busy_;
}

void Executor::work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    task_ready_.wait(lock, [this] { return closed_ || !queue_.empty(); });
    if (queue_.empty()) break;  // closed and drained
    auto task = std::move(queue_.front());
    queue_.pop_front();
    ++busy_;
    lock.unlock();
    task();
    task = nullptr;  // destroy the task's captures outside the lock too
    lock.lock();
    --busy_;
  }
  --live_workers_;
  worker_exited_.notify_all();
}

}  // namespace jobhost::runtime
