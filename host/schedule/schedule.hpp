// Schedule: when a job fires.
//
// A Schedule is parsed once from a spec (parse_schedule) and is immutable
// afterwards: next() may be called from any thread at once. Fire instants are
// whole seconds of UTC; the calendar fields of a cron spec are matched in its
// time zone: the one its CRON_TZ=/TZ= prefix names, else the default zone
// given to parse_schedule.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "jobhost/error.hpp"
#include "schedule/local_time.hpp"

namespace jobhost::schedule {

// A spec that cannot be parsed, or can never fire. The message quotes the spec
// and names the offending field and text, e.g.
//   cron spec "61 * * * *": minute field "61": 61 is out of range 0-59
class ScheduleError : public ConfigError {
 public:
  using ConfigError::ConfigError;
};

class Schedule {
 public:
  virtual ~Schedule() = default;

  // The first fire instant strictly after `after`.
  virtual std::chrono::sys_seconds next(std::chrono::system_clock::time_point after) const = 0;

  // The spec as it was written.
  virtual const std::string& spec() const = 0;

  // The zone whose wall clock the spec's fields are matched in (for @every,
  // the zone it was parsed with; it does not affect the fires).
  virtual const TimeZone& zone() const = 0;
};

// Parses a cron spec as robfig/cron v3 accepts it (5 fields, or 6 with
// seconds first), a descriptor (@yearly, @annually, @monthly, @weekly, @daily,
// @midnight, @hourly) or "@every DURATION", optionally after a time-zone
// prefix "CRON_TZ=Zone " or "TZ=Zone ". Cron fields also take `7` for Sunday
// and Quartz's L, L-n, nW, LW (day of month), nL and n#k (day of week).
// Calendar fields are matched in the prefix's zone, else `default_zone`.
// Throws ScheduleError (an unknown zone included).
std::unique_ptr<Schedule> parse_schedule(std::string_view spec, const TimeZone& default_zone);

// The same with the host's local zone (TimeZone::local()) as the default.
std::unique_ptr<Schedule> parse_schedule(std::string_view spec);

}  // namespace jobhost::schedule
