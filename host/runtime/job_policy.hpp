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

enum class Misfire {
  skip,  // fires missed while the host was down or the clock jumped are skipped and logged
  once,  // one catch-up run of the latest missed fire, if within the starting deadline (default)
};

struct JobPolicy {
  Overlap overlap = Overlap::skip;                              // key "overlap"
  std::size_t max_concurrent = 4;                               // key "max-concurrent", for allow
  std::optional<std::chrono::nanoseconds> timeout;              // key "timeout": stop requested at the deadline
  std::chrono::nanoseconds kill_grace = std::chrono::seconds(10);  // key "kill-grace": then logged as stuck
  std::chrono::nanoseconds jitter{0};                           // key "jitter": random delay in [0, jitter]
  Misfire misfire = Misfire::once;                              // key "misfire"
  // key "starting-deadline": how late a catch-up run may be; unset, the
  // smaller of the job's period and 1h (default_starting_deadline).
  std::optional<std::chrono::seconds> starting_deadline;
};

// Reads the policy keys from a job's merged settings; throws ConfigError
// naming `key_prefix` + the key for a bad value.
JobPolicy read_job_policy(const std::map<std::string, std::string>& settings, const std::string& key_prefix);

// The policy as `list` shows it, in the keys' own words: overlap and misfire
// always, the others when set ("overlap=allow max-concurrent=4 misfire=once
// timeout=30s kill-grace=10s").
std::string describe(const JobPolicy& policy);

const char* to_string(Overlap overlap);
const char* to_string(Misfire misfire);

}  // namespace jobhost::runtime
