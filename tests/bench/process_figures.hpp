// What /proc says about a running process: its resident memory and the CPU
// time it has used.
#pragma once

#include <sys/types.h>

#include <vector>

namespace jobhost::bench {

struct ResidentMemory {
  double vm_rss_mib = 0;  // VmRSS: resident now
  double vm_hwm_mib = 0;  // VmHWM: the most it has been resident
};

// From /proc/PID/status; throws std::runtime_error when it cannot be read.
ResidentMemory resident_memory(pid_t pid);

// Its proportional set size (Pss: resident memory, each shared page divided
// among the processes that map it), from /proc/PID/smaps_rollup; throws
// std::runtime_error when it cannot be read.
double proportional_set_size_mib(pid_t pid);

// The CPU time of all its threads, ended ones included, by its CPU clock
// (testing::cpu_time), to the nanosecond: /proc/PID/stat's ticks miss most of a
// process that runs a few microseconds at a time. 0 when it is gone.
double cpu_seconds(pid_t pid);

}  // namespace jobhost::bench
