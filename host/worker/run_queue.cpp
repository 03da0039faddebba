#include "worker/run_queue.hpp"

namespace jobhost::worker {

void RunQueue::push(Run run) {
  std::lock_guard lock(mutex_);
  runs_.push_back(std::move(run));
  size_ = runs_.size();
}

std::optional<RunQueue::Run> RunQueue::take() {
  std::lock_guard lock(mutex_);
  if (runs_.empty()) return std::nullopt;
  Run run = std::move(runs_.front());
  runs_.pop_front();
  size_ = runs_.size();
  ++taken_;
  return run;
}

bool RunQueue::stalled() {
  std::lock_guard lock(mutex_);
  const bool stalled = !runs_.empty() && taken_ == taken_at_last_look_;
  taken_at_last_look_ = taken_;
  return stalled;
}

}  // namespace jobhost::worker
