#include "loader/plugin_file_check.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "loader/plugin_load_error.hpp"

namespace jobhost::loader {
namespace {

std::string error_text(int error) { return std::strerror(error); }

std::string octal_mode(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISLNK(mode)) return "a symbolic link";
  return "not a file";
}

bool trusted_owner(uid_t owner) { return owner == 0 || owner == geteuid(); }

std::string owner_problem(uid_t owner) {
  return "is owned by uid " + std::to_string(owner) + " (expected root or the daemon's user, uid " +
         std::to_string(geteuid()) + ")";
}

// realpath(3), with the cause of a failure as text.
std::filesystem::path resolve(const std::filesystem::path& path, int& error) {
  char buffer[PATH_MAX];
  if (!::realpath(path.c_str(), buffer)) {
    error = errno;
    return {};
  }
  error = 0;
  return buffer;
}

// True when `path` is `directory` or below it (both canonical).
bool inside(const std::filesystem::path& path, const std::filesystem::path& directory) {
  auto [end, _] = std::mismatch(directory.begin(), directory.end(), path.begin(), path.end());
  return end == directory.end();
}

// Where the entry `file` leads: the canonical path of the file itself, or
// of its symbolic link's target, which must lie inside `directory`.
std::filesystem::path target_of(const std::filesystem::path& file, const std::filesystem::path& directory) {
  struct stat link;
  if (::lstat(file.c_str(), &link) != 0) throw PluginLoadError("cannot read the file: " + error_text(errno));
  if (!S_ISLNK(link.st_mode)) return directory / file.filename();
  int error = 0;
  std::filesystem::path target = resolve(file, error);
  if (error == ELOOP) throw PluginLoadError("symbolic link loop");
  if (error != 0) {
    std::error_code ec;
    const auto text = std::filesystem::read_symlink(file, ec);
    throw PluginLoadError("symbolic link to " + (ec ? std::string("?") : text.string()) +
                          " that cannot be followed: " + error_text(error));
  }
  if (!inside(target, directory)) {
    throw PluginLoadError("symbolic link to " + target.string() + ", outside the plugin directory " +
                          directory.string());
  }
  return target;
}

}  // namespace

PluginFile::~PluginFile() {
  if (fd_ >= 0) ::close(fd_);
}

PluginFile::PluginFile(PluginFile&& other) noexcept : fd_(other.fd_), resolved_(std::move(other.resolved_)) {
  other.fd_ = -1;
}

void check_directory_chain(const std::filesystem::path& directory) {
  int error = 0;
  std::filesystem::path canonical = resolve(directory, error);
  if (error != 0) throw PluginLoadError("cannot resolve directory " + directory.string() + ": " + error_text(error));
  for (std::filesystem::path at = canonical;; at = at.parent_path()) {
    struct stat status;
    if (::lstat(at.c_str(), &status) != 0) {
      throw PluginLoadError("cannot read directory " + at.string() + ": " + error_text(errno));
    }
    if (!trusted_owner(status.st_uid)) throw PluginLoadError("directory " + at.string() + " " + owner_problem(status.st_uid));
    const bool shared_writable = (status.st_mode & (S_IWGRP | S_IWOTH)) != 0;
    const bool sticky_root = (status.st_mode & S_ISVTX) != 0 && status.st_uid == 0;
    if (shared_writable && !sticky_root) {
      throw PluginLoadError("directory " + at.string() + " is writable by group or others (mode " +
                            octal_mode(status.st_mode) + ")");
    }
    if (at == at.root_path()) return;
  }
}

PluginFile open_plugin_file(const std::filesystem::path& file, const PluginFileRules& rules) {
  int error = 0;
  const std::filesystem::path directory = resolve(file.parent_path().empty() ? "." : file.parent_path(), error);
  if (error != 0) throw PluginLoadError("cannot resolve the plugin directory: " + error_text(error));
  const std::filesystem::path target = target_of(file, directory);

  // lstat first: opening a FIFO or a device could block or act on it.
  struct stat status;
  if (::lstat(target.c_str(), &status) != 0) throw PluginLoadError("cannot read the file: " + error_text(errno));
  if (!S_ISREG(status.st_mode)) throw PluginLoadError("not a regular file (" + kind_of(status.st_mode) + ")");
  const int fd = ::open(target.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ELOOP) throw PluginLoadError("the file was replaced by a symbolic link while being opened");
    throw PluginLoadError("cannot open the file: " + error_text(errno));
  }
  PluginFile opened(fd, target);
  // The descriptor decides from here on: the path may have been swapped.
  if (::fstat(fd, &status) != 0) throw PluginLoadError("cannot read the file: " + error_text(errno));
  if (!S_ISREG(status.st_mode)) throw PluginLoadError("not a regular file (" + kind_of(status.st_mode) + ")");
  if (rules.strict) {
    if (!trusted_owner(status.st_uid)) throw PluginLoadError("the file " + owner_problem(status.st_uid));
    if ((status.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
      throw PluginLoadError("the file is writable by group or others (mode " + octal_mode(status.st_mode) + ")");
    }
    check_directory_chain(target.parent_path());
  }
  return opened;
}

}  // namespace jobhost::loader
