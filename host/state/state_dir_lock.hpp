// StateDirLock: one daemon per state directory, held as an exclusive flock(2)
// on the directory itself for as long as the object lives. Unlike the control
// socket's file, the lock cannot be removed from under the daemon, and it is
// released by the kernel when the daemon dies, however it dies.
//
// Thread-safety: a plain owner of one descriptor (close-on-exec, so no
// worker or plugin child inherits the lock); move-only.
#pragma once

#include <filesystem>

#include "state/state_store.hpp"

namespace jobhost::state {

class StateDirLock {
 public:
  // Throws StateError: "another jobhost daemon is running with this state
  // directory (DIR is locked)", or why the directory cannot be locked.
  explicit StateDirLock(const std::filesystem::path& dir);
  ~StateDirLock();
  StateDirLock(StateDirLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  StateDirLock& operator=(StateDirLock&&) = delete;
  StateDirLock(const StateDirLock&) = delete;
  StateDirLock& operator=(const StateDirLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace jobhost::state
