#include "loader/plugin_dir_snapshot.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <exception>
#include <optional>

#include "loader/plugin_loader.hpp"

namespace jobhost::loader {
namespace {

std::int64_t nanoseconds(const timespec& time) {
  return static_cast<std::int64_t>(time.tv_sec) * 1'000'000'000 + time.tv_nsec;
}

std::optional<PluginFileIdentity> identity_of(const std::filesystem::path& file) {
  struct stat info {};
  // A link loop has the identity of the link itself, so that loading it
  // reports the loop.
  if (stat(file.c_str(), &info) != 0 && (errno != ELOOP || lstat(file.c_str(), &info) != 0)) return std::nullopt;
  return PluginFileIdentity{info.st_dev, info.st_ino, info.st_size, nanoseconds(info.st_mtim),
                            nanoseconds(info.st_ctim)};
}

bool is_missing(const std::filesystem::path& directory) {
  std::error_code ec;
  return std::filesystem::status(directory, ec).type() == std::filesystem::file_type::not_found;
}

// Copies the files `previous` had in `directory`.
void carry_over(const std::filesystem::path& directory, const PluginDirSnapshot& previous, PluginDirSnapshot& into) {
  // find_plugin_files names a file `directory / name`; this is its parent.
  const auto parent = (directory / "x").parent_path();
  for (const auto& [file, identity] : previous.files) {
    if (file.parent_path() == parent) into.files.emplace(file, identity);
  }
}

}  // namespace

PluginDirSnapshot snapshot_plugin_dirs(const std::vector<std::filesystem::path>& directories,
                                       const PluginDirSnapshot* previous) {
  PluginDirSnapshot snapshot;
  for (const auto& directory : directories) {
    if (is_missing(directory)) {
      snapshot.missing.push_back(directory);
      continue;
    }
    std::vector<std::filesystem::path> files;
    try {
      files = find_plugin_files(directory);
    } catch (const std::exception& e) {
      if (is_missing(directory)) {  // removed while being listed
        snapshot.missing.push_back(directory);
        continue;
      }
      snapshot.unreadable.emplace(directory, e.what());
      if (previous) carry_over(directory, *previous, snapshot);
      continue;
    }
    for (const auto& file : files) {
      if (auto identity = identity_of(file)) snapshot.files.emplace(file, *identity);
    }
  }
  return snapshot;
}

std::string describe(const PluginDirChanges& changes) {
  std::string text;
  const auto list = [&](const char* what, const std::vector<std::filesystem::path>& files) {
    if (files.empty()) return;
    text += text.empty() ? what : std::string("; ") + what;
    for (std::size_t i = 0; i < files.size(); ++i) text += (i ? ", " : " ") + files[i].string();
  };
  list("added", changes.added);
  list("changed", changes.changed);
  list("removed", changes.removed);
  return text.empty() ? "no change" : text;
}

PluginDirChanges diff(const PluginDirSnapshot& before, const PluginDirSnapshot& after) {
  // Both maps are ordered by path, so one merge pass yields sorted lists.
  PluginDirChanges changes;
  auto old_it = before.files.begin();
  auto new_it = after.files.begin();
  while (old_it != before.files.end() || new_it != after.files.end()) {
    if (new_it == after.files.end() || (old_it != before.files.end() && old_it->first < new_it->first)) {
      changes.removed.push_back(old_it->first);
      ++old_it;
    } else if (old_it == before.files.end() || new_it->first < old_it->first) {
      changes.added.push_back(new_it->first);
      ++new_it;
    } else {
      if (!(old_it->second == new_it->second)) changes.changed.push_back(new_it->first);
      ++old_it;
      ++new_it;
    }
  }
  return changes;
}

}  // namespace jobhost::loader
