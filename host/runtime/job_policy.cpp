#include "runtime/job_policy.hpp"

#include "jobhost/duration.hpp"
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
  const std::string misfire = keys.get_string(key_prefix + "misfire", "once");
  if (misfire == "once") {
    policy.misfire = Misfire::once;
  } else if (misfire == "skip") {
    policy.misfire = Misfire::skip;
  } else {
    throw ConfigError(key_prefix + "misfire: \"" + misfire + "\" is not a misfire policy (expected once or skip)");
  }
  if (keys.has(key_prefix + "starting-deadline")) {
    const auto deadline = keys.get_duration(key_prefix + "starting-deadline", {});
    if (deadline < std::chrono::seconds(1)) throw ConfigError(key_prefix + "starting-deadline: must be at least 1s");
    policy.starting_deadline = std::chrono::duration_cast<std::chrono::seconds>(deadline);
  }
  return policy;
}

std::string describe(const JobPolicy& policy) {
  std::string text = std::string("overlap=") + to_string(policy.overlap);
  if (policy.overlap == Overlap::allow) text += " max-concurrent=" + std::to_string(policy.max_concurrent);
  text += std::string(" misfire=") + to_string(policy.misfire);
  if (policy.starting_deadline) text += " starting-deadline=" + format_duration(*policy.starting_deadline);
  if (policy.timeout) text += " timeout=" + format_duration(*policy.timeout) + " kill-grace=" + format_duration(policy.kill_grace);
  if (policy.jitter > std::chrono::nanoseconds::zero()) text += " jitter=" + format_duration(policy.jitter);
  return text;
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

const char* to_string(Misfire misfire) { return misfire == Misfire::once ? "once" : "skip"; }

}  // namespace jobhost::runtime
