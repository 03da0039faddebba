#include "common/on_demand_pool.hpp"

#include "common/thread_name.hpp"

#include <system_error>

namespace jobhost {

OnDemandPool::~OnDemandPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_) thread.join();
}

bool OnDemandPool::hand_over(std::function<void()> task, std::unique_lock<std::mutex>& lock) {
  tasks_.push_back(std::move(task));
  // Every task queued needs an idle thread of its own, or a new one.
  if (idle_ >= tasks_.size()) {
    lock.unlock();
    wake_.notify_one();
    return true;
  }
  if (threads_.size() >= max_threads_) return false;
  try {
    threads_.emplace_back([this] {
      name_this_thread(thread_name_.c_str());
      loop();
    });
  } catch (const std::system_error&) {
    return false;
  }
  return true;
}

void OnDemandPool::post(std::function<void()> task) {
  std::unique_lock lock(mutex_);
  if (hand_over(std::move(task), lock) || !threads_.empty()) return;
  tasks_.pop_back();  // no thread would ever take it
  throw std::system_error(std::make_error_code(std::errc::resource_unavailable_try_again),
                          "no thread could be started for " + thread_name_);
}

bool OnDemandPool::start(std::function<void()>& task) {
  std::unique_lock lock(mutex_);
  if (hand_over(std::move(task), lock)) return true;
  task = std::move(tasks_.back());
  tasks_.pop_back();
  return false;
}

void OnDemandPool::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (tasks_.empty()) {
      if (stopping_) return;
      ++idle_;
      wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
      --idle_;
      continue;
    }
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    task = nullptr;  // what it holds goes before the thread waits again
    lock.lock();
  }
}

}  // namespace jobhost
