#include "chain_health.hpp"

#include "jobhost/duration.hpp"

namespace chain_height {
namespace {

std::string text(std::chrono::system_clock::duration duration) {
  return jobhost::format_duration(std::chrono::duration_cast<std::chrono::milliseconds>(duration));
}

}  // namespace

bool ChainHealth::due(State problem, TimePoint now, std::chrono::milliseconds stall_after) const {
  return state_ != problem || now - alerted_at_ >= stall_after;
}

void ChainHealth::saw_height(std::uint64_t height, TimePoint now, std::chrono::milliseconds stall_after,
                             jobhost::Logger& log) {
  log.debug("chain " + name_ + " at block " + std::to_string(height));
  // A lower height (a node behind its peers) is not progress: height_ keeps the highest.
  if (!height_ || height > *height_) {
    height_ = height;
    advanced_at_ = now;
  }
  const auto still = now - advanced_at_;
  if (still < stall_after) {
    if (state_ != State::healthy) log.info("chain " + name_ + " recovered: block " + std::to_string(*height_));
    state_ = State::healthy;
    return;
  }
  if (due(State::stalled, now, stall_after)) {
    log.error("chain " + name_ + " has not advanced past block " + std::to_string(*height_) + " for " + text(still));
    state_ = State::stalled;
    alerted_at_ = now;
  }
}

void ChainHealth::saw_failure(std::string_view cause, TimePoint now, std::chrono::milliseconds stall_after,
                              jobhost::Logger& log) {
  log.debug("chain " + name_ + " gave no block number: " + std::string(cause));
  if (!due(State::unreachable, now, stall_after)) return;
  if (state_ != State::unreachable) {
    log.error("chain " + name_ + " is unreachable: " + std::string(cause));
    unreachable_since_ = now;
  } else {
    log.error("chain " + name_ + " is still unreachable after " + text(now - unreachable_since_) + ": " +
              std::string(cause));
  }
  state_ = State::unreachable;
  alerted_at_ = now;
}

}  // namespace chain_height
