// Missed fires: the fires of a schedule that passed while the host could not
// start them — it was down, the wall clock jumped forward, the machine was
// suspended — and what the job's misfire policy makes of them.
//
// Pure functions of the schedule and the instants given; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "runtime/job_policy.hpp"
#include "schedule/schedule.hpp"

namespace jobhost::runtime {

struct MissedFires {
  static constexpr std::uint64_t kMaxCounted = 10000;

  std::uint64_t count = 0;  // how many, counted up to kMaxCounted
  std::optional<std::chrono::sys_seconds> first;
  std::optional<std::chrono::sys_seconds> latest;
  // The one fire to run now: `latest`, when the policy is misfire=once and
  // it lies within the starting deadline.
  std::optional<std::chrono::sys_seconds> catch_up;
};

// The fires strictly after `after` and at or before `now`, and the catch-up
// run the policy asks for.
MissedFires find_missed_fires(const schedule::Schedule& schedule, std::chrono::sys_seconds after,
                              std::chrono::sys_seconds now, Misfire misfire, std::chrono::seconds starting_deadline);

// The schedule's last fire at or before `t`, if it has one within a century.
std::optional<std::chrono::sys_seconds> latest_fire_at_or_before(const schedule::Schedule& schedule,
                                                                 std::chrono::sys_seconds t);

// The starting deadline a job has when it sets none: the smaller of its
// period (the gap between its first two fires after `now`) and one hour.
std::chrono::seconds default_starting_deadline(const schedule::Schedule& schedule, std::chrono::sys_seconds now);

// "3 fires (2026-03-08T02:00:00-05:00 to 2026-03-08T04:00:00-04:00)", for
// a MissedFires with a count.
std::string describe(const MissedFires& missed, const schedule::Schedule& schedule);

}  // namespace jobhost::runtime
