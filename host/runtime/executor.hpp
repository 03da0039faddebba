// Executor: a fixed pool of worker threads that runs submitted tasks in order.
//
// Tasks arrive in batches (submit_all; submit is a batch of one). Workers
// claim the tasks of the oldest batch with an atomic counter, so that
// thousands of tasks submitted at once do not contend for a lock; the lock is
// taken once per batch. A worker claims one task at a time at first, and
// twice as many (up to 16) each time its last claim ran in under 50 µs, back
// to one after a slower claim: workers on two cores running thousands of
// short tasks then rarely fight over the counter's cache line, while a task
// waits behind a long one only when the long one follows quick ones in the
// same claim. Messages a worker's tasks of a batch send to worker processes
// are held back until it moves on to another process's (common/write_batch.hpp),
// so that an instant's runs, which come grouped by worker process, are
// written to each about once.
//
// A batch wakes one worker; a worker that takes a batch with tasks left
// wakes the next one, up to one worker per core. Woken one after the other
// rather than all at once, the workers land on cores that are idle by then:
// all at once, they would pile up on the one core idle at that moment, the
// submitting thread holding the other. More workers than cores would only
// take turns with them, and a worker descheduled in the middle of its claim
// holds up the tasks it claimed: so the other workers join in only when no
// task of the batch was claimed for a millisecond (its tasks wait on the
// network or on each other rather than compute).
//
// Thread-safety: submit() may be called from any thread. close() and
// join_for() are called by the owner during shutdown.
// Lifetime: the destructor closes the pool and joins every worker, however
// long the running tasks take; an owner that cannot wait (a task ignores its
// stop token) must not destroy it — see join_for().
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace jobhost::runtime {

class Executor {
 public:
  explicit Executor(std::size_t workers);
  ~Executor();

  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  // Queues `task`; returns false (and drops it) once the pool is closed.
  bool submit(std::function<void()> task);
  // Queues all of `tasks` at once (one lock, one wake-up of the workers);
  // returns false (and drops them) once the pool is closed.
  bool submit_all(std::vector<std::function<void()>> tasks);

  // Takes no more tasks; the workers finish what is queued, then exit.
  void close();

  // Closes the pool and waits up to `timeout` for the workers to finish.
  // True when they all did (and have been joined); false when some task is
  // still running, in which case the pool must be abandoned, not destroyed.
  bool join_for(std::chrono::nanoseconds timeout);

 private:
  struct Batch {
    explicit Batch(std::vector<std::function<void()>> all) : tasks(std::move(all)) {}
    std::vector<std::function<void()>> tasks;
    // The first task no worker has claimed; past the end once all are.
    std::atomic<std::size_t> next{0};
  };

  void work();
  // Whether a queued batch has a task no worker has claimed. Called with
  // mutex_ held.
  bool has_tasks_left() const;
  // The workers not waiting for a batch. Called with mutex_ held.
  std::size_t working_workers() const;
  // The oldest batch, after dropping `spent` (claimed to the end) from the
  // queue; null once the pool is closed and drained.
  std::shared_ptr<Batch> next_batch(const std::shared_ptr<Batch>& spent);

  std::mutex mutex_;
  std::condition_variable task_ready_;
  std::condition_variable worker_exited_;
  // The front batch may be partly claimed; a batch leaves the queue when a
  // worker finds nothing left to claim in it.
  std::deque<std::shared_ptr<Batch>> batches_;
  bool closed_ = false;
  std::size_t waiting_workers_ = 0;  // in next_batch(), waiting for a batch
  std::size_t live_workers_ = 0;
  const std::size_t cores_;  // the machine's
  std::vector<std::thread> threads_;
};

}  // namespace jobhost::runtime
