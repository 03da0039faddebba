// JobPolicy: how the host runs one job — what a fire does while the previous
// run is still going, how long a run may take, how much random delay a fire
// gets. Read from the job's settings (`[job.PLUGIN.JOB]`, --set
// job.PLUGIN.JOB.KEY=VALUE, or the plugin's defaults).
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>

namespace jobhost::runtime {

enum class Overlap {
  skip,     // the fire is skipped and logged (default)
  queue,    // at most one fire waits, and starts when the running run ends
  allow,    // up to max_concurrent runs at once
  replace,  // the running run is asked to stop; the new one starts when it has returned
};

struct JobPolicy {
  Overlap overlap = Overlap::skip;                              // key "overlap"
  std::size_t max_concurrent = 4;                               // key "max-concurrent", for allow
  std::optional<std::chrono::nanoseconds> timeout;              // key "timeout": stop requested at the deadline
  std::chrono::nanoseconds kill_grace = std::chrono::seconds(10);  // key "kill-grace": then logged as stuck
  std::chrono::nanoseconds jitter{0};                           // key "jitter": random delay in [0, jitter]
};

// Reads the policy keys from a job's merged settings; throws ConfigError
// naming `key_prefix` + the key for a bad value.
JobPolicy read_job_policy(const std::map<std::string, std::string>& settings, const std::string& key_prefix);

const char* to_string(Overlap overlap);

}  // namespace jobhost::runtime
