#include "runtime/missed_fires.hpp"

#include <algorithm>

#include "schedule/iso8601.hpp"

namespace jobhost::runtime {

using std::chrono::seconds;
using std::chrono::sys_seconds;

namespace {

// The last fire at or before `now`, given `low`, an instant whose next fire
// is at or before `now`: by bisection, however many fires lie between.
// next(p) <= now holds for p = low and fails for p = now. For a cron spec the
// answer is a fire of the spec; for @every (each fire counted from the one
// before), one within a second of `now`.
sys_seconds last_fire_from(const schedule::Schedule& schedule, sys_seconds low, sys_seconds now) {
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
    if (schedule.next(t - back) <= t) return last_fire_from(schedule, t - back, t);
  }
  return std::nullopt;
}

MissedFires find_missed_fires(const schedule::Schedule& schedule, sys_seconds after, sys_seconds now,
                              Misfire misfire, seconds starting_deadline) {
  MissedFires missed;
  const sys_seconds first = schedule.next(after);
  if (first > now) return missed;
  missed.first = first;
  // The fires are walked from `after`, as they follow each other (for @every,
  // each counted from the one before): the last one walked is the latest,
  // never a later one.
  sys_seconds before_last = after;  // whose next fire is `last`
  sys_seconds last = first;
  sys_seconds fire = first;
  for (; fire <= now && missed.count < MissedFires::kMaxCounted; fire = schedule.next(fire)) {
    ++missed.count;
    if (fire != first) before_last = last;
    last = fire;
  }
  // Too many to walk: the rest are skipped by bisection.
  missed.latest = fire > now ? last : last_fire_from(schedule, before_last, now);
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
