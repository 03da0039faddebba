// The p50 and max of a benchmark's samples (a few runs or requests).
#pragma once

#include <algorithm>
#include <vector>

namespace jobhost::bench {

struct Spread {
  double p50 = 0;
  double max = 0;
};

inline Spread spread(std::vector<double> samples) {
  if (samples.empty()) return {};
  std::sort(samples.begin(), samples.end());
  return {samples[samples.size() / 2], samples.back()};
}

}  // namespace jobhost::bench
