// `jobhost next SPEC`: the next fire times of a spec.
#include <iostream>

#include "cli/commands.hpp"
#include "schedule/iso8601.hpp"
#include "schedule/schedule.hpp"

namespace jobhost::cli {

int print_next_fires(const Invocation& invocation) {
  const auto schedule = schedule::parse_schedule(invocation.operands.front());
  std::chrono::system_clock::time_point after = std::chrono::system_clock::now();
  if (invocation.from) after = schedule::parse_iso8601(*invocation.from, "--from");
  for (int i = 0; i < invocation.count; ++i) {
    const auto fire = schedule->next(after);
    std::cout << schedule::format_iso8601_local(fire) << "\n";
    after = fire;
  }
  return 0;
}

}  // namespace jobhost::cli
