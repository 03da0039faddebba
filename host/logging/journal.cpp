#include "logging/journal.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace jobhost::logging {
namespace {

// One decimal number filling [first, last).
bool parse_number(const char* first, const char* last, std::uint64_t& value) {
  if (first == last) return false;
  const auto [end, error] = std::from_chars(first, last, value);
  return error == std::errc() && end == last;
}

}  // namespace

bool is_journal_stream(const char* journal_stream, int fd) {
  if (journal_stream == nullptr) return false;
  const char* end = journal_stream + std::strlen(journal_stream);
  const char* colon = std::strchr(journal_stream, ':');
  std::uint64_t device = 0;
  std::uint64_t inode = 0;
  if (colon == nullptr || !parse_number(journal_stream, colon, device) || !parse_number(colon + 1, end, inode)) {
    return false;
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) return false;
  return static_cast<std::uint64_t>(st.st_dev) == device && static_cast<std::uint64_t>(st.st_ino) == inode;
}

bool stderr_is_journal() { return is_journal_stream(std::getenv("JOURNAL_STREAM"), STDERR_FILENO); }

}  // namespace jobhost::logging
