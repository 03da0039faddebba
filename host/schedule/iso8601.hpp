// ISO 8601 / RFC 3339 instants as they appear in options (--from) and output.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "schedule/local_time.hpp"

namespace jobhost::schedule {

// `t` as a wall-clock reading in the host's local time zone with its UTC
// offset, e.g. "2026-03-09T09:00:00+00:00" or "2026-03-09T04:00:00-05:00".
// An offset that is not a whole number of minutes (old local mean times) is
// truncated to minutes and the reading adjusted, so that parse_iso8601 gives
// `t` back. Years outside 0000-9999 get a sign or more digits; throws
// std::out_of_range for instants more than ~30000 years from 1970.
std::string format_iso8601_local(std::chrono::sys_seconds t);

// The same in `zone`.
std::string format_iso8601(std::chrono::sys_seconds t, const TimeZone& zone);

// Parses "YYYY-MM-DDTHH:MM:SS" followed by "Z", "+HH:MM" or "-HH:MM", with
// optional fractional seconds ("2026-03-09T09:00:00.250Z"), which are
// truncated. Fields are range-checked (month 13, February 30th, hour 24 and
// second 60 are rejected). Throws ConfigError naming `what` (e.g. "--from")
// and the expected form.
std::chrono::sys_seconds parse_iso8601(std::string_view text, std::string_view what);

}  // namespace jobhost::schedule
