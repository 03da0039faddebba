#include "runtime/executor.hpp"

#include "common/thread_name.hpp"

namespace jobhost::runtime {

Executor::Executor(std::size_t workers) {
  live_workers_ = workers;
  threads_.reserve(workers);
  for (std::size_t i = 0; i < workers; ++i) {
    threads_.emplace_back([this] {
      name_this_thread("worker");
      work();
    });
  }
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
  if (tasks.empty()) return true;
  const std::size_t count = tasks.size();
  auto batch = std::make_shared<Batch>(std::move(tasks));
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    batches_.push_back(std::move(batch));
  }
  if (count == 1) {
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

std::shared_ptr<Executor::Batch> Executor::next_batch(const std::shared_ptr<Batch>& spent) {
  std::unique_lock lock(mutex_);
  // Held by the caller, so no new batch can have its address.
  if (spent && !batches_.empty() && batches_.front() == spent) batches_.pop_front();
  task_ready_.wait(lock, [this] { return closed_ || !batches_.empty(); });
  if (!batches_.empty()) return batches_.front();
  --live_workers_;
  worker_exited_.notify_all();
  return nullptr;
}

void Executor::work() {
  std::shared_ptr<Batch> batch;
  for (;;) {
    if (batch) {
      // The tasks were written before the batch was queued under the lock,
      // and this worker took it under the lock: relaxed claims suffice.
      const std::size_t claimed = batch->next.fetch_add(1, std::memory_order_relaxed);
      if (claimed < batch->tasks.size()) {
        batch->tasks[claimed]();
        continue;
      }
    }
    std::shared_ptr<Batch> next = next_batch(batch);
    batch.reset();  // the last holder destroys the tasks, outside the lock
    if (!next) return;
    batch = std::move(next);
  }
}

}  // namespace jobhost::runtime
