// Durations as people write them in options and config files: "500ms", "15s",
// "1h30m", "1.5h" (Go's time.ParseDuration syntax: units ns, us, µs, ms, s, m,
// h; no sign).
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace jobhost {

// Parses `text`; throws ConfigError naming `what` (e.g. "--shutdown-timeout")
// and the expected form when it is malformed or overflows.
std::chrono::nanoseconds parse_duration(std::string_view text, std::string_view what);

// The shortest exact spelling: 90s -> "1m30s", 1500ms -> "1.5s", 0 -> "0s".
std::string format_duration(std::chrono::nanoseconds duration);

}  // namespace jobhost
