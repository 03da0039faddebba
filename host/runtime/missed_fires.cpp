#include "runtime/missed_fires.hpp"

#include <algorithm>

#include "schedule/iso8601.hpp"

namespace jobhost::runtime {

using std::chrono::seconds;
using std::chrono::sys_seconds;

namespace {

// The last fire at or before `now`, given `first`, a fire at or before it:
// by bisection, however many fires lie between. next(p) <= now holds for
// p = first - 1s and fails for p = now.
sys_seconds last_fire_from(const schedule::Schedule& schedule, sys_seconds first, sys_seconds now) {
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
  return schedule.next(low);
}

}  // namespace

std::optional<sys_seconds> latest_fire_at_or_before(const schedule::Schedule& schedule, sys_seconds t) {
  // Looks back an hour, then four times further each time, up to about a
  // century: further would leave what a clock time point holds (1678-2262).
  constexpr seconds kSearchBack = std::chrono::duration_cast<seconds>(std::chrono::years(200));
  for (seconds back = std::chrono::hours(1); back <= kSearchBack; back *= 4) {
    const sys_seconds first = schedule.next(t - back);
    if (first <= t) return last_fire_from(schedule, first, t);
  }
  return std::nullopt;
}

MissedFires find_missed_fires(const schedule::Schedule& schedule, sys_seconds after, sys_seconds now,
                              Misfire misfire, seconds starting_deadline) {
  MissedFires missed;
  const sys_seconds first = schedule.next(after);
  if (first > now) return missed;
  missed.first = first;
  for (sys_seconds fire = first; fire <= now && missed.count < MissedFires::kMaxCounted; fire = schedule.next(fire)) {
    ++missed.count;
  }
  missed.latest = last_fire_from(schedule, first, now);
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
