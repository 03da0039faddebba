// PluginDirSnapshot: which plugin files a set of plugin directories holds,
// and what each file is, so that two snapshots tell what was added, changed
// or removed between them.
//
// The files are those find_plugin_files() lists (`*.so`, no dotfiles, no
// `*.tmp`). A file's identity comes from stat(2), which follows symbolic
// links: the identity is that of the file dlopen would map, so retargeting a
// link or rewriting its target counts as a change of the link's path. A path
// whose stat fails (a dangling link, a file removed while listing) is left out:
// there is nothing to load there. A symbolic link loop is kept, with the
// identity of the link (lstat), so that loading it reports the loop.
//
// A rewrite in place that keeps the size and lands within the file system's
// timestamp granularity of the previous write is not seen; rename-over and
// copies of a different size always are.
//
// Plain values: safe to copy and to use from any thread that owns them.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace jobhost::loader {

struct PluginFileIdentity {
  dev_t device = 0;
  ino_t inode = 0;
  off_t size = 0;
  std::int64_t mtime_ns = 0;
  std::int64_t ctime_ns = 0;  // also moves on chmod, chown and new links

  bool operator==(const PluginFileIdentity&) const = default;
};

struct PluginDirSnapshot {
  // Plugin file path (directory / file name, the directory as given) to identity.
  std::map<std::filesystem::path, PluginFileIdentity> files;
  // Directories that do not exist: they hold no plugins.
  std::vector<std::filesystem::path> missing;
  // Directories that exist but could not be listed, with the reason. Their
  // files are carried over from the previous snapshot, so that a passing
  // error (out of file descriptors, say) does not look like removal.
  std::map<std::filesystem::path, std::string> unreadable;
};

struct PluginDirChanges {
  // Each sorted.
  std::vector<std::filesystem::path> added;
  std::vector<std::filesystem::path> changed;
  std::vector<std::filesystem::path> removed;

  bool empty() const { return added.empty() && changed.empty() && removed.empty(); }
  bool operator==(const PluginDirChanges&) const = default;
};

// Takes a snapshot of `directories`. Never throws for a directory or file
// that cannot be read: see `missing` and `unreadable`. `previous` (may be
// null) supplies the files of unreadable directories.
PluginDirSnapshot snapshot_plugin_dirs(const std::vector<std::filesystem::path>& directories,
                                       const PluginDirSnapshot* previous = nullptr);

// "added A, B; changed C; removed D", leaving out empty lists ("no change"
// when all are).
std::string describe(const PluginDirChanges& changes);

// What changed from `before` to `after`: paths only in `after` are added, only
// in `before` removed, in both with different identities changed.
PluginDirChanges diff(const PluginDirSnapshot& before, const PluginDirSnapshot& after);

}  // namespace jobhost::loader
