// Reading the INI config file (--config FILE) with Boost.Program_options:
// `[section]` headers prefix the keys below them, so
//
//   [job.hello.greet]
//   schedule = */5 * * * * *
//
// becomes the key "job.hello.greet.schedule". `#` starts a comment.
#pragma once

#include <cstddef>
#include <filesystem>

#include "config/config.hpp"

namespace jobhost::config {

// The largest config file read: anything bigger is not a configuration.
inline constexpr std::size_t kMaxConfigFileBytes = 1024 * 1024;

// Throws ConfigError naming the file (and the line and its problem) when it
// is not a regular file of at most kMaxConfigFileBytes, cannot be read, holds
// a line that is neither `KEY = VALUE` nor `[SECTION]`, a section or a key
// twice (naming both lines; keys that take several values may repeat), or an
// unknown key. Bytes that are not printable ASCII are escaped in messages.
Config read_config_file(const std::filesystem::path& file);

}  // namespace jobhost::config
