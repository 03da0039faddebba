// SystemdNotifier: tells systemd how the daemon is doing, over the notify
// protocol of sd_notify(3) (libsystemd), for a `Type=notify` service.
//
// When NOTIFY_SOCKET was unset at construction (the daemon was not started by
// systemd, or not as Type=notify), every member function does nothing and
// returns false. When systemd also asks for watchdog pings (WatchdogSec=,
// which sets WATCHDOG_USEC, and WATCHDOG_PID to this process), the notifier
// sends WATCHDOG=1 from its own thread every half interval, from construction
// (the first half an interval later) until destruction; the destructor stops
// that thread promptly. A ping says only that the process is alive: systemd restarts
// the service when the pings stop (a hang of the whole process, or a crash).
//
// Ownership: one per daemon, owned by the code that runs it. libsystemd reads
// NOTIFY_SOCKET at every message, so the environment must not change while a
// notifier exists.
//
// Thread-safety: every member function may be called from any thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include <spdlog/logger.h>

namespace jobhost::daemon {

class SystemdNotifier {
 public:
  // Reads NOTIFY_SOCKET and the watchdog settings from the environment and
  // starts the ping thread when systemd asks for pings. Messages that cannot
  // be sent are logged to `log` (when given) as warnings; repeated failures
  // of the pings only once.
  explicit SystemdNotifier(std::shared_ptr<spdlog::logger> log = nullptr);
  ~SystemdNotifier();

  SystemdNotifier(const SystemdNotifier&) = delete;
  SystemdNotifier& operator=(const SystemdNotifier&) = delete;

  // Whether systemd listens (NOTIFY_SOCKET was set).
  bool enabled() const { return enabled_; }

  // The watchdog timeout systemd reported (WatchdogSec=), when it asks for
  // pings; the ping thread pings at half of it.
  std::optional<std::chrono::microseconds> watchdog_timeout() const { return watchdog_timeout_; }

  // Each sends one datagram; `status` (one line: line breaks become spaces)
  // goes with it as STATUS= unless empty. They return whether the datagram
  // was sent.
  //
  // READY=1: start-up is done (or, after reloading(), the reload is).
  bool ready(std::string_view status = {});
  // RELOADING=1 with MONOTONIC_USEC= (CLOCK_MONOTONIC now, which systemd
  // 253 and later require for Type=notify-reload); call ready() when done.
  bool reloading(std::string_view status = {});
  // STOPPING=1: shutting down.
  bool stopping(std::string_view status = {});
  // STATUS= alone.
  bool status(std::string_view status);
  // WATCHDOG=1, as the ping thread sends it.
  bool ping();

 private:
  bool send(const std::string& message, bool quiet) const;
  void ping_loop(std::chrono::microseconds interval);

  std::shared_ptr<spdlog::logger> log_;
  bool enabled_ = false;
  std::optional<std::chrono::microseconds> watchdog_timeout_;

  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mutex_: the ping thread must end
  std::thread pinger_;
};

}  // namespace jobhost::daemon
