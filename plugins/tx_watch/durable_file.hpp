// Writing files so that a crash or power loss at any instant leaves either the
// old or the new content, never a mix (POSIX open/write/fsync/rename).
// Failures throw std::system_error naming the file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>

namespace tx_watch {

// Replaces `file` with `content`: writes PATH.tmp in the same directory,
// fsyncs it, renames it over `file`, then fsyncs the directory so the rename
// itself is durable. A stale PATH.tmp from an earlier crash is overwritten.
void replace_file_atomically(const std::filesystem::path& file, std::string_view content);

// Appends `data` to the existing `file` with a single write() call, then
// fsyncs. Throws when the write is short, which leaves a partial last line
// for the reader to repair.
void append_durably(const std::filesystem::path& file, std::string_view data);

// Cuts `file` down to `size` bytes and fsyncs it.
void truncate_durably(const std::filesystem::path& file, std::uintmax_t size);

}  // namespace tx_watch
