// Opening a plugin file safely: the checks OpenSSH's StrictModes makes of
// authorized_keys, made on the open descriptor whose bytes are then copied
// and loaded (see shadow_copy.hpp), so what was checked is what runs.
//
// A plugin file is refused when it is not a regular file (a directory, a
// FIFO, a device), when it is a symbolic link whose target is outside its
// plugin directory (or a loop, or dangling), and, with the strict rules, when
// the file or any directory above it up to / is owned by a user other than
// root or the daemon's (effective) user, or is writable by group or others.
// A directory writable by group or others is accepted when it has the sticky
// bit and is owned by root (like /tmp): there nobody can rename or delete an
// entry that is not theirs.
//
// Thread-safety: the functions are; a PluginFile is not shared.
#pragma once

#include <filesystem>

namespace jobhost::loader {

struct PluginFileRules {
  // Ownership and mode checks of the file and its directories; off with
  // --insecure-plugins, for development only. The other checks always run.
  bool strict = true;
};

// A plugin file opened read-only for the checks and the copy. Owns the
// descriptor and closes it. Move-only.
class PluginFile {
 public:
  PluginFile(int fd, std::filesystem::path resolved) : fd_(fd), resolved_(std::move(resolved)) {}
  ~PluginFile();
  PluginFile(PluginFile&& other) noexcept;
  PluginFile& operator=(PluginFile&&) = delete;
  PluginFile(const PluginFile&) = delete;

  int fd() const { return fd_; }
  // The file that was opened: the canonical path, after symbolic links.
  const std::filesystem::path& resolved() const { return resolved_; }

 private:
  int fd_;
  std::filesystem::path resolved_;
};

// Opens `file`, an entry of its plugin directory `file.parent_path()`, and
// checks it as described above. Throws PluginLoadError with the cause
// ("not a regular file (a directory)", "symbolic link to T, outside the
// plugin directory D", "symbolic link loop", "writable by group or others
// (mode 0666)", "directory D is owned by uid N (...)", ...).
PluginFile open_plugin_file(const std::filesystem::path& file, const PluginFileRules& rules);

// The strict check of `directory` (made canonical) and every directory above
// it up to /. Throws PluginLoadError naming the first directory that fails.
void check_directory_chain(const std::filesystem::path& directory);

}  // namespace jobhost::loader
