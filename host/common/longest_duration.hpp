// The longest duration the host accepts anywhere: a setting (a timeout, a
// kill grace, a jitter, ...) or an @every interval. 100 years: a time point
// that far from now, and one two such durations away, still fits the clocks'
// 64-bit nanoseconds (292 years from 1970), so that "now + timeout +
// kill-grace" can never wrap around into the past.
#pragma once

#include <chrono>

namespace jobhost {

constexpr std::chrono::nanoseconds kLongestDuration = std::chrono::hours(24 * 365 * 100);
// How an error message names it.
constexpr const char* kLongestDurationText = "100 years (876000h)";

}  // namespace jobhost
