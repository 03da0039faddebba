// PluginDirWatcher: notices plugin files being added to, replaced in or
// removed from plugin directories while the host runs, and reports each
// settled change once.
//
// One thread per watcher waits on an inotify descriptor that watches every
// directory. An event starts (or extends) a quiet period; when no event came
// for that long, the watcher takes a snapshot of the directories
// (plugin_dir_snapshot.hpp), diffs it against the last one and calls
// `on_change` when they differ. Every check is a full rescan, so events are
// only a hint of when to look: a file copied in several writes, or written as
// `.x.tmp` and renamed to `x.so`, gives one report after the last write.
//
// The quiet period is `debounce` after a plugin file was created or written
// to (the writer may go on), and the shorter `settle` after any other event:
// a plugin file renamed into place or removed, a chmod, and anything done to
// dotfiles and `*.tmp` files, which never show in a report. So a file written
// beside the directory's plugins as `.x.tmp` and renamed to `x.so`, the way
// to drop one in, is reported `settle` after the rename.
//
// A rescan also runs `rescan_interval` after the last check when no event
// came (inotify misses changes to the targets of symbolic links and anything
// while a directory was not watchable), `rescan_interval` after the first
// event when events keep coming without a quiet period, at once when the
// kernel's event queue overflowed (IN_Q_OVERFLOW, logged), and at once on
// rescan().
// Each check first (re)adds the watch of every directory, so a directory that
// was missing at start, or was deleted or moved away and comes back, is
// watched again from the first check that finds it.
//
// Watched events: IN_CREATE, IN_MODIFY and IN_CLOSE_WRITE (a copy: IN_MODIFY
// on every write keeps the quiet period running while a slow copy goes on,
// which IN_CREATE or the truncation of an existing file started; IN_CREATE
// alone also announces links, which have no write), IN_MOVED_TO and
// IN_MOVED_FROM (renames in and out), IN_DELETE, IN_ATTRIB (chmod, chown,
// touch, link count: the identity includes ctime) and IN_MOVE_SELF (the
// directory moved away: its watch would follow it, so it is dropped). A
// deleted directory needs no IN_DELETE_SELF: the kernel ends its watch with
// IN_IGNORED, which is handled. A writer that pauses for longer than the
// quiet period, or writes for longer than the rescan interval, can be
// reported half-way and again when done; writing `.x.tmp` and renaming it
// avoids that.
//
// Ownership: the caller owns the watcher; it owns its thread and descriptors.
// The callback and the logger are held until destruction.
//
// Thread-safety: `on_change` runs on the watcher's thread, one call at a
// time; it must not call stop() or destroy the watcher. stop() and rescan()
// may be called from any thread, concurrently too, until destruction begins;
// the destructor calls stop(). Errors after construction are logged to `log`
// (never null), never thrown.
#pragma once

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/logger.h>
#include <sys/inotify.h>

#include "loader/plugin_dir_snapshot.hpp"

namespace jobhost::loader {

struct PluginDirWatcherOptions {
  // How long the directories must stay free of events before a check, after
  // a plugin file was created or written to.
  std::chrono::milliseconds debounce{std::chrono::seconds(1)};
  // The longest time between two checks; positive.
  std::chrono::milliseconds rescan_interval{std::chrono::seconds(60)};
  // How long they must stay free of events after any other event (at most
  // `debounce`).
  std::chrono::milliseconds settle{100};
};

class PluginDirWatcher {
 public:
  using Callback = std::function<void(const PluginDirChanges&)>;

  // Watches `directories` and starts the thread. Changes are reported against
  // `baseline`, the state the caller already acted on (usually the snapshot
  // it loaded plugins from); the first check runs `settle` after
  // construction, so anything that changed since `baseline` was taken is
  // reported then. `on_change` may throw: the exception is logged and the
  // change counts as reported. Throws std::system_error when the inotify or
  // event descriptor cannot be created; a directory that cannot be watched
  // is logged and retried at every check. Throws std::invalid_argument for
  // a negative debounce or a rescan interval that is not positive.
  PluginDirWatcher(std::vector<std::filesystem::path> directories, PluginDirSnapshot baseline, Callback on_change,
                   std::shared_ptr<spdlog::logger> log, PluginDirWatcherOptions options = {});
  ~PluginDirWatcher();

  PluginDirWatcher(const PluginDirWatcher&) = delete;
  PluginDirWatcher& operator=(const PluginDirWatcher&) = delete;

  // Ends the thread and returns when it has: promptly, unless `on_change` is
  // running, which is waited for. No call of `on_change` starts afterwards.
  void stop();

  // Asks for a rescan now instead of after a quiet period or the rescan
  // interval: what an IN_Q_OVERFLOW does. Returns at once.
  void rescan();

 private:
  void loop();
  // Reads the queued inotify events; returns the quiet period they call for
  // (debounce or settle), none when no event asks for a check. Sets
  // `overflowed` on IN_Q_OVERFLOW.
  std::optional<std::chrono::milliseconds> read_events(bool& overflowed);
  // The quiet period one event calls for.
  std::chrono::milliseconds quiet_period_after(const inotify_event& event) const;
  // (Re)adds the watch of every directory.
  void watch_directories();
  // Drops the directories watched by `watch` from watches_; true if any was.
  bool forget_watch(int watch);
  // Removes the watch of `directory`, unless another path still uses it.
  void unwatch(const std::filesystem::path& directory);
  // Watches, rescans, reports.
  void check();
  void log_directory_states(const PluginDirSnapshot& now) const;

  const std::vector<std::filesystem::path> directories_;
  const Callback on_change_;
  const std::shared_ptr<spdlog::logger> log_;
  const PluginDirWatcherOptions options_;
  int inotify_fd_ = -1;
  int wake_fd_ = -1;

  // Touched by the watcher thread only (and the constructor before it starts).
  PluginDirSnapshot last_;
  std::map<std::filesystem::path, int> watches_;              // directory -> watch descriptor
  std::map<std::filesystem::path, std::string> watch_errors_;  // last logged, to log each once

  std::atomic<bool> stopping_{false};
  std::atomic<bool> rescan_requested_{false};
  std::mutex stop_mutex_;  // serialises joining
  std::thread thread_;
};

}  // namespace jobhost::loader
