// Command-line flags of the benchmarks that are plain programs: `--name N`.
#pragma once

#include <cstddef>
#include <cstring>
#include <string>

namespace jobhost::bench {

// The value after `name` in argv, or `fallback` when it is absent.
inline std::size_t flag(int argc, char** argv, const char* name, std::size_t fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return std::stoul(argv[i + 1]);
  }
  return fallback;
}

}  // namespace jobhost::bench
