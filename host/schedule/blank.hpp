// White space as the schedule parsers (cron.cpp, schedule.cpp) see it: the
// characters jobhost::trim() strips.
#pragma once

namespace jobhost::schedule {

inline bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

}  // namespace jobhost::schedule
