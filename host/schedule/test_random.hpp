// A small, fully specified random generator (xorshift64) for the schedule
// tests: the same seed gives the same cases on every platform, so a failing
// seed printed by a test can be replayed anywhere.
#pragma once

#include <cstdint>

namespace jobhost::schedule::testing {

struct Rng {
  std::uint64_t state;  // never 0

  // A number in [0, n).
  std::uint64_t operator()(std::uint64_t n) {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state % n;
  }
  // A number in [lo, hi].
  int in(int lo, int hi) { return lo + static_cast<int>((*this)(static_cast<std::uint64_t>(hi - lo + 1))); }
};

}  // namespace jobhost::schedule::testing
