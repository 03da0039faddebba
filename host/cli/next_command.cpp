// `jobhost next SPEC`: the next fire times of a spec.
#include <iostream>

#include "cli/commands.hpp"
#include "jobhost/error.hpp"
#include "schedule/iso8601.hpp"
#include "schedule/schedule.hpp"

namespace jobhost::cli {

int print_next_fires(const Invocation& invocation) {
  // --tz (kept as the "tz" key) is the default zone; a CRON_TZ= prefix wins.
  const auto tz = invocation.config.get("tz");
  schedule::TimeZone zone = schedule::TimeZone::local();
  if (tz) {
    try {
      zone = schedule::TimeZone::named(*tz);
    } catch (const ConfigError& e) {
      throw ConfigError(std::string("--tz: ") + e.what());
    }
  }
  const auto schedule = schedule::parse_schedule(invocation.operands.front(), zone);
  std::chrono::system_clock::time_point after = std::chrono::system_clock::now();
  if (invocation.from) after = schedule::parse_iso8601(*invocation.from, "--from");
  for (int i = 0; i < invocation.count; ++i) {
    const auto fire = schedule->next(after);
    std::cout << schedule::format_iso8601(fire, schedule->zone()) << "\n";
    after = fire;
  }
  return 0;
}

}  // namespace jobhost::cli
