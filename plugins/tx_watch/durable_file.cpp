#include "durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <system_error>

namespace tx_watch {
namespace {

[[noreturn]] void fail(const std::string& action, const std::filesystem::path& file) {
  throw std::system_error(errno, std::generic_category(), "cannot " + action + " " + file.string());
}

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  Fd(const std::filesystem::path& file, int flags) : fd_(::open(file.c_str(), flags | O_CLOEXEC, 0644)) {
    if (fd_ < 0) fail("open", file);
  }
  ~Fd() { ::close(fd_); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

void sync(const Fd& fd, const std::filesystem::path& file) {
  if (::fsync(fd.get()) != 0) fail("fsync", file);
}

}  // namespace

void replace_file_atomically(const std::filesystem::path& file, std::string_view content) {
  std::filesystem::path temp = file;
  temp += ".tmp";
  {
    Fd fd(temp, O_WRONLY | O_CREAT | O_TRUNC);
    while (!content.empty()) {
      const ssize_t written = ::write(fd.get(), content.data(), content.size());
      if (written < 0) {
        if (errno == EINTR) continue;
        fail("write", temp);
      }
      content.remove_prefix(static_cast<std::size_t>(written));
    }
    sync(fd, temp);
  }
  if (::rename(temp.c_str(), file.c_str()) != 0) fail("rename " + temp.string() + " to", file);
  const std::filesystem::path directory = file.parent_path().empty() ? "." : file.parent_path();
  sync(Fd(directory, O_RDONLY | O_DIRECTORY), directory);
}

void append_durably(const std::filesystem::path& file, std::string_view data) {
  Fd fd(file, O_WRONLY | O_APPEND);
  const ssize_t written = ::write(fd.get(), data.data(), data.size());
  if (written < 0) fail("append to", file);
  if (static_cast<std::size_t>(written) != data.size()) {
    throw std::runtime_error("short write appending to " + file.string() + ": " + std::to_string(written) + " of " +
                             std::to_string(data.size()) + " bytes");
  }
  sync(fd, file);
}

void truncate_durably(const std::filesystem::path& file, std::uintmax_t size) {
  Fd fd(file, O_WRONLY);
  if (::ftruncate(fd.get(), static_cast<off_t>(size)) != 0) fail("truncate", file);
  sync(fd, file);
}

}  // namespace tx_watch
