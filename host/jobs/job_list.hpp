// JobList: the jobs of a host at one moment. Each job stays alive (and so
// does its plugin's library) for as long as a list that holds it does, so a
// thread can read a list while plugins are unloaded behind it.
#pragma once

#include <memory>
#include <vector>

#include "runtime/scheduled_job.hpp"

namespace jobhost::jobs {

using JobList = std::vector<std::shared_ptr<runtime::ScheduledJob>>;

// The raw pointers the scheduler and the dispatcher take; `jobs` must outlive
// their use.
inline std::vector<runtime::ScheduledJob*> pointers(const JobList& jobs) {
  std::vector<runtime::ScheduledJob*> out;
  out.reserve(jobs.size());
  for (const auto& job : jobs) out.push_back(job.get());
  return out;
}

}  // namespace jobhost::jobs
