// Shadow copies: the host never maps a plugin file where it was dropped. It
// copies the bytes of the checked, open file (plugin_file_check.hpp) into a
// private directory, under the name of their SHA-256 ("HEX.so", read-only),
// and loads the copy. Writing over the original in place cannot change pages
// the host has mapped, and a replaced file always loads as new code, because
// new bytes have a new name (dlopen returns an already loaded library for a
// name it knows).
//
// ShadowCopies owns the private directory (mode 0700) and counts the uses of
// each copy; a ShadowCopy is one use. When the last use of a copy ends (after
// its library was unloaded), dlopen(RTLD_NOLOAD) tells whether the library is
// really gone: if it is, the copy is removed; if something still pins it, the
// copy is kept and release() says so, for the caller to log.
//
// Two plugin files with identical bytes share one copy (and one library).
//
// Ownership: every ShadowCopy holds its ShadowCopies, so the directory
// outlives its copies. Thread-safety: ShadowCopies is thread-safe; a
// ShadowCopy is used by one thread at a time.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "loader/plugin_file_check.hpp"

namespace jobhost::loader {

class ShadowCopy;

class ShadowCopies : public std::enable_shared_from_this<ShadowCopies> {
 public:
  // Uses `directory` (the daemon's STATE/plugin-copies): creates it with mode
  // 0700 when missing, makes it 0700, takes an exclusive lock on it and
  // removes what is in it (copies left by an earlier run). Returns nullptr
  // when another process holds the lock. With strict `rules` the directories
  // above it are checked like a plugin's. Throws ConfigError naming the
  // directory when it cannot be used.
  static std::shared_ptr<ShadowCopies> in_directory(const std::filesystem::path& directory,
                                                    const PluginFileRules& rules);

  // A new private directory under $TMPDIR (or /tmp), removed with what is in
  // it when the ShadowCopies goes. Throws ConfigError when it cannot be made.
  static std::shared_ptr<ShadowCopies> temporary(const PluginFileRules& rules);

  ~ShadowCopies();
  ShadowCopies(const ShadowCopies&) = delete;
  ShadowCopies& operator=(const ShadowCopies&) = delete;

  const std::filesystem::path& directory() const { return directory_; }

  // Copies all of the file open at `fd` (read from offset 0 to its end) into
  // the directory as SHA256.so, written under a temporary name and renamed,
  // read-only. When a copy with that name is in use, it is shared. Throws
  // PluginLoadError when the file cannot be read or the copy written.
  ShadowCopy copy(int fd);

 private:
  friend class ShadowCopy;
  ShadowCopies(std::filesystem::path directory, int lock_fd, bool temporary);

  // Ends one use of the copy `name`; see ShadowCopy::release().
  bool release(const std::string& name);

  const std::filesystem::path directory_;
  const int lock_fd_;  // -1 for a temporary directory
  const bool temporary_;
  std::mutex mutex_;
  std::map<std::string, int> uses_;  // copy file name -> uses; guarded by mutex_
};

// One use of a copy. Move-only; ends the use when destroyed (if release()
// was not called).
class ShadowCopy {
 public:
  ShadowCopy(std::shared_ptr<ShadowCopies> owner, std::string sha256);
  ~ShadowCopy();
  ShadowCopy(ShadowCopy&& other) noexcept = default;
  ShadowCopy& operator=(ShadowCopy&&) = delete;
  ShadowCopy(const ShadowCopy&) = delete;

  // The SHA-256 of the bytes, as 64 lowercase hex digits.
  const std::string& sha256() const { return sha256_; }
  // The copy: DIRECTORY/SHA256.so.
  const std::filesystem::path& path() const { return path_; }

  // Ends this use. When it was the copy's last one, the copy is removed unless
  // its library is still loaded in this process (dlopen with RTLD_NOLOAD):
  // then it is kept and release() returns true. Call it after unloading the
  // library; calling it again does nothing and returns false.
  bool release();

 private:
  std::shared_ptr<ShadowCopies> owner_;  // null once released
  std::string sha256_;
  std::filesystem::path path_;
};

}  // namespace jobhost::loader
