// The inbox: a directory where other systems drop text files of transaction
// hashes, one per line. Blank lines and lines starting with # are skipped.
// Writers create a file as a dotfile or NAME.tmp and rename it when complete,
// so those names are never read. A file written in place under its final
// name is read only once its last line is complete (ends with a newline) or
// it has been quiet for kQuietBeforeUnfinishedLine, and is read again later
// if it changed while being read.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "jobhost/logger.hpp"

namespace tx_watch {

// The complete files in `inbox`, in name order; creates `inbox` if missing.
std::vector<std::filesystem::path> list_inbox(const std::filesystem::path& inbox);

inline constexpr std::chrono::seconds kQuietBeforeUnfinishedLine{10};

// Whether `file` may be read now: empty, its last line ends with a newline,
// or unchanged for kQuietBeforeUnfinishedLine (its writer may still be
// writing that line). False when it cannot be read: reading reports that.
bool is_ready_to_read(const std::filesystem::path& file);

// The valid hashes in `file`, normalised to lowercase, in file order.
// Invalid lines are skipped, with one warning for the whole file: how many,
// and the first kInvalidLinesShown with their numbers. Throws
// std::runtime_error when the file cannot be read.
inline constexpr int kInvalidLinesShown = 3;

// What tells that a file changed between two looks: its size and last write
// time (both zero when it cannot be read).
struct FileIdentity {
  std::uintmax_t size = 0;
  std::filesystem::file_time_type modified;
  bool operator==(const FileIdentity&) const = default;
};
FileIdentity file_identity(const std::filesystem::path& file);
std::vector<std::string> read_inbox_file(const std::filesystem::path& file, jobhost::Logger& log);

}  // namespace tx_watch
