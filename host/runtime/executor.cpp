#include "runtime/executor.hpp"

#include <algorithm>

#include "common/thread_name.hpp"
#include "common/write_batch.hpp"

namespace jobhost::runtime {
namespace {

// A worker claims more tasks at once after a claim that ran this quickly.
constexpr auto kQuickClaim = std::chrono::microseconds(50);
constexpr std::size_t kMostClaimed = 16;
// While every core has a worker on a batch, a waiting worker joins in when
// no task of it was claimed for this long.
constexpr auto kStalled = std::chrono::milliseconds(1);

}  // namespace

Executor::Executor(std::size_t workers) : cores_(std::max(1u, std::thread::hardware_concurrency())) {
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
  auto batch = std::make_shared<Batch>(std::move(tasks));
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    batches_.push_back(std::move(batch));
  }
  task_ready_.notify_one();  // it wakes the next, while tasks are left
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
  ++waiting_workers_;
  for (;;) {
    if (has_tasks_left()) {
      if (working_workers() < cores_) break;
      // Workers on every core: more would only take turns with them, unless
      // their tasks wait (on the network, on each other) rather than compute.
      const std::shared_ptr<Batch> front = batches_.front();
      const std::size_t claimed = front->next.load(std::memory_order_relaxed);
      const bool stalled = task_ready_.wait_for(lock, kStalled) == std::cv_status::timeout &&
                           !batches_.empty() && batches_.front() == front &&
                           front->next.load(std::memory_order_relaxed) == claimed && has_tasks_left();
      if (stalled) break;
    } else if (closed_) {
      --waiting_workers_;
      --live_workers_;
      worker_exited_.notify_all();
      return nullptr;
    } else {
      task_ready_.wait(lock);
    }
  }
  --waiting_workers_;
  std::shared_ptr<Batch> batch = batches_.front();
  const bool wake_next = waiting_workers_ > 0 && working_workers() < cores_ &&
                         (batches_.size() > 1 || batch->next.load(std::memory_order_relaxed) + 1 < batch->tasks.size());
  lock.unlock();
  if (wake_next) task_ready_.notify_one();
  return batch;
}

bool Executor::has_tasks_left() const {
  return batches_.size() > 1 ||
         (!batches_.empty() && batches_.front()->next.load(std::memory_order_relaxed) < batches_.front()->tasks.size());
}

std::size_t Executor::working_workers() const { return live_workers_ - waiting_workers_; }

void Executor::work() {
  std::shared_ptr<Batch> batch;
  for (;;) {
    if (batch) {
      // Runs this worker's claims start in worker processes leave one write
      // per worker process: when it moves on to another's runs (they come
      // grouped by worker), when a task may block, and when the batch ends.
      WriteBatch writes;
      std::size_t claim = 1;
      // The tasks were written before the batch was queued under the lock,
      // and this worker took it under the lock: relaxed claims suffice.
      for (std::size_t first; (first = batch->next.fetch_add(claim, std::memory_order_relaxed)) <
                              batch->tasks.size();) {
        const std::size_t end = std::min(first + claim, batch->tasks.size());
        const auto started = std::chrono::steady_clock::now();
        for (std::size_t task = first; task < end; ++task) batch->tasks[task]();
        const bool quick = std::chrono::steady_clock::now() - started < kQuickClaim;
        claim = quick ? std::min(2 * claim, kMostClaimed) : 1;
      }
    }
    std::shared_ptr<Batch> next = next_batch(batch);
    batch.reset();  // the last holder destroys the tasks, outside the lock
    if (!next) return;
    batch = std::move(next);
  }
}

}  // namespace jobhost::runtime
