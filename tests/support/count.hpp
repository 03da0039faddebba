// Reading a daemon's log in tests: how often a line occurs, and waiting for
// it.
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>

#include "support/eventually.hpp"
#include "support/temp_dir.hpp"

namespace jobhost::testing {

// How many times `needle` occurs in `text` (overlapping ones included).
inline std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

// Waits up to `timeout` until the file `log` holds `text` at least `times`
// times.
inline bool log_holds(const std::filesystem::path& log, const std::string& text, std::size_t times = 1,
                      std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  return eventually([&] { return count(read_file(log), text) >= times; }, timeout, std::chrono::milliseconds(20));
}

}  // namespace jobhost::testing
