#include "protocol/adaptive_spin.hpp"

#include <sched.h>

namespace jobhost::protocol {

unsigned usable_cores() {
  cpu_set_t cores;
  if (::sched_getaffinity(0, sizeof cores, &cores) != 0) return 1;
  const int count = CPU_COUNT(&cores);
  return count > 1 ? static_cast<unsigned>(count) : 1;
}

}  // namespace jobhost::protocol
