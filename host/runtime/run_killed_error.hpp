// RunKilledError: thrown out of a job's run function when the host killed
// what ran it — the plugin's worker process, at the end of kill-grace or at
// shutdown (isolation/). The run counts as "killed", not as failed.
#pragma once

#include <stdexcept>

namespace jobhost::runtime {

class RunKilledError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace jobhost::runtime
