// The inbox: a directory where other systems drop text files of transaction
// hashes, one per line. Blank lines and lines starting with # are skipped.
// Writers create a file as a dotfile or NAME.tmp and rename it when complete,
// so those names are never read.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "jobhost/logger.hpp"

namespace tx_watch {

// The complete files in `inbox`, in name order; creates `inbox` if missing.
std::vector<std::filesystem::path> list_inbox(const std::filesystem::path& inbox);

// The valid hashes in `file`, normalised to lowercase, in file order. An
// invalid line is logged as a warning naming the file and line number, and
// skipped. Throws std::runtime_error when the file cannot be read.
std::vector<std::string> read_inbox_file(const std::filesystem::path& file, jobhost::Logger& log);

}  // namespace tx_watch
