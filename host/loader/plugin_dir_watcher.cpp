#include "loader/plugin_dir_watcher.hpp"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdint>
#include <stdexcept>
#include <system_error>

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "common/thread_name.hpp"
#include "loader/plugin_loader.hpp"

namespace jobhost::loader {
namespace {

constexpr std::uint32_t kWatchedEvents = IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM |
                                         IN_DELETE | IN_ATTRIB | IN_MOVE_SELF | IN_ONLYDIR;

std::string error_text(int error) { return std::system_category().message(error); }

// The poll(2) timeout that ends at `due`.
int timeout_until(std::chrono::steady_clock::time_point due) {
  const auto wait = std::chrono::ceil<std::chrono::milliseconds>(due - std::chrono::steady_clock::now()).count();
  return static_cast<int>(std::clamp<std::int64_t>(wait, 0, INT_MAX));
}

bool contains(const std::vector<std::filesystem::path>& paths, const std::filesystem::path& path) {
  return std::find(paths.begin(), paths.end(), path) != paths.end();
}

}  // namespace

PluginDirWatcher::PluginDirWatcher(std::vector<std::filesystem::path> directories, PluginDirSnapshot baseline,
                                   Callback on_change, std::shared_ptr<spdlog::logger> log,
                                   PluginDirWatcherOptions options)
    : directories_(std::move(directories)),
      on_change_(std::move(on_change)),
      log_(std::move(log)),
      options_(options),
      last_(std::move(baseline)) {
  if (options_.debounce.count() < 0) throw std::invalid_argument("plugin directory watcher: negative debounce");
  if (options_.rescan_interval.count() <= 0) {
    throw std::invalid_argument("plugin directory watcher: the rescan interval must be positive");
  }
  inotify_fd_ = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) throw std::system_error(errno, std::system_category(), "inotify_init1");
  wake_fd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (wake_fd_ < 0) {
    const int error = errno;
    close(inotify_fd_);
    throw std::system_error(error, std::system_category(), "eventfd");
  }
  try {
    watch_directories();
    thread_ = std::thread([this] {
      name_this_thread("plugin-watcher");
      loop();
    });
  } catch (...) {
    close(inotify_fd_);
    close(wake_fd_);
    throw;
  }
}

PluginDirWatcher::~PluginDirWatcher() {
  stop();
  close(inotify_fd_);
  close(wake_fd_);
}

void PluginDirWatcher::stop() {
  stopping_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto ignored = write(wake_fd_, &one, sizeof one);
  std::lock_guard lock(stop_mutex_);
  if (thread_.joinable()) thread_.join();
}

void PluginDirWatcher::rescan() {
  rescan_requested_ = true;
  const std::uint64_t one = 1;
  [[maybe_unused]] const auto ignored = write(wake_fd_, &one, sizeof one);
}

void PluginDirWatcher::loop() {
  using Clock = std::chrono::steady_clock;
  constexpr auto kNoEvent = Clock::time_point::max();
  // When the quiet period after the last event ends. Construction counts as
  // an event that is complete at once: the first check comes a settle later.
  Clock::time_point quiet_at = Clock::now() + std::min(options_.settle, options_.debounce);
  // The latest next check: a rescan interval after the last check, or after
  // the first event since, so that a periodic rescan does not cut into a copy
  // that is still writing, unless the events go on for that long.
  Clock::time_point rescan_at = Clock::now() + options_.rescan_interval;
  while (!stopping_) {
    pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    if (poll(fds, 2, timeout_until(std::min(quiet_at, rescan_at))) < 0) {
      if (errno == EINTR) continue;
      log_->error("plugin directory watcher stops: poll failed: {}", error_text(errno));
      return;
    }
    if (stopping_) return;
    if (fds[1].revents & POLLIN) {
      std::uint64_t count;
      [[maybe_unused]] const auto ignored = read(wake_fd_, &count, sizeof count);
    }
    bool check_now = rescan_requested_.exchange(false);
    if (fds[0].revents & POLLIN) {
      bool overflowed = false;
      if (const auto quiet = read_events(overflowed)) {
        const auto now = Clock::now();
        if (quiet_at == kNoEvent) {
          rescan_at = now + options_.rescan_interval;
          quiet_at = now + *quiet;
        } else {
          // A settle never cuts short the debounce of a write before it.
          quiet_at = std::max(quiet_at, now + *quiet);
        }
      }
      check_now = check_now || overflowed;
    }
    const auto now = Clock::now();
    if (check_now || now >= quiet_at || now >= rescan_at) {
      check();
      quiet_at = kNoEvent;
      rescan_at = Clock::now() + options_.rescan_interval;
    }
  }
}

std::chrono::milliseconds PluginDirWatcher::quiet_period_after(const inotify_event& event) const {
  const bool written = event.mask & (IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE);
  const bool plugin = event.len > 0 && is_plugin_file_name(event.name);
  return written && plugin ? options_.debounce : std::min(options_.settle, options_.debounce);
}

std::optional<std::chrono::milliseconds> PluginDirWatcher::read_events(bool& overflowed) {
  alignas(inotify_event) char buffer[64 * 1024];
  std::optional<std::chrono::milliseconds> wanted;
  const auto want = [&wanted](std::chrono::milliseconds quiet) { wanted = std::max(wanted.value_or(quiet), quiet); };
  while (true) {
    const ssize_t length = read(inotify_fd_, buffer, sizeof buffer);
    if (length < 0 && errno == EINTR) continue;
    if (length < 0) {
      if (errno != EAGAIN) log_->error("cannot read plugin directory events: {}", error_text(errno));
      return wanted;
    }
    if (length == 0) return wanted;
    for (const char* at = buffer; at < buffer + length;) {
      const auto* event = reinterpret_cast<const inotify_event*>(at);
      at += sizeof(inotify_event) + event->len;
      if (event->mask & IN_Q_OVERFLOW) {
        log_->warn("plugin directory events were lost (inotify queue overflow); rescanning now");
        overflowed = true;
      } else if (event->mask & IN_IGNORED) {
        // The directory went (or its watch was replaced by watch_directories).
        if (forget_watch(event->wd)) want(quiet_period_after(*event));
      } else {
        // A moved directory's watch would follow it to its new place.
        if (event->mask & IN_MOVE_SELF) {
          forget_watch(event->wd);
          inotify_rm_watch(inotify_fd_, event->wd);
        }
        want(quiet_period_after(*event));
      }
    }
  }
}

bool PluginDirWatcher::forget_watch(int watch) {
  return std::erase_if(watches_, [watch](const auto& entry) { return entry.second == watch; }) > 0;
}

void PluginDirWatcher::unwatch(const std::filesystem::path& directory) {
  const auto known = watches_.find(directory);
  if (known == watches_.end()) return;
  const int watch = known->second;
  watches_.erase(known);
  // Two configured paths may name the same directory, and so share a watch.
  const bool shared = std::any_of(watches_.begin(), watches_.end(), [watch](const auto& e) { return e.second == watch; });
  if (!shared) inotify_rm_watch(inotify_fd_, watch);
}

void PluginDirWatcher::watch_directories() {
  for (const auto& directory : directories_) {
    const int watch = inotify_add_watch(inotify_fd_, directory.c_str(), kWatchedEvents);
    if (watch < 0) {
      const int error = errno;
      unwatch(directory);
      if (error == ENOENT || error == ENOTDIR) {  // the snapshot reports those
        watch_errors_.erase(directory);
        continue;
      }
      auto& logged = watch_errors_[directory];
      if (logged != error_text(error)) {
        logged = error_text(error);
        log_->warn("cannot watch plugin directory {}: {}; only the rescan every {} s will notice changes there",
                   directory.string(), logged, options_.rescan_interval.count() / 1000.0);
      }
      continue;
    }
    watch_errors_.erase(directory);
    // Same path, new directory (deleted and made again, or moved and replaced).
    if (auto known = watches_.find(directory); known != watches_.end() && known->second != watch) unwatch(directory);
    watches_[directory] = watch;
  }
}

void PluginDirWatcher::check() {
  PluginDirChanges changes;
  try {
    watch_directories();
    PluginDirSnapshot now = snapshot_plugin_dirs(directories_, &last_);
    log_directory_states(now);
    changes = diff(last_, now);
    last_ = std::move(now);
  } catch (const std::exception& e) {
    log_->error("cannot rescan the plugin directories: {}", e.what());
    return;
  }
  if (changes.empty() || stopping_) return;
  log_->debug("plugin directories changed: {}", describe(changes));
  try {
    on_change_(changes);
  } catch (const std::exception& e) {
    log_->error("handling a change of the plugin directories failed: {}", e.what());
  } catch (...) {
    log_->error("handling a change of the plugin directories failed with a non-standard exception");
  }
}

void PluginDirWatcher::log_directory_states(const PluginDirSnapshot& now) const {
  for (const auto& directory : directories_) {
    const bool was_missing = contains(last_.missing, directory);
    const bool is_missing = contains(now.missing, directory);
    if (is_missing && !was_missing) {
      log_->warn("plugin directory {} is gone; looking for it at every rescan", directory.string());
    } else if (was_missing && !is_missing) {
      log_->info("plugin directory {} is back", directory.string());
    }
    const auto was_unreadable = last_.unreadable.find(directory);
    const auto is_unreadable = now.unreadable.find(directory);
    if (is_unreadable != now.unreadable.end() &&
        (was_unreadable == last_.unreadable.end() || was_unreadable->second != is_unreadable->second)) {
      log_->warn("cannot read plugin directory {}: {}; keeping its plugins as they were", directory.string(),
                 is_unreadable->second);
    } else if (is_unreadable == now.unreadable.end() && was_unreadable != last_.unreadable.end() && !is_missing) {
      log_->info("plugin directory {} is readable again", directory.string());
    }
  }
}

}  // namespace jobhost::loader
