// The machine's floor for waking processes: a byte passed around a ring of
// processes over socketpairs, each waking the next. With 2 processes it is a
// bare ping-pong (a round trip is 2 hops); with as many processes as the
// daemon has workers it is what waking each of them costs when they take
// turns, which on the project's 2-core virtual machine was 2-3 times the
// cost between 2 processes that stay warm.
#pragma once

#include <cstddef>

namespace jobhost::bench {

// The time of one hop: `laps` times around a ring of `processes` processes
// (this one and processes - 1 forked children, which exit when it returns).
// The children only read, write and exit, so this process may have other
// threads. Throws std::runtime_error when a socketpair or fork fails or a
// child is gone.
double process_ring_hop_us(std::size_t processes, std::size_t laps);

}  // namespace jobhost::bench
