// RunQueue: the runs a worker has received and not started yet.
//
// The runs that one read brings (the host writes an instant's runs for a
// worker at once) are run one after another by the thread that read them,
// which then reads on (another takes the reading over when they take long):
// an instant's runs then cost the worker one thread wake-up rather than one
// each. A run that blocks would hold up the ones queued behind it, so while
// runs are queued the reader watches (stalled()) and puts another thread on
// the queue when none was started for a while.
//
// Thread-safety: any thread; stalled() by one thread at a time (the reader).
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>

#include "jobhost/plugin.hpp"
#include "jobhost/logger.hpp"
#include "jobhost/settings.hpp"
#include "protocol/run_messages.hpp"

namespace jobhost::worker {

// What every run of a job shares, from the host's last "job" message for it.
struct JobShared {
  const JobDefinition* definition;  // the plugin's job of that name; null when it has none
  std::string name;                 // the job's
  std::string logger_name;          // "plugin.job"
  Settings settings;
  std::filesystem::path state_dir;
  LogLevel level;
};

class RunQueue {
 public:
  struct Run {
    protocol::RunOrder order;
    // What the job's runs share, as the host sent it last before the run;
    // null when it sent none for the run's job number.
    std::shared_ptr<const JobShared> job;
    std::stop_token stop;
  };

  void push(Run run);
  // The oldest run, or nothing when none is queued.
  std::optional<Run> take();
  bool empty() const { return size_.load() == 0; }
  // Whether runs are queued and none was taken since the last call.
  bool stalled();

 private:
  mutable std::mutex mutex_;
  std::deque<Run> runs_;
  std::atomic<std::size_t> size_{0};  // runs_.size(), read without the lock
  std::uint64_t taken_ = 0;
  std::uint64_t taken_at_last_look_ = 0;
};

}  // namespace jobhost::worker
