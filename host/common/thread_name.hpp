// Names the calling thread, as `top -H`, `ps -L`, gdb and perf show it: the
// host's threads are told apart by what they do ("worker", "scheduler").
#pragma once

#include <pthread.h>

namespace jobhost {

// `name`: at most 15 characters (the kernel's limit); longer ones are ignored.
inline void name_this_thread(const char* name) { pthread_setname_np(pthread_self(), name); }

}  // namespace jobhost
