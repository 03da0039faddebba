#include "daemon/systemd_notifier.hpp"

#include <systemd/sd-daemon.h>
#include <time.h>

#include <cstdint>
#include <cstdlib>
#include <system_error>

#include "common/thread_name.hpp"

namespace jobhost::daemon {
namespace {

std::string with_status(std::string message, std::string_view status) {
  if (status.empty()) return message;
  message += "\nSTATUS=";
  for (char c : status) message += (c == '\n' || c == '\r') ? ' ' : c;
  return message;
}

std::uint64_t monotonic_usec() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000u + static_cast<std::uint64_t>(now.tv_nsec) / 1'000u;
}

}  // namespace

SystemdNotifier::SystemdNotifier(std::shared_ptr<spdlog::logger> log) : log_(std::move(log)) {
  const char* socket = std::getenv("NOTIFY_SOCKET");
  enabled_ = socket != nullptr && *socket != '\0';
  if (!enabled_) return;
  std::uint64_t usec = 0;
  const int watchdog = sd_watchdog_enabled(0, &usec);
  if (watchdog < 0) {
    if (log_) {
      log_->warn("systemd watchdog settings unreadable ({}): no watchdog pings",
                 std::generic_category().message(-watchdog));
    }
    return;
  }
  if (watchdog == 0 || usec == 0) return;
  watchdog_timeout_ = std::chrono::microseconds(usec);
  pinger_ = std::thread([this, interval = *watchdog_timeout_ / 2] {
    name_this_thread("systemd-pinger");
    ping_loop(interval);
  });
}

SystemdNotifier::~SystemdNotifier() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (pinger_.joinable()) pinger_.join();
}

bool SystemdNotifier::ready(std::string_view status) { return send(with_status("READY=1", status), false); }

bool SystemdNotifier::reloading(std::string_view status) {
  return send(with_status("RELOADING=1\nMONOTONIC_USEC=" + std::to_string(monotonic_usec()), status), false);
}

bool SystemdNotifier::stopping(std::string_view status) { return send(with_status("STOPPING=1", status), false); }

bool SystemdNotifier::status(std::string_view status) {
  if (status.empty()) return false;
  return send(with_status("", status).substr(1), false);  // without the leading line break
}

bool SystemdNotifier::ping() { return send("WATCHDOG=1", false); }

bool SystemdNotifier::send(const std::string& message, bool quiet) const {
  if (!enabled_) return false;
  const int rc = sd_notify(0, message.c_str());
  if (rc > 0) return true;
  if (log_ && !quiet) {
    log_->warn("systemd notification {} not sent: {}", message.substr(0, message.find('\n')),
               rc < 0 ? std::generic_category().message(-rc) : std::string("NOTIFY_SOCKET is no longer set"));
  }
  return false;
}

void SystemdNotifier::ping_loop(std::chrono::microseconds interval) {
  bool failing = false;  // warn once per run of failures
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, interval, [this] { return stopping_; })) {
    lock.unlock();
    failing = !send("WATCHDOG=1", failing);
    lock.lock();
  }
}

}  // namespace jobhost::daemon
