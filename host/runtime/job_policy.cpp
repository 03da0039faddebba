#include "runtime/job_policy.hpp"

#include "config/config.hpp"
#include "jobhost/error.hpp"

namespace jobhost::runtime {

JobPolicy read_job_policy(const std::map<std::string, std::string>& settings, const std::string& key_prefix) {
  // The job's settings as a Config under their full keys, so every message
  // names the key the user wrote.
  config::Config keys;
  for (const auto& [key, value] : settings) keys.set(key_prefix + key, value);

  JobPolicy policy;
  const std::string overlap = keys.get_string(key_prefix + "overlap", "skip");
  if (overlap == "skip") {
    policy.overlap = Overlap::skip;
  } else if (overlap == "queue") {
    policy.overlap = Overlap::queue;
  } else if (overlap == "allow") {
    policy.overlap = Overlap::allow;
  } else if (overlap == "replace") {
    policy.overlap = Overlap::replace;
  } else {
    throw ConfigError(key_prefix + "overlap: \"" + overlap + "\" is not an overlap policy (expected skip, queue, "
                      "allow or replace)");
  }
  policy.max_concurrent = static_cast<std::size_t>(keys.get_int(key_prefix + "max-concurrent", 4, 1, 1000));
  if (keys.has(key_prefix + "timeout")) {
    policy.timeout = keys.get_duration(key_prefix + "timeout", {});
    if (*policy.timeout <= std::chrono::nanoseconds::zero()) {
      throw ConfigError(key_prefix + "timeout: must be more than 0");
    }
  }
  policy.kill_grace = keys.get_duration(key_prefix + "kill-grace", policy.kill_grace);
  policy.jitter = keys.get_duration(key_prefix + "jitter", policy.jitter);
  return policy;
}

const char* to_string(Overlap overlap) {
  switch (overlap) {
    case Overlap::skip: return "skip";
    case Overlap::queue: return "queue";
    case Overlap::allow: return "allow";
    case Overlap::replace: return "replace";
  }
  return "?";
}

}  // namespace jobhost::runtime
