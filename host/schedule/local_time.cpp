#include "schedule/local_time.hpp"

#include <ctime>
#include <utility>

namespace jobhost::schedule {

using std::chrono::days;
using std::chrono::local_seconds;
using std::chrono::seconds;
using std::chrono::sys_seconds;

seconds utc_offset(sys_seconds t) {
  const std::time_t time = static_cast<std::time_t>(t.time_since_epoch().count());
  std::tm fields{};
  if (localtime_r(&time, &fields) == nullptr) return seconds{0};
  return seconds{fields.tm_gmtoff};
}

local_seconds to_local(sys_seconds t) { return local_seconds{t.time_since_epoch() + utc_offset(t)}; }

LocalInstants from_local(local_seconds local) {
  // Every instant with this reading lies within a day of the reading taken as
  // UTC, where the offset takes at most two values: the ones before and after.
  const sys_seconds as_utc{local.time_since_epoch()};
  const seconds before = utc_offset(as_utc - days{1});
  const seconds after = utc_offset(as_utc + days{1});
  LocalInstants result;
  for (seconds offset : {before, after}) {
    const sys_seconds candidate = as_utc - offset;
    if (utc_offset(candidate) != offset) continue;
    if (result.count == 1 && result.at[0] == candidate) continue;
    result.at[static_cast<std::size_t>(result.count++)] = candidate;
  }
  if (result.count == 2 && result.at[1] < result.at[0]) std::swap(result.at[0], result.at[1]);
  return result;
}

sys_seconds offset_change(sys_seconds lo, sys_seconds hi) {
  const seconds start = utc_offset(lo);
  // Invariant: offset(lo) == start, offset(hi) != start (or hi is the bound).
  while (hi - lo > seconds{1}) {
    const sys_seconds mid = lo + (hi - lo) / 2;
    if (utc_offset(mid) == start) {
      lo = mid;
    } else {
      hi = mid;
    }
  }
  return hi;
}

}  // namespace jobhost::schedule
