#include "isolation/worker_socket.hpp"

namespace jobhost::isolation {

WorkerSocket::Constants WorkerSocket::constants_for(const std::string& job, const Settings& settings,
                                                   const std::filesystem::path& state_dir, LogLevel level) {
  std::lock_guard lock(mutex_);
  if (const auto it = sent_jobs_.find(job); it != sent_jobs_.end()) {
    const protocol::JobConstants& sent = *it->second;
    if (sent.settings == settings.all() && sent.state_dir == state_dir.native() && sent.level == level) {
      return it->second;
    }
  }
  return std::make_shared<const protocol::JobConstants>(
      protocol::JobConstants{job, settings.all(), state_dir.native(), level});
}

bool WorkerSocket::add_run(protocol::RunOrder run, const Constants& constants) {
  std::lock_guard lock(mutex_);
  Constants& sent = sent_jobs_[run.job];
  if (sent != constants) {
    // The runs added before need what was sent before: they leave first.
    if (!append_runs()) return false;
    if (!channel_.send_later(protocol::write_job(*constants))) return false;
    sent = constants;
  }
  runs_.push_back(std::move(run));
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
