// The pending set: transactions taken from the inbox and not finished yet,
// with the time each was first seen. On disk, file `pending` in the state
// directory, one "HASH UNIX_SECONDS" line per transaction, always replaced
// atomically.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>

#include "jobhost/logger.hpp"

namespace tx_watch {

// Normalised hash -> first seen, in unix seconds. Ordered, so the file and the
// node queries are in a stable order.
using PendingSet = std::map<std::string, std::int64_t>;

// Reads `file`; a missing file is an empty set. A malformed line (which only a
// hand edit can produce) is logged as a warning and skipped.
PendingSet load_pending(const std::filesystem::path& file, jobhost::Logger& log);

// Replaces `file` atomically with `pending`.
void save_pending(const std::filesystem::path& file, const PendingSet& pending);

}  // namespace tx_watch
