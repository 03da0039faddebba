// Waiting in tests for something that other threads or processes bring about.
#pragma once

#include <chrono>
#include <thread>

namespace jobhost::testing {

// Polls `condition` until it holds (true) or `timeout` has passed (false).
template <class Condition>
bool eventually(Condition condition, std::chrono::milliseconds timeout = std::chrono::seconds(5),
                std::chrono::milliseconds poll = std::chrono::milliseconds(2)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(poll);
  }
  return true;
}

}  // namespace jobhost::testing
