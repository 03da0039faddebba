// WorkerSocket: the host's socket to one worker process, through which runs
// leave compactly: the runs added until the next flush (or the next other
// message) leave as one "runs" message, and what every run of a job shares
// (settings, state directory, log level) leaves as a "job" message only
// before the job's first run and after it changed; runs name their job by
// the number that message gave it (protocol/run_messages.hpp).
//
// Ownership: owns the channel (and so the descriptor). Shared with the write
// batches that hold back a run for it (common/write_batch.hpp).
// Thread-safety: any thread.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "common/write_batch.hpp"
#include "jobhost/logger.hpp"
#include "jobhost/settings.hpp"
#include "protocol/message_channel.hpp"
#include "protocol/run_messages.hpp"

namespace jobhost::isolation {

class WorkerSocket final : public WriteBatch::Writer {
 public:
  explicit WorkerSocket(int fd) : channel_(fd) {}

  using Constants = std::shared_ptr<const protocol::JobConstants>;
  // What runs of `job` with these share: the constants last sent for it when
  // they are the same, else new ones (with the job's number). Reads the
  // arguments only here.
  Constants constants_for(const std::string& job, const Settings& settings, const std::filesystem::path& state_dir,
                          LogLevel level);
  // Adds a run that needs `constants` (from constants_for): it leaves with
  // the next flush() or send(), after a "job" message when other constants
  // were sent for its job last. False when the worker is gone.
  bool add_run(std::uint64_t id, std::int64_t scheduled_ns, const Constants& constants);
  // Sends `message` after the runs added before it (MessageChannel::send).
  bool send(const protocol::Message& message);
  // Writes the runs added and what the outbox holds.
  void flush() override;

  protocol::MessageChannel& channel() { return channel_; }

 private:
  // Moves the runs added to the outbox, as one "runs" message. With mutex_.
  bool append_runs();

  protocol::MessageChannel channel_;
  std::mutex mutex_;
  std::vector<protocol::RunOrder> runs_;  // added, not in the outbox yet
  std::unordered_map<std::string, std::uint64_t> numbers_;  // each job's number
  std::vector<Constants> sent_;  // by number: each job's constants as last sent
};

}  // namespace jobhost::isolation
