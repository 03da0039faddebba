// Reading the INI config file (--config FILE) with Boost.Program_options:
// `[section]` headers prefix the keys below them, so
//
//   [job.hello.greet]
//   schedule = */5 * * * * *
//
// becomes the key "job.hello.greet.schedule". `#` starts a comment.
#pragma once

#include <filesystem>

#include "config/config.hpp"

namespace jobhost::config {

// Throws ConfigError naming the file (and the line's problem) when it cannot
// be read or holds an unknown key.
Config read_config_file(const std::filesystem::path& file);

}  // namespace jobhost::config
