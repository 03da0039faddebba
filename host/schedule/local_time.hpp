// Time zones: the one place where instants (UTC) and wall-clock readings
// (civil time in a zone) are converted into each other.
//
// A TimeZone is a small value naming a zone of the system's IANA time-zone
// database (/usr/share/zoneinfo, read through Howard Hinnant's date library
// built with USE_OS_TZDB). After the last transition the file lists (2037
// for zones with DST) the rule in the file's POSIX TZ footer applies, which
// the date library does not read. Zones live as long as the process; any
// number of them may be used at once. Everything else in the schedule part goes
// through these functions.
//
// Assumption shared by these functions and their callers: the UTC offset
// changes at most once in any window of three days, and by less than a day.
// Every real zone satisfies it.
//
// Thread-safety: a TimeZone is immutable; all member functions may be called
// concurrently from any thread. TimeZone::local() reads the TZ environment
// variable and must not run concurrently with setenv("TZ").
#pragma once

#include <array>
#include <chrono>
#include <string>
#include <string_view>

namespace jobhost::schedule {

namespace detail {
struct ZoneData;  // local_time.cpp
}

// The instants whose wall-clock reading is a given one, ascending: none when
// the reading is skipped (clocks jumped forward over it), two when it repeats
// (clocks went back), otherwise one.
struct LocalInstants {
  int count = 0;
  std::array<std::chrono::sys_seconds, 2> at{};
};

class TimeZone {
 public:
  // The zone named `name` ("America/New_York", "UTC", "Etc/GMT+5"). Throws
  // ConfigError "unknown time zone "NAME" ..." when the database has none.
  static TimeZone named(std::string_view name);

  // The host's local zone: TZ when it names a zone of the database (a
  // leading ':' is ignored), else /etc/localtime, else UTC.
  static TimeZone local();

  static TimeZone utc();

  // The zone's IANA name.
  const std::string& name() const;

  // The offset of the zone from UTC at `t` (reading = t + offset).
  std::chrono::seconds utc_offset(std::chrono::sys_seconds t) const;

  // The wall-clock reading at `t`.
  std::chrono::local_seconds to_local(std::chrono::sys_seconds t) const;

  // The instants whose reading is `local` (see LocalInstants).
  LocalInstants from_local(std::chrono::local_seconds local) const;

  // The first instant in (lo, hi] whose UTC offset differs from the offset
  // at `lo`, given that the offsets at `lo` and `hi` differ.
  std::chrono::sys_seconds offset_change(std::chrono::sys_seconds lo, std::chrono::sys_seconds hi) const;

  friend bool operator==(const TimeZone& a, const TimeZone& b) { return a.data_ == b.data_; }

 private:
  explicit TimeZone(const detail::ZoneData* data) : data_(data) {}
  const detail::ZoneData* data_;
};

}  // namespace jobhost::schedule
