#include "isolation/supervisor.hpp"

#include "common/thread_name.hpp"
#include "loader/plugin_load_error.hpp"

namespace jobhost::isolation {

Supervisor::Supervisor(std::filesystem::path executable, std::uint64_t memory_max)
    : executable_(std::move(executable)), memory_max_(memory_max), thread_([this] {
        name_this_thread("supervisor");
        loop();
      }) {}

Supervisor::~Supervisor() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  // tasks_ goes next and waits for the restarts under way; their spawn()
  // calls fail from now on.
}

SpawnedWorker Supervisor::spawn(const std::filesystem::path& copy) {
  std::error_code ec;
  if (!std::filesystem::exists(executable_, ec)) {
    throw loader::PluginLoadError("the worker executable " + executable_.string() +
                                  " is missing (isolation = process needs it beside jobhost)");
  }
  std::future<SpawnedWorker> result;
  {
    std::lock_guard lock(mutex_);
    if (stopping_) throw loader::PluginLoadError("the host is shutting down");
    spawns_.push_back({copy, {}});
    result = spawns_.back().result.get_future();
  }
  wake_.notify_all();
  try {
    return result.get();
  } catch (const std::exception& e) {
    throw loader::PluginLoadError(std::string("cannot start its worker: ") + e.what());
  }
}

void Supervisor::at(std::chrono::steady_clock::time_point when, std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || restarts_stopped_) return;
    timers_.push({when, std::move(task)});
  }
  wake_.notify_all();
}

void Supervisor::stop_restarts() {
  std::lock_guard lock(mutex_);
  restarts_stopped_ = true;
  timers_.take_all();
}

void Supervisor::loop() {
  std::unique_lock lock(mutex_);
  for (;;) {
    if (stopping_) {
      for (auto& spawn : spawns_) {
        spawn.result.set_exception(std::make_exception_ptr(std::runtime_error("the host is shutting down")));
      }
      return;
    }
    if (!spawns_.empty()) {
      Spawn spawn = std::move(spawns_.front());
      spawns_.pop_front();
      lock.unlock();
      try {
        spawn.result.set_value(spawn_worker(executable_, spawn.copy, memory_max_));
      } catch (...) {
        spawn.result.set_exception(std::current_exception());
      }
      lock.lock();
      continue;
    }
    if (!timers_.empty() && timers_.front().at <= std::chrono::steady_clock::now()) {
      tasks_.post(timers_.pop().task);
      continue;
    }
    if (timers_.empty()) {
      wake_.wait(lock);
    } else {
      const auto next = timers_.front().at;
      wake_.wait_until(lock, next);
    }
  }
}

}  // namespace jobhost::isolation
