#include "isolation/worker_socket.hpp"

namespace jobhost::isolation {

WorkerSocket::Constants WorkerSocket::constants_for(const std::string& job, const Settings& settings,
                                                   const std::filesystem::path& state_dir, LogLevel level) {
  std::lock_guard lock(mutex_);
  const std::uint64_t number = numbers_.try_emplace(job, numbers_.size()).first->second;
  if (number < sent_.size() && sent_[number]) {
    const protocol::JobConstants& sent = *sent_[number];
    if (sent.settings == settings.all() && sent.state_dir == state_dir.native() && sent.level == level) {
      return sent_[number];
    }
  }
  return std::make_shared<const protocol::JobConstants>(
      protocol::JobConstants{number, job, settings.all(), state_dir.native(), level});
}

bool WorkerSocket::add_run(std::uint64_t id, std::int64_t scheduled_ns, const Constants& constants) {
  std::lock_guard lock(mutex_);
  if (sent_.size() <= constants->number) sent_.resize(constants->number + 1);
  Constants& sent = sent_[constants->number];
  if (sent != constants) {
    // The runs added before need what was sent before: they leave first.
    if (!append_runs()) return false;
    if (!channel_.send_later(protocol::write_job(*constants))) return false;
    sent = constants;
  }
  runs_.push_back({id, constants->number, scheduled_ns});
  return true;
}

bool WorkerSocket::send(const protocol::Message& message) {
  {
    std::lock_guard lock(mutex_);
    if (!append_runs()) return false;
  }
  return channel_.send(message);
}

void WorkerSocket::flush() {
  {
    std::lock_guard lock(mutex_);
    append_runs();
  }
  channel_.flush();
}

bool WorkerSocket::append_runs() {
  if (runs_.empty()) return true;
  const bool sent = channel_.send_later(protocol::write_runs(runs_));
  runs_.clear();
  return sent;
}

}  // namespace jobhost::isolation
