#include "runtime/missed_fires.hpp"

#include <algorithm>

#include "schedule/iso8601.hpp"

namespace jobhost::runtime {

using std::chrono::seconds;
using std::chrono::sys_seconds;

MissedFires find_missed_fires(const schedule::Schedule& schedule, sys_seconds after, sys_seconds now,
                              Misfire misfire, seconds starting_deadline) {
  MissedFires missed;
  const sys_seconds first = schedule.next(after);
  if (first > now) return missed;
  missed.first = first;
  for (sys_seconds fire = first; fire <= now && missed.count < MissedFires::kMaxCounted; fire = schedule.next(fire)) {
    ++missed.count;
  }
  // The last fire at or before `now`, by bisection, however many there were:
  // next(p) <= now holds for p = first - 1s and fails for p = now.
  sys_seconds low = first - seconds(1);
  sys_seconds high = now;
  while (high - low > seconds(1)) {
    const sys_seconds middle = low + (high - low) / 2;
    if (schedule.next(middle) <= now) {
      low = middle;
    } else {
      high = middle;
    }
  }
  missed.latest = schedule.next(low);
  if (misfire == Misfire::once && now - *missed.latest <= starting_deadline) missed.catch_up = missed.latest;
  return missed;
}

seconds default_starting_deadline(const schedule::Schedule& schedule, sys_seconds now) {
  const sys_seconds first = schedule.next(now);
  return std::min<seconds>(schedule.next(first) - first, std::chrono::hours(1));
}

std::string describe(const MissedFires& missed, const schedule::Schedule& schedule) {
  const std::string count =
      (missed.count >= MissedFires::kMaxCounted ? "more than " : "") + std::to_string(missed.count);
  const std::string first = schedule::format_iso8601(*missed.first, schedule.zone());
  if (missed.count == 1) return "1 fire (" + first + ")";
  return count + " fires (" + first + " to " + schedule::format_iso8601(*missed.latest, schedule.zone()) + ")";
}

}  // namespace jobhost::runtime
