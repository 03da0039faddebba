// The health of one chain as successive runs see it: healthy, stalled (no
// new block for stall-after) or unreachable (no answer). A problem is logged
// as an error when it starts, then at most once per stall-after as a reminder
// while it lasts; the return to health is logged at info.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "jobhost/logger.hpp"

namespace chain_height {

class ChainHealth {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  explicit ChainHealth(std::string name) : name_(std::move(name)) {}

  // The node reported `height` at `now`.
  void saw_height(std::uint64_t height, TimePoint now, std::chrono::milliseconds stall_after, jobhost::Logger& log);

  // Asking the node failed at `now` because of `cause`.
  void saw_failure(std::string_view cause, TimePoint now, std::chrono::milliseconds stall_after, jobhost::Logger& log);

 private:
  enum class State { healthy, stalled, unreachable };

  // True when the problem just started, or its last error is stall_after old.
  bool due(State problem, TimePoint now, std::chrono::milliseconds stall_after) const;

  std::string name_;
  State state_ = State::healthy;
  std::optional<std::uint64_t> height_;  // the highest block seen
  TimePoint advanced_at_;                // when height_ was first seen
  TimePoint unreachable_since_;
  TimePoint alerted_at_;                 // when the current problem was last logged
};

}  // namespace chain_height
