// The host's local time zone: the one place where instants (UTC) and
// wall-clock readings (local civil time) are converted into each other.
//
// For now this is libc's idea of the local zone (localtime_r, i.e. the TZ
// environment variable or /etc/localtime). Everything else in the schedule
// part goes through these functions, so a real IANA time-zone database can
// replace them later without touching the cron logic.
//
// Assumption shared by these functions and their callers: the UTC offset
// changes at most once in any window of three days, and by less than a day.
// Every real zone satisfies it.
//
// Thread-safety: all functions may be called concurrently (localtime_r), but
// not concurrently with a change of TZ/tzset().
#pragma once

#include <array>
#include <chrono>

namespace jobhost::schedule {

// The offset of local time from UTC at `t` (reading = t + offset). When libc
// cannot convert `t` (far outside any sane range) the offset is 0.
std::chrono::seconds utc_offset(std::chrono::sys_seconds t);

// The wall-clock reading at `t`.
std::chrono::local_seconds to_local(std::chrono::sys_seconds t);

// The instants whose wall-clock reading is `local`, ascending: none when the
// reading is skipped (clocks jumped forward over it), two when it repeats
// (clocks went back), otherwise one.
struct LocalInstants {
  int count = 0;
  std::array<std::chrono::sys_seconds, 2> at{};
};
LocalInstants from_local(std::chrono::local_seconds local);

// The first instant in (lo, hi] whose UTC offset differs from the offset at
// `lo`, given that the offsets at `lo` and `hi` differ and change once between
// them.
std::chrono::sys_seconds offset_change(std::chrono::sys_seconds lo, std::chrono::sys_seconds hi);

}  // namespace jobhost::schedule
