// AdaptiveSpin: how long a thread waiting for the next message on a socket
// checks for it without sleeping (MessageChannel::spin_for_input) before it
// sleeps.
//
// Waking a sleeping thread costs about as much as the other side's whole
// answer to a chain call whose client answers at once (docs/benchmarks.md):
// while messages lately came quickly, the waiting thread keeps its core for
// up to kMaxSpin. Once they take longer (a node over the network, a job that
// works between its calls, a busy machine), spinning would only burn the
// core, so the thread sleeps at once until messages are quick again. Needs a
// second core for the other side to run on; with one, it never spins.
//
// Thread-safety: none; one per waiting thread, or guarded by its owner.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>

namespace jobhost::protocol {

class AdaptiveSpin {
 public:
  static constexpr std::chrono::nanoseconds kMaxSpin = std::chrono::microseconds(50);

  // `cores`: how many this process may run on (usable_cores()).
  explicit AdaptiveSpin(unsigned cores) : spins_(cores > 1) {}

  // How long to spin for the next message: kMaxSpin while messages lately
  // came within it, else zero.
  std::chrono::nanoseconds budget() const {
    return spins_ && typical_wait_ < kMaxSpin ? kMaxSpin : std::chrono::nanoseconds(0);
  }
  // How long the last message took to come, spinning and sleeping.
  void record(std::chrono::nanoseconds waited) {
    // A moving average over about the last eight waits, each counted as at
    // most twice kMaxSpin: one slow message does not stop the spinning, a
    // run of five does, and about ten quick ones start it again.
    typical_wait_ += (std::min(waited, 2 * kMaxSpin) - typical_wait_) / 8;
  }

 private:
  bool spins_;
  std::chrono::nanoseconds typical_wait_{0};
};

// How many threads of a process may spin at once: fewer than its cores, so
// that spinning never takes them all, whatever the other sides say (a
// worker's "awake" is untrusted).
// Thread-safety: any thread.
class SpinSlots {
 public:
  explicit SpinSlots(unsigned slots) : free_(slots) {}
  // Takes a slot; false when all are taken (then do not spin).
  bool take() {
    unsigned free = free_.load(std::memory_order_relaxed);
    while (free > 0 && !free_.compare_exchange_weak(free, free - 1, std::memory_order_relaxed)) {
    }
    return free > 0;
  }
  void give_back() { free_.fetch_add(1, std::memory_order_relaxed); }

 private:
  std::atomic<unsigned> free_;
};

// How many cores this process may run on (its affinity mask), at least 1.
unsigned usable_cores();

}  // namespace jobhost::protocol
