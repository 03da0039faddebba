// How many times `needle` occurs in `text` (overlapping ones included): for
// tests that count log lines.
#pragma once

#include <cstddef>
#include <string>

namespace jobhost::testing {

inline std::size_t count(const std::string& text, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
  return n;
}

}  // namespace jobhost::testing
